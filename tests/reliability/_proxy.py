"""A real proxy and a recording (optionally TLS) front for a server, on 127.0.0.1.

``Proxy`` speaks both kinds of HTTP proxying: a request in absolute form
(``GET http://host:port/path?query HTTP/1.1``) is forwarded to its origin in
origin form, byte for byte; ``CONNECT host:port`` opens a tunnel. ``Front``
accepts connections (TLS-wrapped when given a context), records every byte the
client sent, and pipes them to a backend such as a sandbox. Tests then compare
what reached the origin with what the signer signed.
"""

from __future__ import annotations

import contextlib
import re
import select
import socket
import ssl
import threading
from typing import BinaryIO, List, Optional, Tuple

__all__ = ["Front", "Proxy", "request_targets"]

_WAIT = 10.0


def request_targets(stream: bytes) -> List[str]:
    """The request targets of the requests in a recorded byte stream, as sent.

    The stream is parsed request by request (head, then a Content-Length body):
    a form body has no line end, so the next request line follows it directly.
    """
    targets = []
    while stream:
        head, found, stream = stream.partition(b"\r\n\r\n")
        if not found:
            break
        lines = head.split(b"\r\n")
        targets.append(lines[0].split(b" ")[1].decode("latin-1"))
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                stream = stream[int(value) :]
    return targets


def _pipe(a: socket.socket, b: socket.socket, record: Optional[List[bytes]] = None) -> None:
    """Copy both ways until either side closes; ``record`` gets what ``a`` sent."""
    sockets = [a, b]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], _WAIT)
            if not readable:
                return
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                if source is a and record is not None:
                    record.append(data)
                (b if source is a else a).sendall(data)
    except OSError:
        return


class _Listener:
    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port: int = self._socket.getsockname()[1]
        self._open: List[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with self._lock:
                if self._closed:
                    connection.close()
                    return
                self._open.append(connection)
            threading.Thread(target=self._serve_safely, args=(connection,), daemon=True).start()

    def _serve_safely(self, connection: socket.socket) -> None:
        try:
            connection.settimeout(_WAIT)
            self.serve(connection)
        except (OSError, ValueError):
            pass
        finally:
            connection.close()

    def serve(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections = list(self._open)
        self._socket.close()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Front(_Listener):
    """Accept (TLS when ``context`` is given), record what the client sends, pipe to ``backend``."""

    def __init__(self, backend: Tuple[str, int], context: Optional[ssl.SSLContext] = None) -> None:
        self.backend = backend
        self.context = context
        self._recorded: List[bytes] = []
        super().__init__()
        scheme = "https" if context is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}/"

    @property
    def received(self) -> bytes:
        return b"".join(self._recorded)

    def serve(self, connection: socket.socket) -> None:
        if self.context is not None:
            connection = self.context.wrap_socket(connection, server_side=True)
        with socket.create_connection(self.backend, timeout=_WAIT) as upstream:
            _pipe(connection, upstream, self._recorded)


class Proxy(_Listener):
    """An HTTP proxy: absolute-form requests forwarded, ``CONNECT`` tunnelled; both recorded."""

    def __init__(self) -> None:
        #: (method, target) of every request the proxy was asked for
        self.requests: List[Tuple[str, str]] = []
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"

    def serve(self, connection: socket.socket) -> None:
        reader: BinaryIO = connection.makefile("rb")  # type: ignore[assignment]
        while True:
            head = _read_head(reader)
            if head is None:
                return
            method, target, version = head[0].split(b" ", 2)
            self.requests.append((method.decode(), target.decode("latin-1")))
            if method == b"CONNECT":
                host, _, port = target.decode().rpartition(":")
                with socket.create_connection((host, int(port)), timeout=_WAIT) as upstream:
                    connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _pipe(connection, upstream)
                return
            self._forward(connection, reader, method, target, version, head[1:])

    def _forward(
        self, connection: socket.socket, reader: BinaryIO, method: bytes, target: bytes,
        version: bytes, headers: List[bytes],
    ) -> None:  # fmt: skip
        """Send one absolute-form request to its origin in origin form, and its answer back."""
        match = re.match(rb"http://([^/]+)(/.*)?$", target)
        if match is None:
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = match[1].decode().rpartition(":")
        length = 0
        kept = []
        for line in headers:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            if name not in (b"proxy-connection", b"connection", b"proxy-authorization"):
                kept.append(line + b"\r\n")
        body = reader.read(length) if length else b""
        request = b"%s %s %s\r\n" % (method, match[2] or b"/", version.strip())
        request += b"".join(kept) + b"Connection: close\r\n\r\n" + body
        with socket.create_connection((host.strip("[]"), int(port or 80)), timeout=_WAIT) as up:
            up.sendall(request)
            while True:  # the origin closes after its answer (Connection: close)
                data = up.recv(65536)
                if not data:
                    return
                connection.sendall(data)


class SocksProxy(_Listener):
    """A SOCKS5 proxy (RFC 1928): no authentication, CONNECT only; tunnels recorded."""

    def __init__(self) -> None:
        #: (host, port) of every tunnel the proxy was asked for
        self.connections: List[Tuple[str, int]] = []
        super().__init__()

    def serve(self, connection: socket.socket) -> None:
        reader: BinaryIO = connection.makefile("rb")  # type: ignore[assignment]
        version, count = reader.read(2)
        methods = reader.read(count)
        if version != 5 or 0 not in methods:
            connection.sendall(b"\x05\xff")  # no acceptable method
            return
        connection.sendall(b"\x05\x00")
        version, command, _, kind = reader.read(4)
        if kind == 1:
            host = socket.inet_ntop(socket.AF_INET, reader.read(4))
        elif kind == 3:
            host = reader.read(reader.read(1)[0]).decode("idna")
        else:
            host = socket.inet_ntop(socket.AF_INET6, reader.read(16))
        port = int.from_bytes(reader.read(2), "big")
        if version != 5 or command != 1:
            connection.sendall(b"\x05\x07\x00\x01" + bytes(6))  # command not supported
            return
        self.connections.append((host, port))
        with socket.create_connection((host, port), timeout=_WAIT) as upstream:
            connection.sendall(b"\x05\x00\x00\x01" + bytes(6))  # succeeded
            _pipe(connection, upstream)


def _read_head(reader: BinaryIO) -> Optional[List[bytes]]:
    lines: List[bytes] = []
    while True:
        line = reader.readline(65537)
        if not line:
            return None
        line = line.rstrip(b"\r\n")
        if not line:
            return lines or None
        lines.append(line)
