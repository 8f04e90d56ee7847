"""One module per CLI subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Add a module to ``COMMANDS`` to expose it; the CLI imports a module only when it runs it.
"""

COMMANDS = [
    "track",
    "list",
    "show",
    "trailers",
    "export",
    "review",
    "update",
    "state",
    "apply",
    "compare",
    "verify_applied",
    "tui",
    "check",
    "db",
    "gc",
    "progress",
    "comment",
    "reply",
]
