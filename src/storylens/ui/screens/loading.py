"""Shown while the sources load and the comparison is computed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, ProgressBar


class LoadingScreen(Screen[None]):
    """A progress bar and the stage being worked on."""

    def compose(self) -> ComposeResult:
        """Title, stage and bar, centred."""
        with Middle(), Center():
            yield Label("storylens: comparing…", id="loading-title")
            yield Label("reading sources", id="loading-stage")
            yield ProgressBar(total=1.0, show_eta=False, id="loading-bar")

    def progress(self, stage: str, done: float) -> None:
        """Show the stage and the fraction done."""
        self.query_one("#loading-stage", Label).update(stage)
        self.query_one("#loading-bar", ProgressBar).update(progress=done)
