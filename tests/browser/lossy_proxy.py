"""A real HTTP proxy on loopback in front of the live server, which can lose an answer: the request reaches
the server and is saved there, and then the connection is closed before the browser reads a byte of the
answer, as when a phone's signal goes while the server is saving."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers about one connection, which the proxy answers for itself.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class LossyProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.lose: Callable[[str, str], bool] = lambda method, path: False
        self.lost: list[str] = []  # "POST /cases/new/" for each answer lost
        self.seen: list[str] = []  # every request forwarded
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def lose_until(self, method: str, path: str, until: str) -> None:
        """Every answer to `method path` is lost (the browser's own quick retries too) until the browser
        asks for `until` ("GET /outbox/"): the signal comes back then."""

        def lose(seen_method: str, seen_path: str) -> bool:
            if f"{seen_method} {seen_path}" == until:
                self.lose = lambda method, path: False
                return False
            return (seen_method, seen_path.split("?")[0]) == (method, path)

        self.lose = lose

    def _decide(self, method: str, path: str) -> bool:
        with self._lock:
            self.seen.append(f"{method} {path}")
            return self.lose(method, path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                content = answer.read()
                upstream.close()
                if proxy._decide(self.command, self.path):
                    proxy.lost.append(f"{self.command} {self.path}")
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                # A new connection for every request: the browser never retries on a reused one.
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(content)
                self.close_connection = True

            do_GET = do_POST = do_HEAD = _forward

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@contextmanager
def lossy_proxy(upstream: str) -> Iterator[LossyProxy]:
    proxy = LossyProxy(upstream)
    thread = threading.Thread(target=proxy.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.server.shutdown()
        proxy.server.server_close()
