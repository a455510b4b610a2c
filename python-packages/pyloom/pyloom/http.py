"""HTTP from Python in the browser worker: ``http.client`` over a synchronous XMLHttpRequest.

There are no sockets in a browser, so ``urllib.request.urlopen`` (and ``pandas.read_csv(url)``,
which uses it) ended in ``RemoteDisconnected``. :func:`install` replaces
``http.client.HTTPConnection``/``HTTPSConnection`` with classes that send each request as one
synchronous XMLHttpRequest (allowed in workers; bodies are ``arraybuffer``, so binary data
arrives intact). urllib builds on them unchanged: status, headers, ``HTTPError`` for 4xx/5xx.
The browser follows redirects itself. ``requests`` (urllib3 ≥ 2.2) has its own Pyodide
transport and needs nothing from here.

Limits that come from the browser: the server must allow the page's origin (CORS), and headers
the browser controls (``Host``, ``User-Agent``, ``Connection``, ``Content-Length``, ``Cookie``…)
are not sent. A refused request raises :class:`BrowserNetworkError` naming CORS and the URL.
Installed lazily by :mod:`pyloom.http_hook`: this module is imported when ``http.client`` is.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

# Set by the browser, never by a script (XMLHttpRequest.setRequestHeader refuses them).
FORBIDDEN_HEADERS = {
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "via",
}


class BrowserNetworkError(ConnectionError):
    """The browser refused the request or could not reach the server (it does not say which)."""


# (method, url, headers, body, timeout seconds | None) -> (status, reason, raw headers, body, final url)
Transport = Callable[[str, str, dict[str, str], bytes | None, float | None], tuple[int, str, str, bytes, str]]


def sendable_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers a script may set (the browser sets Host, User-Agent, Connection… itself)."""
    return {k: v for k, v in headers.items() if k.lower() not in FORBIDDEN_HEADERS and not k.lower().startswith(("proxy-", "sec-"))}


def _origin() -> str:
    try:
        from js import location  # type: ignore[import-not-found]

        return str(location.origin)
    except Exception:
        return "this page"


def xhr_transport(
    method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: float | None
) -> tuple[int, str, str, bytes, str]:
    """One synchronous XMLHttpRequest. Raises BrowserNetworkError when the browser refuses it."""
    from js import XMLHttpRequest  # type: ignore[import-not-found]
    from pyodide.ffi import JsException, to_js  # type: ignore[import-not-found]

    xhr = XMLHttpRequest.new()
    xhr.open(method, url, False)
    xhr.responseType = "arraybuffer"
    if timeout:
        xhr.timeout = int(timeout * 1000)
    for name, value in sendable_headers(headers).items():
        xhr.setRequestHeader(name, value)
    try:
        xhr.send(to_js(body) if body else None)
    except JsException as exc:
        kind = "timed out" if "timeout" in str(exc).lower() else "was refused"
        raise BrowserNetworkError(
            f"{method} {url} {kind} by the browser ({exc}). Most often this is CORS: the server must "
            f"answer with an Access-Control-Allow-Origin header that allows {_origin()}; otherwise the "
            "server is unreachable. Fetch through a server that allows CORS, or put the file beside the notebook."
        ) from None
    data = xhr.response.to_bytes() if xhr.response is not None else b""
    return int(xhr.status), str(xhr.statusText), str(xhr.getAllResponseHeaders()), data, str(xhr.responseURL or url)


transport: Transport = xhr_transport


class BrowserHTTPResponse(io.BytesIO):
    """What ``getresponse()`` returns: ``http.client.HTTPResponse``'s attributes over a body that
    has fully arrived (``read``, ``readline``, iteration, ``status``, ``reason``, ``headers``…)."""

    def __init__(self, status: int, reason: str, raw_headers: str, body: bytes, url: str, method: str) -> None:
        import http.client

        super().__init__(b"" if method == "HEAD" else body)
        self.status = self.code = status
        self.reason = reason
        self.version = 11
        self.headers = self.msg = http.client.parse_headers(
            io.BytesIO(raw_headers.replace("\r\n", "\n").encode("latin-1", "replace") + b"\n")
        )
        self.url = url
        self.length = len(body)
        self.chunked = False
        self.will_close = True
        self.debuglevel = 0

    def getheader(self, name: str, default: Any = None) -> Any:
        values = self.headers.get_all(name)
        return ", ".join(values) if values else default

    def getheaders(self) -> list[tuple[str, str]]:
        return list(self.headers.items())

    def info(self) -> Any:
        return self.headers

    def geturl(self) -> str:
        return self.url

    def getcode(self) -> int:
        return self.status

    def isclosed(self) -> bool:
        return self.closed

    def fileno(self) -> int:
        raise OSError("a browser HTTP response has no file descriptor")


