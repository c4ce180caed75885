"""`notices serve`: a real server in a subprocess over a temporary copy of the project.

Every wait is bounded: a server that never answers fails the test instead of hanging it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE, notices

NOTICE = Path("content/notices/main.yaml")
PAGE = "/privacy-notice/"
TITLE_LINE = "title: Privacy notice\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 15.0, what: str = "the change") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.02)


class PreviewServer:
    """`python -m generator --root DIR serve --port P`, with its output collected as it comes."""

    def __init__(self, root: Path, *args: str) -> None:
        self.port = free_port()
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "serve",
             "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr)):
            threading.Thread(target=lambda s=stream, out=lines: out.extend(s), daemon=True).start()
        wait_until(lambda: "Previewing the site at" in self.out or self.process.poll() is not None,
                   timeout=60, what="the server starting")
        assert self.process.poll() is None, self.err

    @property
    def out(self) -> str:
        return "".join(self.stdout)

    @property
    def err(self) -> str:
        return "".join(self.stderr)

    def get(self, path: str) -> tuple[int, str]:
        """(status, body) of one request; error statuses are answers too."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> int:
        """Ctrl-C, as the person at the terminal would press it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            raise AssertionError("the server did not stop within 15 s of Ctrl-C") from None


@pytest.fixture
def server(project: Path) -> Iterator[PreviewServer]:
    running = PreviewServer(project)
    yield running
    running.stop()


def edit_notice(root: Path, title: str | None = None, append: str = "") -> None:
    """Save the main notice the way many editors do: write a temporary file, then rename it."""
    original = (FIXTURE / NOTICE).read_text(encoding="utf-8")
    text = original.replace(TITLE_LINE, f"title: {title}\n", 1) if title else original
    temporary = root / NOTICE.with_suffix(".yaml.tmp")
    temporary.write_text(text + append, encoding="utf-8")
    os.replace(temporary, root / NOTICE)


def test_serve_shows_each_save_then_errors_then_the_fixed_page(project: Path, server: PreviewServer) -> None:
    status, page = server.get(PAGE)
    assert status == 200 and "<h1>Privacy notice</h1>" in page.replace("\n", "")

    edit_notice(project, title="Privacy notice from the preview test")
    wait_until(lambda: "Privacy notice from the preview test" in server.get(PAGE)[1])

    edit_notice(project, append="retention: [unclosed\n")
    wait_until(lambda: server.get(PAGE)[0] == 500, what="the error page")
    for path in (PAGE, "/", "/sharing/"):  # every page shows the errors, not the last good copy
        status, body = server.get(path)
        soup = BeautifulSoup(body, "html.parser")
        assert status == 500
        assert soup.html is not None and soup.html.get("lang") == "en-GB"
        assert soup.title is not None and "error" in soup.title.text
        assert len(soup.find_all("h1")) == 1 and "cannot be shown" in soup.h1.text
        items = [" ".join(li.text.split()) for li in soup.select("main ol li")]
        assert any("content/notices/main.yaml, line" in item and "not valid YAML" in item for item in items)
        assert soup.find("script", src=re.compile("livereload")), "the error page must reload when fixed"
        assert "Privacy notice from the preview test" not in body

    # The terminal shows the very lines `notices build` prints for the same broken content.
    built = notices(project, "build", "--out", str(project.parent / "out"))
    expected = [line for line in built.stderr.splitlines() if ": error: " in line]
    assert expected and any("content/notices/main.yaml:" in line for line in expected)
    wait_until(lambda: all(line in server.err for line in expected), what="the errors in the terminal")

    edit_notice(project, title="Privacy notice, fixed")
    wait_until(lambda: server.get(PAGE)[0] == 200, what="the page coming back")
    assert "Privacy notice, fixed" in server.get(PAGE)[1]
    assert not (project / "site").exists(), "previewing must never write the published site"

    assert server.stop() == 0
    assert "Traceback" not in server.err
    assert "Stopped the preview." in server.out


def test_served_pages_carry_the_reload_script_and_the_published_ones_do_not(
    server: PreviewServer, built_site: Path
) -> None:
    soup = BeautifulSoup(server.get("/")[1], "html.parser")
    assert soup.find("script", src=re.compile(r"^/livereload\.js"))
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self'" in policy and "connect-src 'self' ws:" in policy
    assert "default-src 'none'" in policy  # relaxed just for the reload script, not opened up
    assert "livereload" in server.get("/livereload.js")[1]

    published = (built_site / "index.html").read_text(encoding="utf-8")
    assert "livereload" not in published and "script-src" not in published


def test_serve_says_where_it_listens_and_that_only_this_computer_can_see_it(server: PreviewServer) -> None:
    assert f"http://127.0.0.1:{server.port}/" in server.out
    assert "Only this computer can open it" in server.out
    assert server.get("/sharing")[0] == 200  # urllib follows the redirect to /sharing/
    status, body = server.get("/no-such-page/")
    assert status == 404 and "<h1" in body


def test_a_burst_of_saves_gives_one_rebuild(project: Path, server: PreviewServer) -> None:
    before = server.out.count("Built ")
    for number in range(5):  # e.g. save, then a formatter on save, then a backup: 10 ms apart
        edit_notice(project, title=f"Privacy notice burst {number}")
        time.sleep(0.01)
    wait_until(lambda: "Privacy notice burst 4" in server.get(PAGE)[1])
    time.sleep(0.5)  # long enough for any straggling rebuild to show up
    assert server.out.count("Built ") - before == 1, server.out


def test_a_stylesheet_change_is_served(project: Path, server: PreviewServer) -> None:
    with (project / "templates/assets/style.css").open("a", encoding="utf-8") as css:
        css.write("\n.preview-test-marker { color: red; }\n")
    wait_until(lambda: "preview-test-marker" in server.get("/assets/style.css")[1])


def test_a_template_error_is_shown_in_the_browser(project: Path, server: PreviewServer) -> None:
    base = project / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %", 1),
                    encoding="utf-8")
    wait_until(lambda: server.get("/")[0] == 500, what="the error page")
    assert "templates/base.html" in server.get("/")[1]


def test_port_in_use_is_a_usage_error_naming_the_option(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = notices(project, "serve", "--port", str(port))
    assert result.code == 2
    assert f"port {port} is already in use" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                    reason="needs Chromium (Debian package `chromium`)")
def test_the_open_page_reloads_itself_in_a_browser(project: Path, server: PreviewServer) -> None:
    """The reload script really runs under the page's (relaxed) Content-Security-Policy."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            blocked: list[str] = []
            page.on("console", lambda message: blocked.append(message.text)
                    if "Content Security Policy" in message.text else None)
            page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
            for title in ("Privacy notice seen in the browser", None, "Privacy notice fixed in the browser"):
                wait_until(lambda: _connected(page), what="the page connecting to the reload socket")
                if title:
                    edit_notice(project, title=title)
                    wait_until(lambda: title in _heading(page), what="the page reloading itself")  # noqa: B023
                else:
                    edit_notice(project, append="retention: [unclosed\n")
                    wait_until(lambda: "cannot be shown" in _heading(page), what="the error page appearing")
            assert blocked == []
        finally:
            browser.close()


def _connected(page: object) -> bool:
    """The livereload script has finished its handshake, so a reload will reach this page."""
    try:
        connected = page.evaluate(  # type: ignore[attr-defined]
            "() => Boolean(window.LiveReload && window.LiveReload.connector.protocol)")
    except Exception:  # between two documents while the page reloads
        return False
    if connected:
        time.sleep(0.05)  # the server counts the page once its `info` reply arrives, just after
    return bool(connected)


def _heading(page: object) -> str:
    try:
        return str(page.inner_text("h1", timeout=1000))  # type: ignore[attr-defined]
    except Exception:  # between two documents while the page reloads
        return ""
