"""How long an editor waits: from saving a notice to the preview serving the change.

Starts `notices serve` on a free loopback port over a temporary copy of content/ and
templates/, then 20 times: changes the main notice's title on disk and fetches the page
over HTTP until it shows the new title. With --browser it also measures the whole loop
as a person sees it: headless Chromium (/usr/bin/chromium, through Playwright) keeps the
page open and the script waits for the page to reload itself with the new title.

    .venv/bin/python benchmarks/preview.py [--edits 20] [--browser]
    .venv/bin/python benchmarks/preview.py --notices 1000    # a synthetic site (benchmarks/scale.py)
                                                             # of 1,000 service notices, editing one
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NOTICE = Path("content/notices/main.yaml")
PAGE = "privacy-notice/"
TITLE_LINE = "title: Privacy notice\n"
SETTLE_SECONDS = 0.3  # between edits, so each one is measured on its own


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(root: Path, port: int) -> subprocess.Popen[str]:
    """`notices serve` in a subprocess; returns once it prints its address (or fails)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
    )
    ready = threading.Event()

    def read_output() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            if "http://" in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    threading.Thread(target=lambda: server.stderr and server.stderr.read(), daemon=True).start()
    if not ready.wait(300):
        server.kill()
        sys.exit("the preview server did not start within 300 s")
    return server


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def measure(
    notice: Path, original: str, edits: int, seen_at: Callable[[str], float | None], poll: float = 0.005,
    title_line: str = TITLE_LINE,
) -> list[float]:
    """Milliseconds from each save to the time `seen_at(new title)` reports the change was shown."""
    times = []
    for number in range(1, edits + 1):
        title = f"Privacy notice (edit {number} at {time.time_ns()})"
        time.sleep(SETTLE_SECONDS)
        saved = time.time()
        notice.write_text(original.replace(title_line, f"title: {title}\n", 1), encoding="utf-8")
        deadline = saved + 10
        while (shown := seen_at(title)) is None:
            if time.time() > deadline:
                raise TimeoutError(f"edit {number} never appeared")
            time.sleep(poll)
        times.append((shown - saved) * 1000)
        print(f"edit {number:2}: {times[-1]:6.1f} ms", flush=True)
    return times


def served_at(url: str) -> Callable[[str], float | None]:
    """The moment a request for `url` answers with the title in it."""
    return lambda title: time.time() if title in fetch(url) else None


def painted_at(url: str) -> tuple[Callable[[str], float | None], Callable[[], None]]:
    """A Chromium page kept open on `url`; once it shows the title, when the browser painted it."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
    page = browser.new_page()
    page.goto(url)

    def seen_at(title: str) -> float | None:
        try:
            if title not in page.inner_text("h1", timeout=1000):
                return None
            # The reloaded document's first contentful paint, on the same clock as time.time().
            return float(page.evaluate("""() => {
                const paint = performance.getEntriesByName("first-contentful-paint")[0];
                return (performance.timeOrigin + (paint ? paint.startTime : performance.now())) / 1000;
            }"""))
        except Exception:  # between two documents while the page reloads
            return None

    def close() -> None:
        browser.close()
        playwright.stop()

    return seen_at, close


def summarise(what: str, times: list[float]) -> str:
    return (f"preview: median {what} {statistics.median(times):.0f} ms over {len(times)} edits"
            f" (min {min(times):.0f}, max {max(times):.0f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="how many saves to time (default: 20)")
    parser.add_argument("--browser", action="store_true", help="also time the reload in headless Chromium")
    parser.add_argument("--notices", type=int, default=0,
                        help="instead of the shipped content, a synthetic site of this many service notices")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as folder:
        root = Path(folder)
        notice_file, page, title_line = NOTICE, PAGE, TITLE_LINE
        if args.notices:
            sys.path.insert(0, str(PROJECT / "benchmarks"))
            from scale import write_content

            write_content(root, args.notices)
            notice_file, page = Path("content/notices/service-5.yaml"), "service-5/"
            title_line = "title: Service 5\n"
        else:
            for name in ("content", "templates"):
                shutil.copytree(PROJECT / name, root / name)
        notice = root / notice_file
        original = notice.read_text(encoding="utf-8")
        if title_line not in original:
            sys.exit(f"{notice_file} has no line {title_line.strip()!r} to edit")
        port = free_port()
        url = f"http://127.0.0.1:{port}/{page}"
        server = start_server(root, port)
        try:
            http = measure(notice, original, args.edits, served_at(url), title_line=title_line)
            summary = [summarise("save-to-served", http)]
            if args.browser:
                seen_at, close = painted_at(url)
                try:
                    # The browser stamps the paint itself, so poll it gently: asking it every few
                    # milliseconds slows the very reload being measured.
                    seen = measure(notice, original, args.edits, seen_at, poll=0.1, title_line=title_line)
                finally:
                    close()
                summary.insert(0, summarise("save-to-reloaded-page in Chromium", seen))
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
