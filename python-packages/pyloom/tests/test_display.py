"""The display protocol: formatter chain, display ids, clear_output, formatter errors."""

import base64
import struct
import zlib

from _support import fresh, of_type, results, stderr_text
from pyloom.display import DisplayHandle, clear_output, display, update_display
from pyloom.formatters import format_object


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    """A real, minimal RGB PNG (so format detection and sizes are tested on real bytes)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Rich:
    def _repr_html_(self):
        return "<b>rich</b>"

    def _repr_markdown_(self):
        return "**rich**"

    def _repr_svg_(self):
        return "<svg xmlns='http://www.w3.org/2000/svg'/>"

    def _repr_png_(self):
        return png_bytes()

    def _repr_jpeg_(self):
        return None  # None means "not this format"

    def _repr_latex_(self):
        return r"$x^2$"

    def _repr_json_(self):
        return {"a": [1, 2]}

    def _repr_javascript_(self):
        return "console.log(1)"

    def __repr__(self):
        return "Rich()"


def test_formatter_chain_collects_every_format():
    data, metadata = format_object(Rich())
    assert data == {
        "text/html": "<b>rich</b>",
        "text/markdown": "**rich**",
        "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "image/png": base64.b64encode(png_bytes()).decode(),
        "text/latex": "$x^2$",
        "application/json": {"a": [1, 2]},
        "application/javascript": "console.log(1)",
        "text/plain": "Rich()",
    }
    assert metadata == {}


def test_mimebundle_wins_and_other_formats_fill_in():
    class Bundle:
        def _repr_mimebundle_(self, include=None, exclude=None):
            return {"text/html": "<i>from bundle</i>", "application/vnd.custom+json": {"k": 1}}, {"text/html": {"isolated": True}}

        def _repr_html_(self):
            return "<i>from _repr_html_</i>"

        def _repr_markdown_(self):
            return "md"

    data, metadata = format_object(Bundle())
    assert data["text/html"] == "<i>from bundle</i>"
    assert data["application/vnd.custom+json"] == {"k": 1}
    assert data["text/markdown"] == "md"
    assert "text/plain" in data
    assert metadata == {"text/html": {"isolated": True}}


def test_include_and_exclude():
    data, _ = format_object(Rich(), include={"text/html", "text/plain"})
    assert set(data) == {"text/html", "text/plain"}
    data, _ = format_object(Rich(), exclude={"text/html", "image/png"})
    assert "text/html" not in data and "image/png" not in data and "text/markdown" in data


def test_repr_with_metadata_tuple():
    class Sized:
        def _repr_png_(self):
            return png_bytes(), {"width": 30}

    data, metadata = format_object(Sized())
    assert metadata == {"image/png": {"width": 30}}


def test_a_raising_formatter_warns_and_falls_back():
    shell, events = fresh()

    class Broken:
        def _repr_html_(self):
            raise ValueError("bad html")

        def _repr_markdown_(self):
            return "fallback"

        def __repr__(self):
            return "Broken()"

    data, _ = format_object(Broken())
    assert data == {"text/markdown": "fallback", "text/plain": "Broken()"}


async def test_formatter_errors_reach_stderr_and_the_cell_goes_on():
    shell, events = fresh()
    shell.user_ns["Rich"] = Rich
    reply = await shell.run_cell(
        "class Broken:\n"
        "    def _repr_html_(self):\n"
        "        raise ValueError('bad html')\n"
        "    def _repr_png_(self):\n"
        "        return 42\n"
        "    def __repr__(self):\n"
        "        return 'Broken()'\n"
        "Broken()"
    )
    assert reply["status"] == "ok"
    assert results(events) == ["Broken()"]
    warning = stderr_text(events)
    assert "_repr_html_ of Broken raised ValueError: bad html" in warning
    assert "_repr_png_ of Broken returned unusable image/png data" in warning


def test_objects_that_claim_every_attribute_get_plain_text_only():
    class Anything:
        def __getattr__(self, name):
            return lambda *a, **k: "<b>claimed</b>"

        def __repr__(self):
            return "Anything()"

    assert format_object(Anything())[0] == {"text/plain": "Anything()"}
    # A class has _repr_html_ as a plain function: showing the class must not call it.
    assert format_object(Rich)[0] == {"text/plain": repr(Rich)}


def test_non_json_data_is_refused_with_a_warning():
    class BadJson:
        def _repr_json_(self):
            return {"x": object()}

    data, _ = format_object(BadJson())
    assert "application/json" not in data


async def test_last_expression_uses_the_same_chain():
    shell, events = fresh()
    shell.user_ns["Rich"] = Rich
    await shell.run_cell("Rich()")
    [result] = of_type(events, "execute_result")
    assert result["data"]["text/html"] == "<b>rich</b>"
    assert result["execution_count"] == 1


def test_display_emits_display_data_for_each_object():
    shell, events = fresh()
    assert display(Rich(), 5) is None
    first, second = of_type(events, "display_data")
    assert first["data"]["text/html"] == "<b>rich</b>"
    assert "transient" not in first
    assert second == {"output_type": "display_data", "data": {"text/plain": "5"}, "metadata": {}}


def test_display_ids_update_in_place():
    shell, events = fresh()
    handle = display("first", display_id=True)
    assert isinstance(handle, DisplayHandle) and len(handle.display_id) == 32
    handle.update("second")
    update_display("third", display_id=handle.display_id)
    named = display("x", display_id="progress")
    assert named.display_id == "progress"
    shown, upd1, upd2, _ = events
    assert shown["transient"] == {"display_id": handle.display_id}
    assert [upd1["output_type"], upd2["output_type"]] == ["update_display_data"] * 2
    assert upd1["data"]["text/plain"] == "'second'" and upd2["data"]["text/plain"] == "'third'"
    assert upd2["transient"] == {"display_id": handle.display_id}


def test_update_without_an_id_is_an_error():
    fresh()
    try:
        display("x", update=True)
    except TypeError as exc:
        assert "display_id" in str(exc)
    else:
        raise AssertionError("update without display_id accepted")


def test_clear_output_events():
    shell, events = fresh()
    clear_output()
    clear_output(wait=True)
    display("frame", clear=True)
    assert [e["output_type"] for e in events] == ["clear_output", "clear_output", "clear_output", "display_data"]
    assert [e.get("wait") for e in events[:3]] == [False, True, True]


def test_raw_bundles_and_metadata():
    shell, events = fresh()
    display({"text/html": "<p>raw</p>", "text/plain": "raw"}, raw=True, metadata={"k": 1})
    assert events == [{"output_type": "display_data", "data": {"text/html": "<p>raw</p>", "text/plain": "raw"}, "metadata": {"k": 1}}]


async def test_ipython_display_hook_objects_show_themselves():
    shell, events = fresh()
    shell.user_ns["display"] = display
    await shell.run_cell(
        "class Widget:\n"
        "    def _ipython_display_(self):\n"
        "        display({'text/plain': 'widget view'}, raw=True)\n"
        "display(Widget())\n"
        "Widget()"
    )
    assert [e["data"]["text/plain"] for e in of_type(events, "display_data")] == ["widget view", "widget view"]
    assert of_type(events, "execute_result") == []


def test_print_and_display_keep_their_order():
    shell, events = fresh(interval=60.0)
    print("before")
    display("shown")
    print("after")
    import pyloom.streams

    pyloom.streams.flush_all()
    assert [(e["output_type"], e.get("text")) for e in events] == [
        ("stream", "before\n"),
        ("display_data", None),
        ("stream", "after\n"),
    ]
