"""Preview: the build pipeline in a loop, served from memory, reloading the browser on save.

`notices serve` never writes to site/: each save rebuilds the site in memory, remaking only
what the save changed (see `BuildMemo` in build.py), and the open page reloads itself through
the `livereload` package's script and WebSocket. File changes come from `watchfiles`
(inotify, no polling) and are grouped over 50 ms, so an editor's write-and-rename is one
rebuild. When the content is broken every page shows the errors instead, until a save
fixes them.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import mimetypes
import os
import signal
import socket
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import netutil, web
from tornado.httpserver import HTTPServer
from tornado.websocket import WebSocketClosedError

from .build import BuildMemo, run_pipeline
from .diagnostics import Diagnostic, Severity, format_diagnostics
from .environment import create_environment
from .incremental import LazyFiles
from .preview_page import error_page, inject_reload_script
from .project import templates_folder

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
QUIET_MS = 50  # a save is complete once the files have been still this long: one rebuild per burst
WATCH_STEP_MS = 5  # watchfiles hands over events once they have been still this long
WATCHED = ("content", "templates")  # templates/ holds the stylesheet (templates/assets/)


@dataclass(frozen=True)
class Snapshot:
    """One build as served: every file (HTML already carrying the reload script) and its problems."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity is Severity.ERROR]


class Preview:
    """The latest build of one project, rebuilt on demand and read by the web server."""

    def __init__(self, root: Path, base_url: str, reload_script: str) -> None:
        self.root = root
        self.base_url = base_url
        self.reload_script = reload_script
        self.snapshot = Snapshot()
        # Compiled once and kept: recompiling every template is most of a rebuild's time.
        # auto_reload recompiles just the templates whose files changed.
        self.templates_env = create_environment(templates_folder(root))
        self.templates_env.auto_reload = True
        # What did not change is kept from one save to the next: a save rebuilds what it touched.
        self.memo = BuildMemo()
        self.served: dict[str, tuple[bytes, bytes]] = {}
        """Each page as built and as served (with the reload script), to skip unchanged pages."""

    def rebuild(self, reason: str = "") -> Snapshot:
        """Run the pipeline in memory, report like `notices build`, and swap in what it made."""
        try:
            result = run_pipeline(self.root, base_url=self.base_url, templates_env=self.templates_env,
                                  memo=self.memo)
        except Exception as exc:  # a bug in the generator must not stop the preview
            failure = Diagnostic(reason or "content", 1, 1, "the generator failed while building: "
                                 + "".join(traceback.format_exception_only(exc)).strip(),
                                 hint="this is a bug in the generator; please report it with this message")
            print(f"notices: error: {failure.message}", file=sys.stderr, flush=True)
            self.snapshot = Snapshot({}, (failure,))
            return self.snapshot
        problems = tuple(result.diagnostics.sorted())
        self._report(problems, result.diagnostics.has_errors())
        cause = f" after a change to {reason}" if reason else ""
        if result.diagnostics.has_errors():
            self.snapshot = Snapshot({}, problems)
            print(f"The browser shows these errors{cause} until they are fixed.", file=sys.stderr, flush=True)
        else:
            built = result.files
            made = {name: None for name in built if not isinstance(built, LazyFiles) or built.ready(name)}
            files = LazyFiles({name: self._for_preview(name, built[name]) for name in made},
                              {name: partial(self._for_preview_later, built, name) for name in built
                               if name not in made})
            self.served = {name: (built[name], files[name]) for name in made}
            self.snapshot = Snapshot(files, problems)
            print(f"Built {result.pages} pages in {result.seconds:.2f} s{cause}.", flush=True)
        return self.snapshot

    def _report(self, problems: tuple[Diagnostic, ...], failed: bool) -> None:
        """Print problems as `notices build` does; warnings seen at the last save are only counted."""
        if failed or problems != self.snapshot.problems:
            if problems:
                print(format_diagnostics(list(problems)), file=sys.stderr, flush=True)
        elif problems:
            count = "1 warning" if len(problems) == 1 else f"{len(problems)} warnings"
            print(f"{count}, the same as before (`notices check` lists them).",
                  file=sys.stderr, flush=True)

    def _for_preview_later(self, built: Mapping[str, bytes], name: str) -> bytes:
        return self._for_preview(name, built[name])  # made now: see incremental.MADE_WHEN_ASKED

    def _for_preview(self, name: str, body: bytes) -> bytes:
        if not name.endswith(".html"):
            return body
        built, served = self.served.get(name, (b"", b""))
        if built is body:  # the very page kept from the last build
            return served
        return inject_reload_script(body.decode("utf-8"), self.reload_script).encode("utf-8")

    def respond(self, path: str) -> tuple[int, str, bytes, str]:
        """(status, content type, body, redirect) for a request path without its leading '/'."""
        snapshot = self.snapshot
        if snapshot.errors:
            if path.startswith("assets/"):
                asset = _asset_from_templates(templates_folder(self.root), path)
                if asset is not None:
                    return 200, _content_type(path), asset, ""
            page = error_page(snapshot.errors, snapshot.problems, self.reload_script)
            return 500, "text/html; charset=utf-8", page.encode("utf-8"), ""
        name = path + "index.html" if path == "" or path.endswith("/") else path
        if name in snapshot.files:
            return 200, _content_type(name), snapshot.files[name], ""
        if f"{path}/index.html" in snapshot.files:
            return 301, "", b"", f"/{path}/"
        return 404, "text/html; charset=utf-8", snapshot.files.get("404.html", b"Not found"), ""


def _asset_from_templates(templates: Path, path: str) -> bytes | None:
    """The stylesheet straight from templates/, so the error page is styled even before a good build."""
    target = (templates / path).resolve()
    if templates.resolve() in target.parents and target.is_file():
        return target.read_bytes()
    return None


