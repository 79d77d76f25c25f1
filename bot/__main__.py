"""Entry point for ``python -m bot``: the ``stepup`` command line."""

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
