"""Errors the engine reports to people, not programmers."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be used; the message says which and why, in one line."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        """The source exactly as given."""
        self.problem = problem
        """What is wrong with it."""


class UsageError(Exception):
    """The command was asked for something it cannot do (e.g. one source only)."""
