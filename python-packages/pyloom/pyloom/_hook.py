"""The one narrow hook from Python to JavaScript: every output event leaves through ``emit``.

Events are JSON strings so nothing but plain data crosses into JS (no proxies to leak), and the
same shapes are what nbformat stores.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .protocol import OutputEvent

_emitter: Callable[[str], object] | None = None
# Streams register a flush here so any non-stream event is preceded by the text printed before it.
_before_emit: list[Callable[[], None]] = []
# Take an event instead of the page (an ipywidgets Output widget capturing it): True = taken.
_output_filters: list[Callable[[Any], bool]] = []  # called with an OutputEvent


def set_emitter(fn: Callable[[str], object] | None) -> None:
    global _emitter
    _emitter = fn


def register_pre_emit(flush: Callable[[], None]) -> None:
    if flush not in _before_emit:
        _before_emit.append(flush)


def register_output_filter(take: Callable[[Any], bool]) -> None:
    if take not in _output_filters:
        _output_filters.append(take)


def emit_raw(event: OutputEvent) -> None:
    """Send an event as is. Streams use this for their own flushes."""
    for take in _output_filters:
        if take(event):
            return
    if _emitter is None:
        return
    _emitter(json.dumps(event, ensure_ascii=False, allow_nan=False, default=_refuse))


def emit(event: OutputEvent) -> None:
    """Send an output event after flushing buffered stream text, so order is what the user wrote."""
    for flush in _before_emit:
        flush()
    emit_raw(event)


def _refuse(obj: object) -> object:
    raise TypeError(
        f"output data must be JSON-serialisable, got {type(obj).__name__}; "
        "a _repr_*_ method should return str, bytes (base64-encoded for you) or JSON data"
    )
