"""Notebook defaults for Plotly, Altair and Bokeh, set the moment each library is first imported.

Each library's own notebook default is wrong in Pyloom: Plotly picks ``plotly_mimetype+notebook``
(inlines 3 MB of plotly.js as HTML on first show), Altair's ``default`` renderer emits HTML that
loads vega-embed from a CDN, and Bokeh's ``output_notebook`` loads BokehJS from a CDN
through JavaScript outputs that untrusted pages refuse. Pyloom's page renders the plain data types
(``application/vnd.plotly.v1+json``, ``application/vnd.vegalite.v*+json`` and
``application/vnd.bokeh.json-item+json``) with bundled, lazily loaded libraries, so the defaults
below make ``fig.show()``, a chart as a cell's value and ``bokeh.io.show(fig)`` emit those.
:func:`install` only registers import hooks: a session that never imports these libraries pays
nothing.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

from . import import_hooks

PLOTLY_RENDERER = "plotly_mimetype"
ALTAIR_RENDERER = "mimetype"
# Read by src/render/plots (BOKEH_JSON_ITEM): one `bokeh.embed.json_item(...)` document.
BOKEH_JSON_ITEM = "application/vnd.bokeh.json-item+json"


def install() -> None:
    """Register the hooks (idempotent per import: each fires once, when its module is imported)."""
    # plotly.io imports _renderers lazily; the default is chosen when _renderers runs.
    import_hooks.when_imported("plotly.io._renderers", configure_plotly)
    import_hooks.when_imported("altair", configure_altair)
    # bokeh.io's __init__ installs Bokeh's own Jupyter hooks last; ours replace them after it.
    import_hooks.when_imported("bokeh.io", configure_bokeh)


def configure_plotly(renderers_module: ModuleType) -> None:
    """``plotly.io.renderers.default = 'plotly_mimetype'``, unless ``$PLOTLY_RENDERER`` chose one."""
    if os.environ.get("PLOTLY_RENDERER"):
        return
    renderers_module.renderers.default = PLOTLY_RENDERER


def configure_altair(altair: ModuleType) -> None:
    """``alt.renderers.enable('mimetype')`` unless a renderer other than Altair's default is on."""
    if altair.renderers.active in ("", "default"):
        altair.renderers.enable(ALTAIR_RENDERER)


def configure_bokeh(_bokeh_io: ModuleType) -> None:
    """Replace Bokeh's ``'jupyter'`` notebook hook and switch output to the notebook.

    After this, ``show(obj)`` publishes ``json_item(obj)`` as :data:`BOKEH_JSON_ITEM` (no
    ``output_notebook()`` needed; calling it is harmless and shows no loading banner).
    """
    from bokeh.io.notebook import install_notebook_hook
    from bokeh.io.state import curstate

    install_notebook_hook("jupyter", _bokeh_load, _bokeh_show_doc, _bokeh_show_app, overwrite=True)
    curstate().output_notebook("jupyter")


def _bokeh_load(resources: Any = None, verbose: bool = False, hide_banner: bool = False, load_timeout: int = 5000) -> None:
    # BokehJS is bundled with the page and loads on the first Bokeh output: nothing to inject.
    return None


def _bokeh_show_doc(obj: Any, state: Any, notebook_handle: Any = None) -> None:
    from bokeh.embed import json_item

    from .display import publish_display_data

    if notebook_handle:
        print(
            "pyloom: show(..., notebook_handle=True) returns no handle: push_notebook() needs Bokeh's "
            "Jupyter comm, which Pyloom does not provide; call show() again with the changed figure",
            file=sys.stderr,
        )
    item = json_item(obj)
    publish_display_data({BOKEH_JSON_ITEM: item, "text/plain": f"<{type(obj).__name__} (Bokeh)>"})
    return None


def _bokeh_show_app(app: Any, state: Any, notebook_url: Any = None, **kw: Any) -> None:
    raise RuntimeError(
        "Bokeh server applications need a Bokeh server, which cannot run in the browser; "
        "show a figure or layout instead (Bokeh widgets with CustomJS callbacks work on trusted pages)"
    )