def _content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed


class PreviewHandler(web.RequestHandler):
    """Serves the latest snapshot from memory; nothing is read from or written to site/."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self, path: str) -> None:
        if any(part == ".." for part in path.split("/")):
            raise web.HTTPError(404)
        status, content_type, body, location = self.preview.respond(path)
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        if location:
            self.set_header("Location", location)
            return
        self.set_header("Content-Type", content_type)
        self.write(body)

    head = get


def _preview_url(host: str, port: int) -> str:
    """The address to print: a wildcard host is opened as 127.0.0.1 on this computer."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def _is_loopback(sockets: list[socket.socket]) -> bool:
    try:
        return all(ipaddress.ip_address(sock.getsockname()[0]).is_loopback for sock in sockets)
    except ValueError:  # e.g. an IPv6 address with a %zone
        return False


class AddressUnavailable(Exception):
    """--host/--port cannot be listened on; the message says which option to change."""


def _bind(host: str, port: int) -> list[socket.socket]:
    """Listen before building, so a port in use is reported at once."""
    try:
        return netutil.bind_sockets(port, address=host)
    except OverflowError:
        message = f"{port} is not a port number: choose one from 1024 to 65535 with --port"
        raise AddressUnavailable(message) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = (f"port {port} is already in use (is another preview running?): stop that program,"
                       f" or choose another port with --port, e.g. --port {port + 1}")
        elif exc.errno == errno.EACCES:
            message = f"not allowed to listen on port {port}: choose a port above 1023 with --port"
        else:
            message = f"cannot listen on {host} port {port} ({exc.strerror or exc}): check --host and --port"
        raise AddressUnavailable(message) from None


def _reload_browsers() -> None:
    message = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except WebSocketClosedError:
            LiveReloadHandler.waiters.discard(waiter)


def _describe(changes: set[tuple[watchfiles.Change, str]], root: Path) -> str:
    """'content/notices/main.yaml and 2 more': what the terminal says caused a rebuild."""
    names = sorted({os.path.relpath(path, root) for _, path in changes})
    return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")


class Saves:
    """File changes grouped into saves: a save is over once the files have been still for QUIET_MS.

    watchfiles' own grouping checks only every `step` ms, which would add up to a second step
    of delay; here the quiet time is measured from the last change itself.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.pending: set[tuple[watchfiles.Change, str]] = set()
        self.arrived = asyncio.Event()
        self.last_change = 0.0

    async def collect(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        async for changes in watchfiles.awatch(*self.paths, stop_event=stop, step=WATCH_STEP_MS):
            self.pending |= changes
            self.last_change = loop.time() - WATCH_STEP_MS / 1000
            self.arrived.set()

    async def next_save(self) -> set[tuple[watchfiles.Change, str]]:
        await self.arrived.wait()
        loop = asyncio.get_running_loop()
        while (still_to_wait := self.last_change + QUIET_MS / 1000 - loop.time()) > 0:
            await asyncio.sleep(still_to_wait)
        changes, self.pending = self.pending, set()
        self.arrived.clear()
        return changes


async def _rebuild_on_save(preview: Preview, saves: Saves) -> None:
    loop = asyncio.get_running_loop()
    while True:
        changes = await saves.next_save()
        await loop.run_in_executor(None, preview.rebuild, _describe(changes, preview.root))
        _reload_browsers()


async def _run(preview: Preview, sockets: list[socket.socket], url: str) -> int:
    """Serve and rebuild until Ctrl-C (SIGINT) or SIGTERM, which end the loop cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app = web.Application([
        (r"/livereload", LiveReloadHandler),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/(.*)", PreviewHandler, {"preview": preview}),
    ], log_function=lambda handler: None)
    server = HTTPServer(app)
    server.add_sockets(sockets)
    saves = Saves([preview.root / name for name in WATCHED if (preview.root / name).is_dir()])
    watching = asyncio.create_task(saves.collect(stop))
    await asyncio.sleep(0)  # the watch starts now, so no save made after the address is printed is missed
    preview.rebuild()
    print(f"Previewing the site at {url}", flush=True)
    if _is_loopback(sockets):
        print("Only this computer can open it (use --host 0.0.0.0 to share it on your network).", flush=True)
    else:
        print("Other computers on your network can open it too.", flush=True)
    print("Watching content/ and templates/; the page reloads when you save. Press Ctrl-C to stop.",
          flush=True)
    rebuilding = asyncio.create_task(_rebuild_on_save(preview, saves))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({stopping, watching, rebuilding}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    failures = [task.exception() for task in (watching, rebuilding) if task.done() and not task.cancelled()]
    for failure in filter(None, failures):
        reason = "".join(traceback.format_exception_only(failure)).strip()
        print(f"notices: error: the preview stopped watching for changes: {reason}", file=sys.stderr)
    rebuilding.cancel()
    await asyncio.wait({watching}, timeout=5)  # awatch ends within a few ms of `stop` being set
    server.stop()
    for waiter in list(LiveReloadHandler.waiters):
        waiter.close()
    return EXIT_FAILED if any(failures) else EXIT_OK


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and rebuild on every save until Ctrl-C (exit 0); 2 when the address cannot be used."""
    try:
        bound = _bind(host, port)
    except AddressUnavailable as exc:
        print(f"notices: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    port = bound[0].getsockname()[1]  # the real one when asked for --port 0
    url = _preview_url(host, port)
    script = f'<script src="/livereload.js?port={port}" defer></script>'
    preview = Preview(root, url, script)
    try:
        code = asyncio.run(_run(preview, bound, url))
    finally:
        for sock in bound:
            sock.close()
    print("Stopped the preview.", flush=True)
    return code
