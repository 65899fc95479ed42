"""``python -m storylens``."""

from .cli import main

raise SystemExit(main())
