"""Preview: the build pipeline in a loop, served from memory, reloading the browser on save.

`notices serve` never writes to site/: each save rebuilds the site in memory, remaking only
what the save changed (see cache.py), and the open page reloads itself through
the `livereload` package's script and WebSocket. File changes come from `watchfiles`
(inotify, no polling) and are grouped over 50 ms, so an editor's write-and-rename is one
rebuild. When the content is broken every page shows the errors instead, until a save
fixes them.
"""

from __future__ import annotations

import asyncio
import mimetypes
import signal
import socket
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from livereload.handlers import LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer

from ..build import build_in_memory
from ..content.reading import UnreadableFile, read_content_file
from ..diagnostics import Diagnostic, Severity
from ..project import templates_folder
from ..site.environment import create_environment
from . import access
from .cache import LazyFiles, PreviewCache
from .page import error_page, inject_reload_script
from .report import BugReport, Findings
from .saves import WATCHED, Saves, changed_files

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Snapshot:
    """One build as served: every file (HTML already carrying the reload script) and its problems."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()
    bug: bool = False
    """The generator failed (an exception): the one problem names what it was handling."""

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
        self.cache = PreviewCache()
        self.served: dict[str, tuple[bytes, bytes]] = {}
        """Each page as built and as served (with the reload script), to skip unchanged pages."""
        self.findings = Findings()
        self.bugs = BugReport(root)

    def rebuild(self, changed: Sequence[str] = ()) -> Snapshot:
        """Run the pipeline in memory, report what changed in its findings, and swap in what it made."""
        cause = f" after a change to {_describe(changed)}" if changed else ""
        try:
            result = build_in_memory(self.root, base_url=self.base_url, templates_env=self.templates_env,
                                     cache=self.cache)
            problems = tuple(result.diagnostics.sorted())
            if result.diagnostics.has_errors():
                self.snapshot = Snapshot({}, problems)
                self.findings.failed(problems, cause)
            else:
                self.snapshot = Snapshot(self._served_files(result.files), problems)
                self.findings.built(problems, f"Built {result.pages} pages in {result.seconds:.2f} s{cause}")
        except Exception as exc:  # a bug in the generator must not stop the preview
            failure = self.bugs.diagnose(exc, "building the site", list(changed))
            self.snapshot = Snapshot({}, (failure,), bug=True)
            self.cache = PreviewCache()  # it may hold half of the failed build: start the next one afresh
        return self.snapshot

    def _served_files(self, built: Mapping[str, bytes]) -> LazyFiles:
        """The built files with the reload script in each page; those not made yet get it when made."""
        made = {name: None for name in built if not isinstance(built, LazyFiles) or built.ready(name)}
        files = LazyFiles({name: self._for_preview(name, built[name]) for name in made},
                          {name: partial(self._for_preview_later, built, name) for name in built
                           if name not in made})
        self.served = {name: (built[name], files[name]) for name in made}
        return files

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
        name = path + "index.html" if path == "" or path.endswith("/") else path
        if path.startswith("assets/") and (snapshot.errors or name not in snapshot.files):
            asset = _asset_from_templates(templates_folder(self.root), path)  # any file in templates/assets/
            if asset is not None:
                return 200, _content_type(path), asset, ""
        if snapshot.errors:
            return self._error_page(snapshot)
        if name in snapshot.files:
            try:
                return 200, _content_type(name), snapshot.files[name], ""
            except Exception as exc:  # made now (see preview_cache.MADE_WHEN_ASKED): a bug, shown as one
                failure = self.bugs.diagnose(exc, f"making {name}", [])
                return self._error_page(Snapshot({}, (failure,), bug=True))
        if f"{path}/index.html" in snapshot.files:
            return 301, "", b"", f"/{path}/"
        return 404, "text/html; charset=utf-8", snapshot.files.get("404.html", b"Not found"), ""

    def _error_page(self, snapshot: Snapshot) -> tuple[int, str, bytes, str]:
        # Linked, so that the browser asks for no /favicon.ico:
        icons = sorted((templates_folder(self.root) / "assets").glob("favicon.*"))
        icon = f"/assets/{icons[0].name}" if icons else ""
        page = error_page(snapshot.errors, snapshot.problems, self.reload_script, bug=snapshot.bug, icon=icon)
        return 500, "text/html; charset=utf-8", page.encode("utf-8"), ""


def _asset_from_templates(templates: Path, path: str) -> bytes | None:
    """The stylesheet straight from templates/, so the error page is styled even before a good build."""
    target = (templates / path).resolve()
    if templates.resolve() not in target.parents:
        return None
    try:
        return read_content_file(target)
    except UnreadableFile:  # missing, a folder, a FIFO, too big: the browser gets a 404
        return None


def _content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed


class PreviewHandler(web.RequestHandler):
    """Serves the latest snapshot from memory; nothing is read from or written to site/."""

    def initialize(self, preview: Preview, address: access.Address) -> None:
        self.preview = preview
        self.address = address

    def prepare(self) -> None:
        """Pages go only to requests that name the preview: see `Address.answers_to`."""
        if not self.address.answers_to(self.request.headers.get("Host", "")):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("This preview answers only at the address `notices serve` printed (or at localhost);"
                        " to open it under another name, start it with --host 0.0.0.0.\n")

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


def _describe(names: Sequence[str]) -> str:
    """'content/notices/main.yaml and 2 more': what the terminal says caused a rebuild."""
    return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")


async def _rebuild_on_save(preview: Preview, saves: Saves) -> None:
    loop = asyncio.get_running_loop()
    while True:
        changes = await saves.next_save()
        await loop.run_in_executor(None, preview.rebuild, changed_files(changes, preview.root))
        access.reload_pages()


async def _run(preview: Preview, sockets: list[socket.socket], url: str, host: str) -> int:
    """Serve and rebuild until Ctrl-C (SIGINT) or SIGTERM, which end the loop cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    address = access.Address.of(host, sockets[0].getsockname()[1])
    app = web.Application([
        (r"/livereload", access.ReloadSocket, {"address": address}),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/(.*)", PreviewHandler, {"preview": preview, "address": address}),
    ], log_function=lambda handler: None, websocket_max_message_size=access.MAX_MESSAGE_BYTES)
    server = HTTPServer(app)
    server.add_sockets(sockets)
    saves = Saves([preview.root / name for name in WATCHED if (preview.root / name).is_dir()])
    watching = asyncio.create_task(saves.collect(stop))
    await asyncio.sleep(0)  # the watch starts now, so no save made after the address is printed is missed
    preview.rebuild()
    print(f"Previewing the site at {url}", flush=True)
    if access.only_this_computer(sockets):
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
    access.close_pages()
    return EXIT_FAILED if any(failures) else EXIT_OK


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and rebuild on every save until Ctrl-C (exit 0); 2 when the address cannot be used."""
    try:
        bound = access.bind(host, port)
    except access.AddressUnavailable as exc:
        print(f"notices: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    port = bound[0].getsockname()[1]  # the real one when asked for --port 0
    url = access.preview_url(host, port)
    script = f'<script src="/livereload.js?port={port}" defer></script>'
    preview = Preview(root, url, script)
    try:
        code = asyncio.run(_run(preview, bound, url, host))
    finally:
        for sock in bound:
            sock.close()
    print("Stopped the preview.", flush=True)
    return code
