"""Turn a Python object into a MIME bundle ``(data, metadata)``, the way IPython does.

The chain: ``_repr_mimebundle_`` first, then every ``_repr_<format>_`` method for the types the
bundle does not have yet, then ``text/plain`` from ``repr`` (pretty-printed for long containers).
The last-expression result and ``display()`` both come through here. A formatter that raises or
returns the wrong type is reported on stderr as a warning and skipped; it never ends the cell.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

# pprint only when a repr would be long: short containers stay on one line, as in IPython.
PRETTY_WIDTH = 79
# A repr larger than this is cut so one careless expression cannot flood the page.
MAX_PLAIN_CHARS = 1_000_000

# MIME type → the method that produces it, in IPython's order.
REPR_METHODS: tuple[tuple[str, str], ...] = (
    ("text/html", "_repr_html_"),
    ("text/markdown", "_repr_markdown_"),
    ("image/svg+xml", "_repr_svg_"),
    ("image/png", "_repr_png_"),
    ("image/jpeg", "_repr_jpeg_"),
    ("text/latex", "_repr_latex_"),
    ("application/json", "_repr_json_"),
    ("application/javascript", "_repr_javascript_"),
    ("application/pdf", "_repr_pdf_"),
)
BINARY_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}

# Printers registered per type through get_ipython().display_formatter (sympy, %precision):
# set by pyloom.formatters_ext once one exists; they win over every other source, as in IPython.
type_printer_hook: Callable[[object], list[tuple[str, object, dict | None]]] | None = None

# Types that know how to show themselves without a _repr_*_ method (matplotlib figures).
_type_formatters: list[tuple[Callable[[object], bool], Callable[[object], tuple[dict, dict]]]] = []


def register_type_formatter(matches: Callable[[object], bool], formatter: Callable[[object], tuple[dict, dict]]) -> None:
    _type_formatters.append((matches, formatter))


def warn(message: str) -> None:
    sys.stderr.write(f"FormatterWarning: {message}\n")


def real_method(obj: object, name: str) -> Callable[..., Any] | None:
    """``obj.name`` if it is a real method: not on a class, not invented by ``__getattr__``."""
    if isinstance(obj, type):
        return None
    try:
        # Objects that answer every attribute (mocks, proxies) would claim every format.
        if getattr(obj, "_ipython_canary_method_should_not_exist_", None) is not None:
            return None
        method = getattr(obj, name, None)
    except Exception:
        return None
    return method if callable(method) else None


def plain_text(obj: object) -> str:
    pretty = real_method(obj, "_repr_pretty_")
    try:
        if pretty is not None:
            text = _call_repr_pretty(pretty)
        else:
            text = repr(obj)
            if len(text) > PRETTY_WIDTH and isinstance(obj, (list, tuple, dict, set, frozenset)):
                import pprint  # only for long containers: keeps it off the boot path

                text = pprint.pformat(obj, width=PRETTY_WIDTH, sort_dicts=False)
    except Exception as exc:  # a broken __repr__ must not kill the cell
        text = f"<{type(obj).__name__} object: repr() raised {type(exc).__name__}: {exc}>"
    if len(text) > MAX_PLAIN_CHARS:
        text = text[:MAX_PLAIN_CHARS] + f"\n… [{len(text) - MAX_PLAIN_CHARS} more characters not shown]"
    return text


class _Printer:
    """The little of IPython.lib.pretty's printer that ``_repr_pretty_`` methods mostly use."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, s: str) -> None:
        self.parts.append(str(s))

    def pretty(self, obj: object) -> None:
        self.parts.append(plain_text(obj))

    def breakable(self, sep: str = " ") -> None:
        self.parts.append(sep)

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


def _call_repr_pretty(method: Callable[..., Any]) -> str:
    printer = _Printer()
    method(printer, False)
    return "".join(printer.parts)


def _clean(mime: str, value: object) -> object:
    """Data as nbformat stores it; raises TypeError/ValueError for what cannot be."""
    if mime in BINARY_TYPES:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(value)).decode("ascii")
        if isinstance(value, str):
            return value  # already base64, as IPython accepts
        raise TypeError(f"expected bytes or a base64 str, got {type(value).__name__}")
    if mime == "application/json" or mime.endswith("+json"):
        json.dumps(value, allow_nan=False)  # must survive the trip to JS and into .ipynb
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    if not isinstance(value, str):
        raise TypeError(f"expected str, got {type(value).__name__}")
    return value


def _split(result: object) -> tuple[object, dict | None]:
    """A _repr_*_ may return ``value`` or ``(value, metadata)``."""
    if isinstance(result, tuple) and len(result) == 2 and (result[1] is None or isinstance(result[1], dict)):
        return result[0], result[1]
    return result, None


def _wanted(mime: str, include: Iterable[str] | None, exclude: Iterable[str] | None) -> bool:
    return (include is None or mime in include) and (exclude is None or mime not in exclude)


def format_object(obj: object, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None) -> tuple[dict, dict]:
    include = set(include) if include is not None else None
    exclude = set(exclude) if exclude is not None else None
    data: dict[str, object] = {}
    metadata: dict[str, object] = {}
    owner = type(obj).__name__

    def add(mime: str, value: object, meta: dict | None, source: str) -> None:
        if value is None or mime in data or not _wanted(mime, include, exclude):
            return
        try:
            data[mime] = _clean(mime, value)
        except (TypeError, ValueError) as exc:
            warn(f"{source} of {owner} returned unusable {mime} data ({exc}); falling back to the next format")
            return
        if meta:
            metadata[mime] = meta

    if type_printer_hook is not None:
        for mime, value, meta in type_printer_hook(obj):
            add(mime, value, meta, "the registered formatter")

    bundle_method = real_method(obj, "_repr_mimebundle_")
    if bundle_method is not None:
        try:
            result = bundle_method(include=include, exclude=exclude)
        except Exception as exc:
            warn(f"_repr_mimebundle_ of {owner} raised {type(exc).__name__}: {exc}; falling back to the next format")
        else:
            bundle, bundle_meta = _split(result)
            if isinstance(bundle, dict):
                for mime, value in bundle.items():
                    meta = (bundle_meta or {}).get(mime)
                    add(mime, value, meta if isinstance(meta, dict) else None, "_repr_mimebundle_")
                for key, value in (bundle_meta or {}).items():
                    if key not in metadata and key in data and not isinstance(value, dict):
                        metadata[key] = value
            elif bundle is not None:
                warn(f"_repr_mimebundle_ of {owner} returned {type(bundle).__name__}, not a dict; ignored")

    for matches, formatter in _type_formatters:
        try:
            if matches(obj):
                extra, extra_meta = formatter(obj)
                for mime, value in extra.items():
                    add(mime, value, extra_meta.get(mime), "the formatter")
        except Exception as exc:
            warn(f"formatting {owner} raised {type(exc).__name__}: {exc}; falling back to the next format")

    for mime, name in REPR_METHODS:
        if mime in data or not _wanted(mime, include, exclude):
            continue
        method = real_method(obj, name)
        if method is None:
            continue
        try:
            value, meta = _split(method())
        except NotImplementedError:
            continue
        except Exception as exc:
            warn(f"{name} of {owner} raised {type(exc).__name__}: {exc}; falling back to the next format")
            continue
        add(mime, value, meta, name)

    # text/plain is the fallback every front end can show; kept unless explicitly excluded.
    if "text/plain" not in data and (_wanted("text/plain", include, exclude) or not data):
        data["text/plain"] = plain_text(obj)
    return data, metadata


__all__ = ["format_object", "plain_text", "real_method", "register_type_formatter"]
