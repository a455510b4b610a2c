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
# %config InlineBackend.figure_format(s): what each figure is drawn as ('retina' = PNG at 2x).
FIGURE_FORMATS = ("png", "retina", "png2x", "svg", "jpeg", "jpg", "pdf")
_formats: list[str] = ["png"]


def set_figure_formats(formats: str | list[str] | set[str] | tuple[str, ...]) -> None:
    """Formats for inline figures (``'png' | 'retina' | 'svg' | 'jpeg' | 'pdf'``, or several).
    Raises ValueError naming the supported ones for anything else."""
    chosen = [formats] if isinstance(formats, str) else list(formats)
    bad = [f for f in chosen if f not in FIGURE_FORMATS]
    if bad or not chosen:
        raise ValueError(f"unsupported figure format {bad or chosen!r}; supported: {', '.join(FIGURE_FORMATS)}")
    _formats[:] = ["retina" if f == "png2x" else "jpeg" if f == "jpg" else f for f in chosen]


def is_figure(obj: object) -> bool:
    cls = type(obj)
    return cls.__name__ in ("Figure", "SubFigure") and cls.__module__.startswith("matplotlib.")


def figure_png(fig) -> tuple[dict, dict]:
    """A figure in the chosen formats (PNG at its own DPI by default; tight bounding box, as the
    inline backend draws it). 'retina' is PNG at twice the DPI shown at its 1x size."""
    figure = getattr(fig, "figure", fig)  # a SubFigure draws through its parent
    data: dict = {}
    metadata: dict = {}
    for fmt in _formats:
        buffer = io.BytesIO()
        if fmt == "retina":
            figure.savefig(buffer, format="png", dpi=figure.dpi * 2, bbox_inches="tight")
            width, height = _png_size(buffer.getvalue())
            data["image/png"] = buffer.getvalue()
            metadata["image/png"] = {"width": width // 2, "height": height // 2}
        elif fmt == "svg":
            figure.savefig(buffer, format="svg", bbox_inches="tight")
            data["image/svg+xml"] = buffer.getvalue().decode("utf-8")
        else:
            figure.savefig(buffer, format=fmt, dpi=figure.dpi, bbox_inches="tight")
            data[{"png": "image/png", "jpeg": "image/jpeg", "pdf": "application/pdf"}[fmt]] = buffer.getvalue()
    _shown.add(id(figure))
    return data, metadata


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


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
