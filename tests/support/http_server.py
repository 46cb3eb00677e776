"""A real HTTP server on 127.0.0.1 for adapter tests: the adapter's own requests code runs end to end."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import attrs


@attrs.frozen
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes


@attrs.frozen
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = attrs.field(factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0  # seconds to stall before answering (to provoke client timeouts)
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes


Handler = Callable[[Request], Response]

# Client timeouts in adapter tests. Requests expected to succeed get a generous one (a busy machine may be slow
# to answer); only a test that wants a timeout uses a short one, against a server stalling for far longer, so
# the timeout surely fires. No test asserts how long anything took.
PATIENT_TIMEOUT = 30.0
SHORT_TIMEOUT = 0.5
STALL = 600.0  # a stalled answer's delay: longer than any test; the server cuts it short when it stops


class FakeHttpServer:
    """Serve `handler` on a free loopback port; every request is kept in `requests` for assertions.

    Use as a context manager; `url` is the base address, e.g. http://127.0.0.1:40123.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Request(
                    method=self.command, path=parts.path, query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()}, body=body,
                )
                outer.requests.append(request)
                response = outer.handler(request)
                if response.delay:
                    outer._stop.wait(response.delay)
                payload = response.body.encode() if isinstance(response.body, str) else response.body
                try:
                    self.send_response(response.status)
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    if response.content_length:
                        self.send_header("Content-Length", str(len(payload)))
                    else:
                        self.close_connection = True  # HTTP/1.0 without a length: EOF ends the body
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeHttpServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
