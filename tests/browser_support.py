"""A built site served on 127.0.0.1 and opened in Debian's Chromium, for the browser tests.

Nothing is downloaded: Playwright drives /usr/bin/chromium, and axe-core comes from the
axe-playwright-python package. Without Chromium the tests are skipped, except in CI
(`CI=true`), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def require_browser() -> None:
    """Skip without Chromium or Playwright; in CI, fail instead, so the check cannot vanish."""
    problem = ""
    if not Path(CHROMIUM).exists():
        problem = f"Chromium is not installed ({CHROMIUM}); install Debian's chromium package"
    else:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright  # noqa: F401
        except ImportError as exc:
            problem = f"the browser test tools are not installed ({exc.name}): pip install -e '.[test]'"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yields its address, like http://127.0.0.1:PORT/."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root ('' for the home page)."""
    pages = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        pages.append(relative.removesuffix("index.html"))
    return pages
