"""matplotlib inline backend: figures become PNG ``display_data`` at the figure's DPI.

Selected with ``MPLBACKEND=module://pyloom.mpl_backend`` (set by ``pyloom.start``). Like
IPython's inline backend: ``plt.show()`` displays and closes the open figures, figures a cell
left open are displayed when it ends, and a figure that is the cell's result is shown once.
Nothing here imports matplotlib until the user does.
"""

from __future__ import annotations

import io
import sys

BACKEND = "module://pyloom.mpl_backend"
# Figures already shown during the current cell, so the end-of-cell flush does not repeat them.
_shown: set[int] = set()


def is_figure(obj: object) -> bool:
    cls = type(obj)
    return cls.__name__ in ("Figure", "SubFigure") and cls.__module__.startswith("matplotlib.")


def figure_png(fig) -> tuple[dict, dict]:
    """A figure as PNG at its own DPI (tight bounding box, as the inline backend draws it)."""
    buffer = io.BytesIO()
    figure = getattr(fig, "figure", fig)  # a SubFigure draws through its parent
    figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches="tight")
    _shown.add(id(figure))
    return {"image/png": buffer.getvalue()}, {}


def cell_started() -> None:
    _shown.clear()


def flush_figures() -> None:
    """Show every open figure not shown yet, then close them all (inline backend semantics)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    from matplotlib._pylab_helpers import Gcf

    from .display import display

    try:
        for manager in Gcf.get_all_fig_managers():
            figure = manager.canvas.figure
            if id(figure) not in _shown:
                display(figure)
    finally:
        pyplot.close("all")


def show(*args, block=None, **kwargs) -> None:
    flush_figures()


def __getattr__(name: str):
    # matplotlib asks the backend module for these; importing them lazily keeps pyloom's boot
    # free of matplotlib.
    if name == "FigureCanvas":
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        return FigureCanvasAgg
    if name == "FigureManager":
        from matplotlib.backend_bases import FigureManagerBase

        return FigureManagerBase
    raise AttributeError(name)
