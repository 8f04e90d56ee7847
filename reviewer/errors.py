"""The one exception type the CLI turns into a single clear error line."""


class ReviewerError(Exception):
    """A user-facing failure: bad input, unknown series, missing repo, ..."""
