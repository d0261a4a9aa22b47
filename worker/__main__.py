"""``python -m worker`` is ``parley worker``."""

from worker.cli import main

main(["worker", *__import__("sys").argv[1:]])
