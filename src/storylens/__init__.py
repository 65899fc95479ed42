"""storylens: compare several outlets' versions of one news story."""

__version__ = "0.1.0"
