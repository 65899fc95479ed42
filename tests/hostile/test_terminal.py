"""The real reader in a real pseudo-terminal, on a story full of escape sequences:
every byte it writes is Textual's drawing; none of the story's escapes reach the
terminal, and it quits cleanly.
"""

from __future__ import annotations

import os
import re
import select
import sys
import time
from pathlib import Path

import pytest

from .cases import CASES, Case

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")

COLUMNS, LINES = 300, 40
READY = "␈␈␈".encode()
"""Bytes that show the paragraph of escapes is on screen (its last stand-ins)."""


def _run_in_terminal(
    args: list[str], wait_for: bytes, timeout: float = 60.0, piped: bytes | None = None
) -> tuple[bytes, int]:
    """Run ``python -m storylens ARGS`` on a pty; press q once *wait_for* was drawn.

    With *piped*, standard input is a pipe carrying those bytes (the pty stays the
    controlling terminal), as in ``cat story.txt | storylens - other.txt``.
    """
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader, on the pty, sized before it starts
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        # The pty alone sets the size (pytest exports COLUMNS and LINES).
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TEXTUAL")}
        env["TERM"] = "xterm-256color"
        if piped is not None:
            read_end, write_end = os.pipe()
            os.write(write_end, piped)  # small: fits in the pipe's buffer
            os.close(write_end)
            os.dup2(read_end, 0)
            os.close(read_end)
        os.execve(sys.executable, [sys.executable, "-m", "storylens", *args], env)
    out = bytearray()
    deadline = time.monotonic() + timeout
    quit_sent = False
    quiet_since = None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        # Quit once the story is drawn and the screen has been still for a moment.
        still = quiet_since is not None and time.monotonic() - quiet_since > 0.5
        if not quit_sent and wait_for in out and still:
            os.write(fd, b"q")
            quit_sent = True
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return bytes(out), os.waitstatus_to_exitcode(status)


def _assert_only_textual_wrote(out: bytes) -> None:
    """No traceback, no C1 control, no title or clipboard command, BEL only ending
    Textual's own OSCs, and invisible, reordering and erasing characters drawn as
    stand-ins, never sent."""
    assert b"Traceback" not in out
    assert not re.search(rb"\xc2[\x80-\x9f]", out)
    assert not re.search(rb"\x1b\](?:0|1|2|52);", out)
    oscs = re.findall(rb"\x1b\]([0-9]+);", out)
    assert set(oscs) <= {b"22"}, set(oscs)
    assert out.count(b"\x07") == len(oscs)
    for raw in ("\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\x00", "\x08"):
        assert raw.encode() not in out, repr(raw)


def test_escapes_in_a_story_never_reach_the_terminal(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "escapes")
    sources = case.build(tmp_path)
    out, status = _run_in_terminal(sources, READY)
    assert READY in out, out[-2000:]
    assert status == 0, out[-2000:]
    # The story's sequences were drawn as stand-ins...
    for shown in ("␛]0;pwned␇", "␛]52;c;c3RvcnlsZW5z␇", "␛[6n", "␛[21t", "␈␈␈"):
        assert shown.encode() in out, shown
    # ...and never sent, not even the requests that would make the terminal answer.
    assert b"\x1b[6n" not in out and b"\x1b[21t" not in out
    _assert_only_textual_wrote(out)


SHOWN = {"scripts": "米尔布鲁克", "long-line": "xxxxxxxxxx", "nul": "Satur␀day"}
"""Text each case must be seen drawing (besides the status line), where it has one."""


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_hostile_input_in_a_real_terminal(case: Case, tmp_path: Path) -> None:
    """The reader opens each input (or shows its one-line problem), quits cleanly, and
    writes nothing to the terminal that Textual did not draw."""
    ready = "Press q to quit." if case.refused else "row 1/"
    out, status = _run_in_terminal(case.build(tmp_path), ready.encode())
    assert ready.encode() in out, out[-2000:]
    if case.id in SHOWN:
        assert SHOWN[case.id].encode() in out
    if case.refused:
        assert case.refused.encode() in out
    assert status == (2 if case.refused else 0), out[-2000:]
    _assert_only_textual_wrote(out)


def test_a_piped_story_still_takes_keys_from_the_terminal(tmp_path: Path) -> None:
    """``cat story | storylens - other``: the story is read from the pipe, keys from the
    terminal, so q quits."""
    case = next(c for c in CASES if c.id == "cp1252")
    first, second = case.build(tmp_path)
    piped = Path(first).read_bytes()
    out, status = _run_in_terminal(["-", second], b"row 1/", piped=piped)
    assert b"row 1/" in out and b"stdin" in out
    assert status == 0, out[-2000:]
