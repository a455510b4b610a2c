"""HTTP from Python through pyloom.http: urllib and http.client over a transport.

The real transport is a synchronous XMLHttpRequest (tested in Chromium: test/e2e/http.spec.ts);
here a recording transport stands in for the browser so urllib's side is checked in Pyodide.
"""

import http.client
import importlib
import json
import urllib.error
import urllib.request

from pyloom import http as browser_http
from pyloom import http_hook


class Recorder:
    def __init__(self, status=200, reason="OK", headers="Content-Type: text/plain\r\n", body=b"hello", url=None):
        self.calls = []
        self.answer = (status, reason, headers, body, url)

    def __call__(self, method, url, headers, body, timeout):
        self.calls.append({"method": method, "url": url, "headers": headers, "body": body, "timeout": timeout})
        status, reason, raw, data, final = self.answer
        return status, reason, raw, data, final or url


class patched:
    """http.client patched with a recording transport for the duration of a test."""

    def __init__(self, recorder):
        self.recorder = recorder

    def __enter__(self):
        # Without the ssl module (Pyodide 0.29) http.client has no HTTPSConnection until patched.
        self.saved = (http.client.HTTPConnection, getattr(http.client, "HTTPSConnection", None), browser_http.transport)
        http.client.__dict__.pop("_pyloom_patched", None)
        browser_http.patch(http.client)
        browser_http.transport = self.recorder
        return self.recorder

    def __exit__(self, *exc):
        http.client.HTTPConnection, https, browser_http.transport = self.saved
        if https is None:
            http.client.__dict__.pop("HTTPSConnection", None)
        else:
            http.client.HTTPSConnection = https
        http.client.__dict__.pop("_pyloom_patched", None)


def test_urlopen_get_reads_status_headers_and_body():
    with patched(Recorder(headers="Content-Type: text/csv\r\nX-Extra: 1\r\n", body=b"a,b\n1,2\n")) as rec:
        with urllib.request.urlopen("https://data.example/files/t.csv?x=1", timeout=5) as response:
            body = response.read()
            assert (response.status, response.getcode(), response.reason) == (200, 200, "OK")
            assert response.headers["Content-Type"] == "text/csv" and response.getheader("x-extra") == "1"
    assert body == b"a,b\n1,2\n"
    (call,) = rec.calls
    assert call["method"] == "GET" and call["url"] == "https://data.example/files/t.csv?x=1" and call["timeout"] == 5
    # Headers the browser owns (Host, Connection, User-Agent) are not passed on.
    assert {"Host", "Connection", "User-Agent"} <= set(call["headers"])
    assert browser_http.sendable_headers(call["headers"]) == {}


def test_post_sends_the_body_and_headers():
    with patched(Recorder(status=201, reason="Created", body=b'{"ok": true}')) as rec:
        request = urllib.request.Request(
            "http://api.example/items",
            data=json.dumps({"n": 1}).encode(),
            headers={"Content-Type": "application/json", "X-Token": "t"},
            method="POST",
        )
        response = urllib.request.urlopen(request)
        assert response.status == 201 and json.loads(response.read()) == {"ok": True}
    call = rec.calls[0]
    assert call["method"] == "POST" and call["body"] == b'{"n": 1}'
    sent = browser_http.sendable_headers(call["headers"])
    assert sent == {"Content-Type": "application/json", "X-Token": "t"}


def test_binary_bodies_arrive_unchanged_and_readline_works():
    payload = bytes(range(256)) * 4 + b"\nline two\n"
    with patched(Recorder(body=payload)):
        response = urllib.request.urlopen("http://x.example/bin")
        assert response.read(256) == bytes(range(256))
        assert response.read() == payload[256:]
    with patched(Recorder(body=b"one\ntwo\n")):
        assert list(urllib.request.urlopen("http://x.example/lines")) == [b"one\n", b"two\n"]


def test_http_errors_become_urllibs_http_error():
    with patched(Recorder(status=404, reason="Not Found", body=b"missing")):
        try:
            urllib.request.urlopen("http://x.example/none")
        except urllib.error.HTTPError as error:
            assert error.code == 404 and error.read() == b"missing"
        else:
            raise AssertionError("404 did not raise HTTPError")


def test_http_client_directly_with_head_and_port():
    with patched(Recorder(body=b"ignored for HEAD")) as rec:
        conn = http.client.HTTPConnection("127.0.0.1", 8123)
        conn.request("HEAD", "/path")
        response = conn.getresponse()
        assert response.status == 200 and response.read() == b""
        conn.close()
        conn = http.client.HTTPSConnection("secure.example")
        conn.putrequest("PUT", "/a")
        conn.putheader("X-A", "1", "2")
        conn.endheaders(b"body")
        conn.getresponse()
    assert rec.calls[0]["url"] == "http://127.0.0.1:8123/path" and rec.calls[0]["method"] == "HEAD"
    assert (
        rec.calls[1]["url"] == "https://secure.example/a" and rec.calls[1]["headers"] == {"X-A": "1, 2"} and rec.calls[1]["body"] == b"body"
    )


def test_install_is_only_for_a_browser_worker_and_patching_on_import_works():
    # Node's Pyodide has no XMLHttpRequest: nothing is installed there.
    assert http_hook.in_browser_worker() is False
    assert http_hook.install() is False
    finder = http_hook.PatchOnImport()
    import http as http_package

    spec = finder.find_spec("http.client", http_package.__path__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module._pyloom_patched and module.HTTPConnection.__module__ == "pyloom.http"
    assert module.__loader__.get_source("http.client")  # inspect/linecache still reach the source
    assert finder.find_spec("json", None) is None
