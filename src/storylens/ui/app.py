"""The storylens reader: loads and compares in a worker, then shows the reader screen."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..core.compare import compare
from ..core.errors import SourceError, UsageError
from ..core.limits import Limits
from ..core.load import is_url, load_sources_lenient
from ..core.model import Comparison
from .screens.loading import LoadingScreen
from .screens.message import ProblemScreen
from .screens.reader import ReaderScreen
from .text import screen_text


def _settle() -> None:
    """Move the comparison's objects out of the garbage collector's sight.

    The comparison lives as long as the reader and holds no cycles to free; left in
    the collector's generations, every full collection would rescan its hundreds of
    thousands of objects in the middle of a keypress (pauses of 100–400 ms at 12
    outlets). Freezing them is what ``gc.freeze`` is for.
    """
    gc.freeze()


class StorylensApp(App[None]):
    """Compare several outlets' versions of one story, side by side."""

    CSS_PATH = "app.tcss"
    TITLE = "storylens"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="app-quit")]

    def __init__(
        self,
        sources: Sequence[str] = (),
        *,
        labels: Sequence[str] = (),
        keep_boilerplate: bool = False,
        comparison: Comparison | None = None,
        stdin: BinaryIO | None = None,
        refresh: bool = False,
        limits: Limits | None = None,
    ) -> None:
        super().__init__()
        self.sources = list(sources)
        self.labels = list(labels)
        self.keep_boilerplate = keep_boilerplate
        self.comparison = comparison
        self._stdin = stdin
        self.refresh_pages = refresh
        """Fetch web pages again instead of using the cache."""
        self.limits = limits or Limits()
        """The largest sources accepted."""
        self.return_code_on_quit = 0
        """The exit status when the user quits (2 after a problem)."""

    def on_mount(self) -> None:
        """Show the comparison, or compute it first with progress on screen."""
        if self.comparison is not None:
            _settle()
            self.push_screen(ReaderScreen(self.comparison))
            return
        self.push_screen(LoadingScreen())
        self._compare()

    @work(thread=True, exclusive=True, group="compare")
    def _compare(self) -> None:
        """Load and compare off the UI thread; progress goes to the loading screen."""

        def progress(stage: str, done: float) -> None:
            screen = self.screen
            if isinstance(screen, LoadingScreen):
                self.call_from_thread(screen.progress, stage, done)

        def loading(message: str, done: int, total: int) -> None:
            progress(screen_text(message), 0.3 * done / max(total, 1))

        try:
            loaded = load_sources_lenient(
                self.sources,
                labels=self.labels,
                keep_boilerplate=self.keep_boilerplate,
                stdin=self._stdin,
                refresh=self.refresh_pages,
                progress=loading,
                limits=self.limits,
            )
        except (SourceError, UsageError) as error:
            self.call_from_thread(self._problem, str(error))
            return
        local = [e for e in loaded.errors if not is_url(e.source)]
        if local:  # a file the user named cannot be used: say so, as the command line does
            self.call_from_thread(self._problem, str(local[0]))
            return
        if len(loaded.documents) < 2:
            problems = [str(e) for e in loaded.errors]
            problems.append(
                f"only {len(loaded.documents)} of {len(self.sources)} sources could be used"
                if loaded.errors
                else "need at least two sources to compare"
            )
            self.call_from_thread(self._problem, "\n".join(problems))
            return
        comparison = compare(loaded.documents, progress=lambda s, d: progress(s, 0.3 + 0.7 * d))
        self.call_from_thread(self._show, comparison, [str(e) for e in loaded.errors])

    def _show(self, comparison: Comparison, problems: Sequence[str] = ()) -> None:
        self.comparison = comparison
        _settle()
        self.switch_screen(ReaderScreen(comparison))
        for problem in problems:
            # One source failed, the others opened: say which, and go on.
            self.notify(
                f"Left out: {screen_text(problem)}", severity="warning", timeout=15, markup=False
            )

    def _problem(self, message: str) -> None:
        # Quitting from here reports failure, as the command line does for bad input.
        self.return_code_on_quit = 2
        self.switch_screen(
            ProblemScreen(f"storylens could not open the story:\n{screen_text(message)}")
        )

    async def action_quit(self) -> None:
        """Quit, with status 2 if the story could not be opened."""
        self.exit(return_code=self.return_code_on_quit)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every reader key is also a command in the palette."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, ReaderScreen):
            for binding in screen.BINDINGS:
                if (
                    isinstance(binding, Binding)
                    and binding.id
                    and not binding.id.startswith("focus-outlet-")
                ):
                    action = binding.action

                    def run(action: str = action) -> None:
                        self.call_next(self.run_action, action, screen)

                    yield SystemCommand(binding.description, f"key: {binding.key}", run)
