"""Render the HTML report of the bundled demo story with headless Chromium.

Run from the repository root: ``python scripts/report_screenshot.py``. It writes
``screenshots/report.html`` (the report itself) and ``screenshots/report.png``
(how a real browser draws it, 1600 × 2000). ``--fragment r8`` scrolls to an
anchor first (a row ``rN`` or paragraph ``dN.pM``); ``--out`` picks another PNG;
``--size`` another window; ``--many`` compares twelve outlets instead of five
(its page goes to a temporary folder); ``--dark`` asks for the dark scheme.

Chromium runs with a throw-away profile and with background networking, sync
and component updates off; the report itself forbids every fetch (its
Content-Security-Policy), so nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """The Chromium binary, if there is one."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(
    page: Path,
    png: Path,
    *,
    size: tuple[int, int] = (1600, 2000),
    fragment: str = "",
    dark: bool = False,
) -> Path:
    """Draw *page* (an HTML file) with headless Chromium into *png*; return *png*."""
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("Chromium is not installed (looked for /usr/bin/chromium)")
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="storylens-chromium-") as profile:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                *(["--force-dark-mode"] if dark else []),
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={size[0]},{size[1]}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not png.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot for {page}")
    return png


def main(argv: list[str] | None = None) -> int:
    """Write the demo report and its screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fragment", default="", help="anchor to scroll to, e.g. r8")
    parser.add_argument("--out", type=Path, default=OUT / "report.png", help="the PNG to write")
    parser.add_argument("--size", default="1600,2000", help="window size W,H")
    parser.add_argument("--many", action="store_true", help="twelve outlets, not five")
    parser.add_argument("--dark", action="store_true", help="ask for the dark colour scheme")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "src"))
    from storylens.core.compare import compare, compare_sources
    from storylens.core.load import load_sources
    from storylens.demo import demo_sources
    from storylens.export.html_export import write_html

    paths, labels = demo_sources()
    if args.many:
        chosen = (paths * 3)[:12]
        comparison = compare(load_sources(chosen, labels=[f"Outlet {n + 1}" for n in range(12)]))
    else:
        comparison = compare_sources(paths, labels=labels)
    OUT.mkdir(exist_ok=True)
    page = (
        Path(tempfile.mkdtemp(prefix="storylens-report-")) / "report-many.html"
        if args.many
        else OUT / "report.html"
    )
    began = time.perf_counter()
    with page.open("wb") as out:
        write_html(comparison, out)
    took = time.perf_counter() - began
    print(f"{page} ({page.stat().st_size:,} bytes, written in {took * 1000:.0f} ms)")
    width, height = (int(x) for x in args.size.split(","))
    print(screenshot(page, args.out, size=(width, height), fragment=args.fragment, dark=args.dark))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
