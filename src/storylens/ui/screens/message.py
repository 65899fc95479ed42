"""A screen for a problem the reader cannot get past (e.g. no source could be loaded)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label


class ProblemScreen(Screen[None]):
    """The problem in plain words, and how to leave."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="problem-quit")]

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        """The message, never parsed as markup."""
        with Middle(), Center():
            yield Label(self.problem, markup=False, id="problem")
            yield Label("Press q to quit.", id="problem-hint")
