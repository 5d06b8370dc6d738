"""``python -m ghost_simulator`` is the ``ghost-sim`` command."""

from .cli import main

if __name__ == "__main__":
    main()
