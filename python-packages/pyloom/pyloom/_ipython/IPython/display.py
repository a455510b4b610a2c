"""``IPython.display`` for Pyloom: the display functions and classes Jupyter code imports."""

from pyloom.display import DisplayHandle, clear_output, display, publish_display_data, update_display
from pyloom.display_objects import HTML, JSON, SVG, DisplayObject, IFrame, Image, Javascript, Latex, Markdown, Math, Pretty


def _display_as(mime_method):
    def show(*objs, raw=False, **kwargs):
        for obj in objs:
            if raw:
                display({mime_method[0]: obj}, raw=True, **kwargs)
            else:
                display(obj, include=[mime_method[0]], **kwargs)

    show.__name__ = f"display_{mime_method[1]}"
    return show


display_html = _display_as(("text/html", "html"))
display_markdown = _display_as(("text/markdown", "markdown"))
display_svg = _display_as(("image/svg+xml", "svg"))
display_png = _display_as(("image/png", "png"))
display_jpeg = _display_as(("image/jpeg", "jpeg"))
display_latex = _display_as(("text/latex", "latex"))
display_json = _display_as(("application/json", "json"))
display_javascript = _display_as(("application/javascript", "javascript"))
display_pretty = _display_as(("text/plain", "pretty"))

__all__ = [
    "HTML",
    "JSON",
    "SVG",
    "DisplayHandle",
    "DisplayObject",
    "IFrame",
    "Image",
    "Javascript",
    "Latex",
    "Markdown",
    "Math",
    "Pretty",
    "clear_output",
    "display",
    "display_html",
    "display_javascript",
    "display_jpeg",
    "display_json",
    "display_latex",
    "display_markdown",
    "display_png",
    "display_pretty",
    "display_svg",
    "publish_display_data",
    "update_display",
]
