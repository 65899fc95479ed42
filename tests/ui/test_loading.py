"""Opening sources: a loading screen while the worker compares, then the reader, or a
plain one-line problem (never a traceback) when a source cannot be used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Label

from .support import CONTROL_CHARACTERS, SIZE, ReaderApp, reader, screen_lines


class ScreenRecordingApp(ReaderApp):
    """Records the class name of every screen pushed or switched to, in order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screens_shown: list[str] = []

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Record, then push."""
        self.screens_shown.append(type(screen).__name__)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        """Record, then switch."""
        self.screens_shown.append(type(screen).__name__)
        return super().switch_screen(screen)


def _write_story(folder: Path) -> tuple[str, str]:
    """Two short versions of an invented story, as text files."""
    first = folder / "harbour-gazette.txt"
    first.write_text(
        "The harbour council approved the flood barrier plan on Tuesday night.\n\n"
        "The barrier will cost ten million dollars and take three years to build.\n",
        encoding="utf-8",
    )
    second = folder / "coast-radio.txt"
    second.write_text(
        "The harbour council approved the flood barrier plan on Tuesday night.\n\n"
        "The barrier will cost twelve million dollars, officials said on Wednesday.\n",
        encoding="utf-8",
    )
    return str(first), str(second)


class TestLoading:
    """``StorylensApp(sources=...)`` compares in a worker behind a loading screen."""

    async def test_two_files_load_then_show_the_reader(self, tmp_path: Path) -> None:
        """The loading screen comes first, then the reader over the files' comparison."""
        first, second = _write_story(tmp_path)
        app = ScreenRecordingApp(sources=[first, second])
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screens_shown == ["LoadingScreen", "ReaderScreen"]
            screen = reader(app)
            assert app.comparison is not None
            assert [d.source for d in app.comparison.documents] == [first, second]
            assert [d.label for d in app.comparison.documents] == ["harbour-gazette", "coast-radio"]
            assert screen.visible_docs() == ("d0", "d1")
            assert any("twelve million" in line for line in screen_lines(screen.view))

    async def test_a_missing_file_shows_a_one_line_problem(self, tmp_path: Path) -> None:
        """The problem screen names the missing file in one line; ``q`` quits."""
        first, _ = _write_story(tmp_path)
        missing = str(tmp_path / "no-such-story.txt")
        app = ScreenRecordingApp(sources=[first, missing])
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screens_shown == ["LoadingScreen", "ProblemScreen"]
            label = app.screen.query_one("#problem", Label)
            message = str(label.render())
            assert message.splitlines() == [
                "storylens could not open the story:",
                f"{missing}: no such file",
            ]
            assert "Traceback" not in message
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
        # Quitting after a problem reports failure, as the command line does.
        assert app.return_code == 2

    async def test_a_problem_naming_a_hostile_file_shows_stand_ins(self, tmp_path: Path) -> None:
        """A missing file whose name holds an escape sequence is named with ␛, not raw ESC."""
        first, _ = _write_story(tmp_path)
        missing = str(tmp_path / "story\x1b]0;pwned\x07.txt")
        app = ScreenRecordingApp(sources=[first, missing])
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            label = app.screen.query_one("#problem", Label)
            drawn = "\n".join(label.render_line(y).text for y in range(label.size.height))
            assert "no such file" in drawn
            for raw in CONTROL_CHARACTERS:
                assert raw not in drawn, repr(raw)
