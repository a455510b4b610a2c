"""``%%html``, ``%%javascript``/``%%js``, ``%%markdown``, ``%%latex``, ``%%svg``, ``%matplotlib``.

The cell's text is displayed raw under its MIME type; the page decides what is trusted
(JavaScript runs only where the page trusts JavaScript output, as for ``display(Javascript(...))``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .core import Magics, cell_magic, line_magic, magics_class

INTERACTIVE_BACKENDS = (
    "widget",
    "ipympl",
    "notebook",
    "nbagg",
    "qt",
    "qt5",
    "qt6",
    "tk",
    "osx",
    "macosx",
    "gtk",
    "gtk3",
    "gtk4",
    "wx",
    "auto",
)


def _show(mime: str, text: str, metadata: dict[str, Any] | None = None) -> None:
    from ..display import publish_display_data

    publish_display_data({mime: text}, {mime: metadata} if metadata else {})


@magics_class
class DisplayMagics(Magics):
    @cell_magic
    def html(self, line: str, cell: str) -> None:
        """``%%html [--isolated]``: show the cell as HTML."""
        _show("text/html", cell, {"isolated": True} if "--isolated" in line else None)

    @cell_magic
    def javascript(self, line: str, cell: str) -> None:
        """``%%javascript``: the cell as JavaScript output (runs only where the page trusts it)."""
        _show("application/javascript", cell)

    @cell_magic
    def js(self, line: str, cell: str) -> None:
        """``%%js`` = ``%%javascript``."""
        _show("application/javascript", cell)

    @cell_magic
    def markdown(self, line: str, cell: str) -> None:
        _show("text/markdown", cell)

    @cell_magic
    def latex(self, line: str, cell: str) -> None:
        _show("text/latex", cell)

    @cell_magic
    def svg(self, line: str, cell: str) -> None:
        _show("image/svg+xml", cell)

    @line_magic
    def matplotlib(self, line: str = "") -> None:
        """``%matplotlib [inline]``: figures show inline (Pyloom's only backend). Never fails when
        matplotlib is not installed yet: the backend is chosen when it is imported."""
        gui = line.strip()
        if gui in ("-l", "--list"):
            print("Available matplotlib backends: ['inline']")
            return
        from .. import mpl_backend

        os.environ["MPLBACKEND"] = mpl_backend.BACKEND
        if gui not in ("", "inline"):
            if gui in INTERACTIVE_BACKENDS:
                print(
                    f"%matplotlib {gui}: Pyloom shows figures inline only (interactive backends need a kernel GUI "
                    "loop or ipympl's widget, which Pyloom does not have yet). Using the inline backend.",
                    file=sys.stderr,
                )
            else:
                print(f"%matplotlib {gui}: unknown backend; using the inline backend (the only one in Pyloom).", file=sys.stderr)
        matplotlib = sys.modules.get("matplotlib")
        if matplotlib is not None:
            matplotlib.use(mpl_backend.BACKEND)
            pyplot = sys.modules.get("matplotlib.pyplot")
            if pyplot is not None:
                pyplot.switch_backend(mpl_backend.BACKEND)
        if not gui:
            print("Using matplotlib backend: inline")
