"""The comparison engine: pure Python, no UI toolkit (a test enforces it).

The one entry point is :func:`storylens.core.compare.compare`; everything it
returns is plain frozen data from :mod:`storylens.core.model`.
"""
