"""One deadline for a whole request: connecting, the headers and the body.

httpx bounds each network operation on its own (a connect, one read), so a server that sends a
header byte every few seconds never trips a timeout and holds the request as long as it likes
(one held a request 331 s against a 120 s "deadline" that was checked on the body only). The
fetcher's client therefore runs on :class:`DeadlineTransport`: httpx's own transport over a
connection pool whose network backend (httpcore's public ``NetworkBackend`` interface) bounds
every connect, TLS handshake, read and write by what is left of the current request's deadline.
:func:`deadline` sets that deadline for the requests the calling thread makes inside it; past it,
the next network operation raises httpcore's timeout, which httpx reports as its own, and the
fetcher names it as the deadline.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

import httpcore
import httpx

_CURRENT = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Requests this thread makes inside the block end within ``seconds``; yields the deadline
    (``time.monotonic()`` clock)."""
    _CURRENT.at = time.monotonic() + seconds
    try:
        yield _CURRENT.at
    finally:
        _CURRENT.at = None


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    at = getattr(_CURRENT, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise timeout_error("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._stream.start_tls(ssl_context, server_hostname,
                                              _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        return _Stream(self._backend.connect_tcp(host, port, _bounded(timeout, httpcore.ConnectTimeout),
                                                 local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options=None) -> httpcore.NetworkStream:
        return _Stream(self._backend.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout),
                                                         socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's HTTP transport (request mapping, error mapping) whose connections are made by a
    backend that honours :func:`deadline`. No proxy: the fetcher never uses one."""

    def __init__(self, limits: httpx.Limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )
