"""Turn a Python object into a MIME bundle ``(data, metadata)``.

This is the single place the last-expression result (and, later, ``display()``) is formatted.
Today it produces ``text/plain``; the rich ``_repr_*_`` chain plugs in here.
"""

from __future__ import annotations

# pprint only when a repr would be long: short containers stay on one line, as in IPython.
PRETTY_WIDTH = 79
# A repr larger than this is cut so one careless expression cannot flood the page.
MAX_PLAIN_CHARS = 1_000_000


def plain_text(obj: object) -> str:
    try:
        text = repr(obj)
        if len(text) > PRETTY_WIDTH and isinstance(obj, (list, tuple, dict, set, frozenset)):
            import pprint  # only for long containers: keeps it off the boot path

            text = pprint.pformat(obj, width=PRETTY_WIDTH, sort_dicts=False)
    except Exception as exc:  # a broken __repr__ must not kill the cell
        text = f"<{type(obj).__name__} object: repr() raised {type(exc).__name__}: {exc}>"
    if len(text) > MAX_PLAIN_CHARS:
        text = text[:MAX_PLAIN_CHARS] + f"\n… [{len(text) - MAX_PLAIN_CHARS} more characters not shown]"
    return text


def format_object(obj: object) -> tuple[dict, dict]:
    return {"text/plain": plain_text(obj)}, {}


__all__ = ["format_object", "plain_text"]
