"""The IPython display protocol: ``display``, ``update_display``, ``clear_output``, handles.

Outputs leave as Jupyter's iopub shapes: ``display_data`` (with ``transient.display_id`` when the
display can be updated later), ``update_display_data`` and ``clear_output``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._hook import emit
from .formatters import format_object, real_method

if TYPE_CHECKING:
    from .protocol import DisplayDataEvent, Transient, UpdateDisplayDataEvent


def _new_display_id() -> str:
    return uuid.uuid4().hex


def publish_display_data(
    data: dict[str, Any],
    metadata: dict[str, Any] | None = None,
    *,
    transient: dict[str, Any] | None = None,
    update: bool = False,
) -> None:
    """Send a ready-made MIME bundle (IPython's ``publish_display_data``)."""
    display_id = (transient or {}).get("display_id")
    if update:
        if not display_id:
            raise ValueError("an update needs a display_id: display(obj, display_id=..., update=True)")
        updated: UpdateDisplayDataEvent = {
            "output_type": "update_display_data",
            "data": data,
            "metadata": metadata or {},
            "transient": {"display_id": str(display_id)},
        }
        emit(updated)
        return
    event: DisplayDataEvent = {"output_type": "display_data", "data": data, "metadata": metadata or {}}
    if transient:
        # Jupyter's transient holds only display_id (src/protocol.ts Transient).
        kept: Transient = {"display_id": str(display_id)} if display_id else {}
        event["transient"] = kept
    emit(event)


def display(
    *objs: object,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    metadata: dict[str, Any] | None = None,
    transient: dict[str, Any] | None = None,
    display_id: str | bool | None = None,
    raw: bool = False,
    clear: bool = False,
    update: bool = False,
    **kwargs: Any,
) -> DisplayHandle | None:
    """Show each object with its richest representations, like ``IPython.display.display``.

    ``display_id=True`` makes a new id; with an id, a ``DisplayHandle`` is returned so the output
    can be updated in place later. ``raw=True``: the objects are MIME bundles already.
    """
    if kwargs:
        unknown = ", ".join(sorted(kwargs))
        raise TypeError(f"display() got unexpected keyword arguments: {unknown}")
    if display_id is True:
        display_id = _new_display_id()
    if update and not display_id:
        raise TypeError("display(..., update=True) needs a display_id")
    transient = dict(transient or {})
    if display_id:
        transient["display_id"] = display_id
    if clear:
        clear_output(wait=True)
    for obj in objs:
        if raw:
            if not isinstance(obj, dict):
                raise TypeError(f"display(raw=True) takes MIME bundles (dicts), got {type(obj).__name__}")
            publish_display_data(obj, metadata, transient=transient or None, update=update)
            continue
        custom = real_method(obj, "_ipython_display_")
        if custom is not None:
            custom()  # the object shows itself (ipywidgets-style), usually by calling display()
            continue
        data, md = format_object(obj, include=include, exclude=exclude)
        if metadata:
            md = {**md, **metadata}
        publish_display_data(data, md, transient=transient or None, update=update)
    return DisplayHandle(display_id) if isinstance(display_id, str) else None


def update_display(obj: object, *, display_id: str, **kwargs: Any) -> None:
    """Replace what an earlier ``display(..., display_id=...)`` shows, wherever it is."""
    kwargs.pop("update", None)
    display(obj, display_id=display_id, update=True, **kwargs)


def clear_output(wait: bool = False) -> None:
    """Clear the cell's output now, or (``wait=True``) when the next output arrives."""
    emit({"output_type": "clear_output", "wait": bool(wait)})


class DisplayHandle:
    """A handle on one display id: show, update or clear it later (IPython's DisplayHandle)."""

    def __init__(self, display_id: str | None = None) -> None:
        self.display_id = display_id or _new_display_id()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} display_id={self.display_id}>"

    def display(self, obj: object, **kwargs: Any) -> None:
        display(obj, display_id=self.display_id, **kwargs)

    def update(self, obj: object, **kwargs: Any) -> None:
        update_display(obj, display_id=self.display_id, **kwargs)


__all__ = ["DisplayHandle", "clear_output", "display", "publish_display_data", "update_display"]
