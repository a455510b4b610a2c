"""pyloom.plot_defaults: Plotly, Altair and Bokeh emit the data types Pyloom renders.

The real libraries need Pyodide-314 builds that are not available offline here, so their tests
skip with the reason. The hook mechanism itself is tested against test doubles written into a temp
dir: packages named like the hook targets holding only the attributes the hooks touch, put first
on sys.path for one test and removed after it.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile

from _support import fresh, of_type, results, skip
from pyloom import plot_defaults

LIBRARIES = ("plotly", "altair", "bokeh")
DOUBLE_HEADER = '"""TEST DOUBLE of {target} for pyloom\'s tests/test_plot_defaults.py: only what the hook touches."""\n'

PLOTLY_DOUBLE = {
    "plotly/__init__.py": "",
    "plotly/io/__init__.py": "",
    # Plotly picks this under IPython when $PLOTLY_RENDERER is unset.
    "plotly/io/_renderers.py": "class _Renderers:\n    default = 'plotly_mimetype+notebook'\n\nrenderers = _Renderers()\n",
}
ALTAIR_DOUBLE = {
    "altair/__init__.py": (
        "class _Registry:\n    active = 'default'\n    def enable(self, name):\n        self.active = name\n\nrenderers = _Registry()\n"
    ),
}
# Bokeh's documented hook API (bokeh.io.notebook.install_notebook_hook / run_notebook_hook, the
# state's output_notebook) and bokeh.io.show's notebook branch, nothing else.
BOKEH_DOUBLE = {
    "bokeh/__init__.py": "",
    "bokeh/embed.py": "def json_item(model, target=None):\n    return {'doc': {'roots': [model.name]}, 'root_id': model.name, 'target_id': target}\n",
    "bokeh/io/state.py": (
        "class State:\n"
        "    notebook = False\n"
        "    notebook_type = None\n"
        "    def output_notebook(self, notebook_type='jupyter'):\n"
        "        self.notebook, self.notebook_type = True, notebook_type\n\n"
        "_STATE = State()\n\n"
        "def curstate():\n    return _STATE\n"
    ),
    "bokeh/io/notebook.py": (
        "_HOOKS = {}\n\n"
        "def install_notebook_hook(notebook_type, load, show_doc, show_app, overwrite=False):\n"
        "    if notebook_type in _HOOKS and not overwrite:\n"
        "        raise RuntimeError(f'hook for notebook type {notebook_type!r} already exists')\n"
        "    _HOOKS[notebook_type] = {'load': load, 'doc': show_doc, 'app': show_app}\n\n"
        "def run_notebook_hook(notebook_type, action, *args, **kwargs):\n"
        "    return _HOOKS[notebook_type][action](*args, **kwargs)\n\n"
        "def install_jupyter_hooks():\n"
        "    install_notebook_hook('jupyter', lambda *a: print('<CDN BokehJS>'), lambda *a: print('<script>'), lambda *a: None)\n"
    ),
    "bokeh/io/__init__.py": (
        "from .notebook import install_jupyter_hooks, run_notebook_hook\n"
        "from .state import curstate\n\n"
        "def output_notebook(resources=None, verbose=False, hide_banner=False, load_timeout=5000, notebook_type='jupyter'):\n"
        "    curstate().output_notebook(notebook_type)\n"
        "    run_notebook_hook(notebook_type, 'load', resources, verbose, hide_banner, load_timeout)\n\n"
        "def show(obj, notebook_handle=False):\n"
        "    state = curstate()\n"
        "    if not state.notebook:\n"
        "        raise RuntimeError('the double would save an HTML file and open a browser here')\n"
        "    if hasattr(obj, 'create_server') or callable(obj):\n"
        "        return run_notebook_hook(state.notebook_type, 'app', obj, state, None)\n"
        "    return run_notebook_hook(state.notebook_type, 'doc', obj, state, notebook_handle)\n\n"
        "install_jupyter_hooks()\n"
    ),
}


@contextlib.contextmanager
def double(files: dict[str, str]):
    """Write the test double's files to a temp dir first on sys.path; forget its modules after."""
    folder = tempfile.mkdtemp(prefix="pyloom_double_")
    for path, body in files.items():
        os.makedirs(os.path.dirname(f"{folder}/{path}"), exist_ok=True)
        target = path.removesuffix("/__init__.py").removesuffix(".py").replace("/", ".")
        with open(f"{folder}/{path}", "w") as file:
            file.write(DOUBLE_HEADER.format(target=target) + body)
    sys.path.insert(0, folder)
    roots = {path.split("/")[0] for path in files}
    try:
        yield
    finally:
        sys.path.remove(folder)
        for name in [n for n in sys.modules if n.split(".")[0] in roots]:
            del sys.modules[name]


def no_real_library(name: str) -> None:
    if name in sys.modules:
        skip(f"the real {name} is already imported in this interpreter; the double cannot stand in for it")


