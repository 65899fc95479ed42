"""``python -m storylens``."""

from .cli import run

run()
