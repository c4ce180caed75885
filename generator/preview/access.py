"""Who can reach the preview: where it listens, the names it answers to, and its reload socket.

The reload socket is the browser's end of "the page reloads when you save".

The open page runs livereload.js (served by the `livereload` package), which connects here and
waits for a `reload` command. Only the preview's own pages may connect: a page of any other
site the editor has open could otherwise learn each time they save. Browsers always send the
page's `Origin` when opening a WebSocket, and a page cannot leave it out or change it, so the
origin is checked against the preview's own address and port (`Address.is_own_origin`, as
tornado's `check_origin`, and first in `prepare`, since tornado lets through without asking any
origin that matches the Host header). The Host header itself must name the preview, for the
socket and the pages alike: a foreign page under a foreign name made to point at this computer
(DNS rebinding) is refused too.

A connection without an `Origin` comes from a program, not from a web page; it is let in, as
tornado does by default: a program on this computer can read content/ itself, and one elsewhere
can reach the socket only after `--host 0.0.0.0`, which shares the whole preview anyway.

Whatever a connection sends (not JSON, the wrong shape, binary, huge) is ignored or ends that
connection only: nothing is printed and the other pages keep reloading.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import socket
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from tornado import netutil
from tornado.web import HTTPError
from tornado.websocket import WebSocketClosedError, WebSocketHandler

MAX_MESSAGE_BYTES = 64 * 1024
"""livereload.js sends a few hundred bytes; tornado closes a connection that sends more than this."""
PROTOCOL = "http://livereload.com/protocols/official-7"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


@dataclass(frozen=True)
class Address:
    """Where the preview listens, and so the names and port under which its pages are opened."""

    hostnames: frozenset[str]
    port: int
    wildcard: bool
    """Listening on every address (`--host 0.0.0.0`): opened from elsewhere under any name."""

    @classmethod
    def of(cls, host: str, port: int) -> Address:
        """A preview on a loopback address is opened as 127.0.0.1, localhost or [::1]; one on a given
        address under that address."""
        wildcard = host in WILDCARD_HOSTS
        loopback = wildcard or host == "localhost" or _is_loopback(host)
        return cls(frozenset({host.lower()} | (LOOPBACK_NAMES if loopback else set())), port, wildcard)

    def answers_to(self, request_host: str) -> bool:
        """Whether a request's Host header names the preview, so that no other site's page can read it.

        A page of another site whose name is made to point at 127.0.0.1 ("DNS rebinding") reaches
        the preview as its own origin, with that site's name in the Host header: refused, unless
        the preview listens on every address, where it is opened under any name.
        """
        try:
            return self.wildcard or urlsplit("//" + request_host).hostname in self.hostnames
        except ValueError:
            return False

    def is_own_origin(self, origin: str, request_host: str) -> bool:
        """Whether a page at `origin` is one the preview served: over http, under one of its names,
        on its port, or on the port the request came to when a tool (port forwarding) moved it.

        On every address, the name in the Host header is one of its names: people elsewhere open
        the preview by this computer's name, which only the Host header gives.
        """
        try:
            page, asked = urlsplit(origin), urlsplit("//" + request_host)
            page_port, asked_port = page.port or 80, asked.port or 80
        except ValueError:  # a port that is not a number, an unclosed '['
            return False
        names = self.hostnames | {asked.hostname} if self.wildcard and asked.hostname else self.hostnames
        ports = {self.port, asked_port} if asked.hostname in names else {self.port}
        return page.scheme == "http" and page.hostname in names and page_port in ports


def preview_url(host: str, port: int) -> str:
    """The address to print: a wildcard host is opened as 127.0.0.1 on this computer."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def only_this_computer(sockets: list[socket.socket]) -> bool:
    try:
        return all(ipaddress.ip_address(sock.getsockname()[0]).is_loopback for sock in sockets)
    except ValueError:  # e.g. an IPv6 address with a %zone
        return False


class AddressUnavailable(Exception):
    """--host/--port cannot be listened on; the message says which option to change."""


def bind(host: str, port: int) -> list[socket.socket]:
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


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ReloadSocket(WebSocketHandler):
    """One open page, told to reload after each rebuild; speaks just enough of the livereload protocol."""

    pages: ClassVar[set[ReloadSocket]] = set()
    """The pages that finished the handshake: those a rebuild reloads."""

    def initialize(self, address: Address) -> None:
        self.address = address

    def prepare(self) -> None:
        """Refuse all but the preview's own pages, before tornado's own check (which lets through
        any origin that matches the Host header, whatever its scheme)."""
        host, origin = self.request.headers.get("Host", ""), self.request.headers.get("Origin")
        if not self.address.answers_to(host) or (origin is not None and not self.check_origin(origin)):
            raise HTTPError(403)

    def check_origin(self, origin: str) -> bool:
        """Only the preview's own pages (tornado calls this too, for a request that seems cross-origin)."""
        return self.address.is_own_origin(origin, self.request.headers.get("Host", ""))

    def on_message(self, message: str | bytes) -> None:
        """`hello` is answered, `info` joins the pages to reload; anything else is ignored."""
        command = _command(message)
        if command.get("command") == "hello":
            self._send({"command": "hello", "protocols": [PROTOCOL], "serverName": "notices-preview"})
        elif command.get("command") == "info":
            ReloadSocket.pages.add(self)

    def on_close(self) -> None:
        ReloadSocket.pages.discard(self)

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self.write_message(message)
        except WebSocketClosedError:
            ReloadSocket.pages.discard(self)


def _command(message: str | bytes) -> dict[str, Any]:
    """The message as a JSON object, or {} when it is anything else (binary, not JSON, a list)."""
    if not isinstance(message, str):
        return {}
    try:
        decoded = json.loads(message)
    except (ValueError, RecursionError):  # RecursionError: '[[[[…' nested too deeply
        return {}
    return decoded if isinstance(decoded, dict) else {}


def reload_pages() -> None:
    """Tell every open page to load itself again."""
    for page in list(ReloadSocket.pages):
        page._send({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})


def close_pages() -> None:
    for page in list(ReloadSocket.pages):
        page.close()