def test_install_imports_none_of_the_libraries():
    before = {n for n in sys.modules if n.split(".")[0] in LIBRARIES}
    plot_defaults.install()
    assert {n for n in sys.modules if n.split(".")[0] in LIBRARIES} == before
    assert "pyloom.plot_defaults" in sys.modules  # imported by the test itself; costs no library


def test_plotly_double_gets_the_mime_renderer_once_its_renderers_module_runs():
    no_real_library("plotly")
    with double(PLOTLY_DOUBLE):
        plot_defaults.install()
        import plotly.io  # noqa: F401  (the package alone chooses nothing)

        assert "plotly.io._renderers" not in sys.modules
        from plotly.io._renderers import renderers

        assert renderers.default == "plotly_mimetype"


def test_plotly_double_keeps_a_renderer_chosen_by_the_environment():
    no_real_library("plotly")
    os.environ["PLOTLY_RENDERER"] = "png"
    try:
        with double(PLOTLY_DOUBLE):
            plot_defaults.install()
            from plotly.io._renderers import renderers

            assert renderers.default == "plotly_mimetype+notebook"
    finally:
        del os.environ["PLOTLY_RENDERER"]


def test_altair_double_gets_the_mimetype_renderer():
    no_real_library("altair")
    with double(ALTAIR_DOUBLE):
        plot_defaults.install()
        import altair

        assert altair.renderers.active == "mimetype"


async def test_bokeh_double_show_publishes_a_json_item_without_output_notebook():
    no_real_library("bokeh")
    shell, events = fresh()
    with double(BOKEH_DOUBLE):
        plot_defaults.install()
        reply = await shell.run_cell(
            "from bokeh.io import output_notebook, show\n"
            "class Figure:\n    name = 'p1'\n"
            "show(Figure())\n"
            "output_notebook()\n"  # Jupyter habit: allowed, prints no CDN loader
            "show(Figure(), notebook_handle=True)"
        )
    assert reply["status"] == "ok", of_type(events, "error")
    shown = [e["data"] for e in of_type(events, "display_data")]
    assert [d[plot_defaults.BOKEH_JSON_ITEM]["root_id"] for d in shown] == ["p1", "p1"]
    assert shown[0][plot_defaults.BOKEH_JSON_ITEM]["doc"] == {"roots": ["p1"]}
    text = "".join(e["text"] for e in of_type(events, "stream"))
    assert "<CDN BokehJS>" not in text and "<script>" not in text
    assert "push_notebook() needs Bokeh's Jupyter comm" in text


async def test_bokeh_double_server_apps_fail_with_what_to_do_instead():
    no_real_library("bokeh")
    shell, events = fresh()
    with double(BOKEH_DOUBLE):
        plot_defaults.install()
        reply = await shell.run_cell("from bokeh.io import show\nshow(lambda doc: None)")
    assert reply["status"] == "error"
    assert "need a Bokeh server" in of_type(events, "error")[-1]["evalue"]


def test_a_broken_library_is_reported_and_still_imports():
    no_real_library("altair")
    errors = io.StringIO()
    with double({"altair/__init__.py": "VERSION = 'no renderers here'\n"}):
        plot_defaults.install()
        with contextlib.redirect_stderr(errors):
            import altair

        assert altair.VERSION == "no renderers here"
    assert "pyloom: could not wire altair: AttributeError" in errors.getvalue()


# ---- the real libraries (skip with the reason: no Pyodide-314 builds offline) ----

UNAVAILABLE = "is not available offline for Pyodide 314 (no wheel in ../shared/wheels or the lock); its renderer is tested from recorded outputs in test/e2e/plots.spec.ts"


def real(name: str) -> None:
    try:
        __import__(name)
    except ImportError:
        skip(f"{name} {UNAVAILABLE}")


async def test_real_plotly_fig_show_emits_the_plotly_mime_type():
    plot_defaults.install()
    real("plotly")
    shell, events = fresh()
    await shell.run_cell("import plotly.io as pio, plotly.graph_objects as go\ngo.Figure(go.Bar(y=[1, 2])).show()\npio.renderers.default")
    assert results(events)[-1] == "'plotly_mimetype'"
    assert any("application/vnd.plotly.v1+json" in e["data"] for e in of_type(events, "display_data"))


async def test_real_altair_chart_value_emits_vega_lite():
    plot_defaults.install()
    real("altair")
    shell, events = fresh()
    await shell.run_cell("import altair as alt\nalt.Chart(alt.Data(values=[{'a': 1}])).mark_point().encode(x='a:Q')")
    (data,) = [e["data"] for e in of_type(events, "execute_result")]
    assert any(k.startswith("application/vnd.vegalite.v") for k in data), list(data)


async def test_real_bokeh_show_emits_a_json_item():
    plot_defaults.install()
    real("bokeh")
    shell, events = fresh()
    await shell.run_cell("from bokeh.plotting import figure, show\np = figure()\np.line([1, 2], [3, 4])\nshow(p)")
    (data,) = [e["data"] for e in of_type(events, "display_data")]
    assert set(data[plot_defaults.BOKEH_JSON_ITEM]) >= {"doc", "root_id"}
