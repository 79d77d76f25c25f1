"""The ``stepup`` subcommands, one module each, each with a ``register(subparsers)``."""
