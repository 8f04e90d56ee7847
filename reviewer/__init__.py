"""reviewer: review and tracking assistant for Linux-kernel mailing-list patch series."""

__version__ = "0.1.0"