def _make_connection(base: type, scheme: str) -> type:
    class BrowserConnection(base):  # type: ignore[misc, valid-type]
        """``http.client`` connection that sends each request as a synchronous XMLHttpRequest."""

        def __init__(self, host: str, port: int | None = None, timeout: Any = None, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("context", None)
            kwargs.pop("check_hostname", None)
            base_kwargs = {k: v for k, v in kwargs.items() if k in ("source_address", "blocksize")}
            import socket

            super().__init__(host, port, timeout if timeout is not None else socket._GLOBAL_DEFAULT_TIMEOUT, **base_kwargs)  # type: ignore[attr-defined]
            self._pending: tuple[str, str, dict[str, str], bytes | None] | None = None
            self._response: BrowserHTTPResponse | None = None

        def connect(self) -> None:
            pass  # nothing to open: each request is its own XMLHttpRequest

        def request(self, method: str, url: str, body: Any = None, headers: Any = None, *, encode_chunked: bool = False) -> None:
            # Sent now, as http.client does: a refusal is raised here, where urllib turns it
            # into URLError.
            self._pending = (method, url, dict(headers or {}), _body_bytes(body))
            self._response = self._perform()

        def putrequest(self, method: str, url: str, skip_host: bool = False, skip_accept_encoding: bool = False) -> None:
            self._pending = (method, url, {}, None)

        def putheader(self, header: str, *values: Any) -> None:
            if self._pending is None:
                raise http_client().CannotSendHeader()
            self._pending[2][header] = ", ".join(str(v) for v in values)

        def endheaders(self, message_body: Any = None, *, encode_chunked: bool = False) -> None:
            if self._pending is None:
                raise http_client().CannotSendHeader()
            method, url, headers, _ = self._pending
            self._pending = (method, url, headers, _body_bytes(message_body))

        def send(self, data: Any) -> None:
            if self._pending is None:
                raise http_client().CannotSendRequest()
            method, url, headers, body = self._pending
            self._pending = (method, url, headers, (body or b"") + (_body_bytes(data) or b""))

        def getresponse(self) -> BrowserHTTPResponse:
            response, self._response = self._response, None
            return response if response is not None else self._perform()

        def _perform(self) -> BrowserHTTPResponse:
            if self._pending is None:
                raise http_client().ResponseNotReady("no request was sent")
            method, path, headers, body = self._pending
            self._pending = None
            default_port = 443 if scheme == "https" else 80
            netloc = self.host if self.port in (None, default_port) else f"{self.host}:{self.port}"
            if ":" in self.host and not self.host.startswith("["):
                netloc = f"[{self.host}]" if self.port in (None, default_port) else f"[{self.host}]:{self.port}"
            url = path if path.startswith(("http://", "https://")) else f"{scheme}://{netloc}{path}"
            timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
            status, reason, raw, data, final = transport(method, url, headers, body, timeout)
            return BrowserHTTPResponse(status, reason, raw, data, final, method)

        def close(self) -> None:
            self._pending = None
            self._response = None

    BrowserConnection.__name__ = BrowserConnection.__qualname__ = "HTTPSConnection" if scheme == "https" else "HTTPConnection"
    BrowserConnection.default_port = 443 if scheme == "https" else 80
    return BrowserConnection


def http_client() -> Any:
    import http.client

    return http.client


def _body_bytes(body: Any) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("iso-8859-1")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("iso-8859-1") if isinstance(data, str) else bytes(data)
    return b"".join(chunk.encode("iso-8859-1") if isinstance(chunk, str) else bytes(chunk) for chunk in body)


def patch(module: Any) -> None:
    """Replace the connection classes of an imported ``http.client`` (idempotent)."""
    if getattr(module, "_pyloom_patched", False):
        return
    module.OriginalHTTPConnection = module.HTTPConnection
    module.HTTPConnection = _make_connection(module.HTTPConnection, "http")
    # Both derive from the plain connection: the browser does TLS (and HTTPSConnection.__init__
    # names its own class, which is this one after patching).
    module.HTTPSConnection = _make_connection(module.OriginalHTTPConnection, "https")
    if not hasattr(module, "_create_https_context") or "ssl" not in sys.modules:
        module._create_https_context = lambda http_version=None: None
    module._pyloom_patched = True
    request = sys.modules.get("urllib.request")
    # Imported before us: its HTTPS handler was left out for want of ssl.
    if request is not None and hasattr(request, "AbstractHTTPHandler") and not hasattr(request, "HTTPSHandler"):
        _add_https_handler(request)


def _add_https_handler(request: Any) -> None:
    """Without the ssl module urllib has no HTTPS handler; the browser does TLS, so add one."""

    class HTTPSHandler(request.AbstractHTTPHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(http_client().HTTPSConnection, req)

        https_request = request.AbstractHTTPHandler.do_request_

    request.HTTPSHandler = HTTPSHandler
    if "HTTPSHandler" not in request.__all__:
        request.__all__.append("HTTPSHandler")
