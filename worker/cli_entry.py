"""``python -m worker.cli_entry`` runs the ``parley`` command without needing it on PATH."""

from worker.cli import main

if __name__ == "__main__":
    main()
