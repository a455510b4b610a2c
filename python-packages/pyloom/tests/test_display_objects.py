"""IPython.display's classes and the IPython stand-in package."""

import base64
import importlib
import os
import sys
import tempfile

from _support import fresh, of_type, require, results
from pyloom.formatters import format_object
from test_display import png_bytes


async def test_ipython_display_imports_work_unchanged():
    shell, _ = fresh()
    await shell.run_cell("pass")
    import IPython
    from IPython.core.display import HTML as CoreHTML
    from IPython.display import (  # noqa: F401
        HTML,
        JSON,
        SVG,
        Image,
        Javascript,
        Latex,
        Markdown,
        Math,
        Pretty,
        clear_output,
        display,
        update_display,
    )

    assert CoreHTML is HTML
    assert IPython.get_ipython().user_ns is shell.user_ns  # the notebook shell (pyloom.ipython_shell)
    assert display is IPython.display.display


def test_text_classes_give_their_format_and_jupyters_plain_text():
    fresh()
    from IPython.display import HTML, Javascript, Latex, Markdown, Math, Pretty

    cases = [
        (HTML("<p>x</p>"), "text/html", "<p>x</p>"),
        (Markdown("# T"), "text/markdown", "# T"),
        (Latex(r"$\alpha$"), "text/latex", r"$\alpha$"),
        (Math(r"\frac{1}{2}"), "text/latex", r"$\displaystyle \frac{1}{2}$"),
        (Javascript("element.textContent = 1"), "application/javascript", "element.textContent = 1"),
    ]
    for obj, mime, value in cases:
        data, _ = format_object(obj)
        assert data[mime] == value, (mime, data)
        assert data["text/plain"] == f"<IPython.core.display.{type(obj).__name__} object>"
    assert format_object(Pretty("pretty text"))[0] == {"text/plain": "pretty text"}


def test_svg_drops_the_xml_prolog_and_json_carries_its_options():
    fresh()
    from IPython.display import JSON, SVG

    svg = SVG('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>')
    assert format_object(svg)[0]["image/svg+xml"].startswith("<svg")
    data, metadata = format_object(JSON({"a": 1}, expanded=True, root="cfg"))
    assert data["application/json"] == {"a": 1}
    assert metadata["application/json"] == {"expanded": True, "root": "cfg"}
    assert format_object(JSON('{"b": [2]}'))[0]["application/json"] == {"b": [2]}


def test_image_from_bytes_detects_the_format_and_keeps_size_metadata():
    fresh()
    from IPython.display import Image

    png = png_bytes(4, 6)
    data, metadata = format_object(Image(data=png, width=40))
    assert data["image/png"] == base64.b64encode(png).decode()
    assert metadata == {"image/png": {"width": 40}}
    retina = format_object(Image(data=png, retina=True))[1]
    assert retina == {"image/png": {"width": 2, "height": 3}}
    gif = b"GIF89a" + b"\x00" * 10
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 10
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 10
    assert "image/gif" in format_object(Image(data=gif))[0]
    assert "image/jpeg" in format_object(Image(data=jpeg))[0]
    assert "image/webp" in format_object(Image(data=webp))[0]


def test_image_from_a_file_and_from_a_url():
    fresh()
    from IPython.display import Image

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "dot.png")
        with open(path, "wb") as handle:
            handle.write(png_bytes())
        assert format_object(Image(filename=path))[0]["image/png"] == base64.b64encode(png_bytes()).decode()
        assert format_object(Image(path))[0]["image/png"] == base64.b64encode(png_bytes()).decode()
    linked = format_object(Image(url="https://example.org/a.png", width=10))[0]
    assert linked["text/html"] == '<img src="https://example.org/a.png" width="10"/>'


def test_image_refuses_what_it_cannot_show():
    fresh()
    from IPython.display import Image

    try:
        Image(data=b"not an image at all")
    except ValueError as exc:
        assert "supported: png, jpeg, gif, webp" in str(exc)
    else:
        raise AssertionError("unknown image bytes accepted")


async def test_display_is_a_builtin_after_start_and_classes_show_in_cells():
    import builtins

    import pyloom

    shell, events = fresh()
    had = hasattr(builtins, "display")
    if not had:
        builtins.display = pyloom.display
    try:
        await shell.run_cell("from IPython.display import HTML, Markdown\ndisplay(HTML('<b>b</b>'), Markdown('*m*'))\nHTML('<i>last</i>')")
    finally:
        if not had:
            del builtins.display
    shown = of_type(events, "display_data")
    assert [d["data"].get("text/html") or d["data"].get("text/markdown") for d in shown] == ["<b>b</b>", "*m*"]
    assert of_type(events, "execute_result")[0]["data"]["text/html"] == "<i>last</i>"


def test_a_real_ipython_earlier_on_sys_path_wins_over_the_stand_in():
    import pyloom

    fresh()
    assert sys.path[-1] == pyloom.IPYTHON_SHIM or pyloom.IPYTHON_SHIM in sys.path
    assert sys.path.index(pyloom.IPYTHON_SHIM) > 0
    saved = {name: mod for name, mod in sys.modules.items() if name == "IPython" or name.startswith("IPython.")}
    with tempfile.TemporaryDirectory() as site:
        os.makedirs(os.path.join(site, "IPython"))
        with open(os.path.join(site, "IPython", "__init__.py"), "w") as handle:
            handle.write("REAL = True\n")
        for name in saved:
            del sys.modules[name]
        sys.path.insert(0, site)
        importlib.invalidate_caches()
        try:
            import IPython

            assert getattr(IPython, "REAL", False), IPython.__file__
        finally:
            sys.path.remove(site)
            for name in [n for n in sys.modules if n == "IPython" or n.startswith("IPython.")]:
                del sys.modules[name]
            sys.modules.update(saved)


async def test_matplotlib_figures_display_inline_as_png():
    require("matplotlib")
    import pyloom

    events = []
    import json

    pyloom.start(lambda text: events.append(json.loads(text)))
    shell = pyloom.get_shell()
    events.clear()
    await shell.run_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")
    await shell.run_cell("fig, ax = plt.subplots(dpi=50)\nax.plot([3, 1])\nfig")
    await shell.run_cell("plt.figure()\nplt.plot([0, 1])")
    pngs = [e for e in events if e["output_type"] in ("display_data", "execute_result") and "image/png" in e["data"]]
    # plt.show(): one figure; figure as the result: shown once (not again by the end-of-cell
    # flush); a figure left open: shown at the end of its cell, after the Line2D list result.
    assert len(pngs) == 3, [e["output_type"] for e in events]
    assert base64.b64decode(pngs[0]["data"]["image/png"]).startswith(b"\x89PNG")
    assert not any(
        "Figure" in e["data"].get("text/plain", "") for e in events if e["output_type"] == "execute_result" and "image/png" not in e["data"]
    )


async def test_pandas_dataframes_show_as_html_tables():
    require("pandas")
    shell, events = fresh()
    await shell.run_cell("import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})")
    [result] = of_type(events, "execute_result")
    assert "<table" in result["data"]["text/html"]
    assert "a" in result["data"]["text/plain"] and results(events)
