"""``%%capture``: a cell's output kept in an object instead of shown (IPython's CapturedIO).

Works by standing in for the output emitter while the cell runs; errors are never captured
(they end the cell as usual), and what the options leave out is shown as normal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import _hook
from ..streams import flush_all


class RichOutput:
    """One captured display: ``data`` (MIME bundle) and ``metadata``; ``display()`` shows it."""

    def __init__(self, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        self.data = data
        self.metadata = metadata

    def display(self) -> None:
        from ..display import publish_display_data

        publish_display_data(self.data, self.metadata)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return self.data, self.metadata

    def __repr__(self) -> str:
        return f"<RichOutput {sorted(self.data)}>"


class CapturedIO:
    """``stdout``/``stderr`` (text), ``outputs`` (list of :class:`RichOutput`); ``show()`` or
    calling it sends everything to the cell's output as if it had not been captured."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self._events = events

    def _text(self, name: str) -> str:
        return "".join(e["text"] for e in self._events if e["output_type"] == "stream" and e["name"] == name)

    @property
    def stdout(self) -> str:
        return self._text("stdout")

    @property
    def stderr(self) -> str:
        return self._text("stderr")

    @property
    def outputs(self) -> list[RichOutput]:
        return [
            RichOutput(e["data"], e.get("metadata", {})) for e in self._events if e["output_type"] in ("display_data", "execute_result")
        ]

    def show(self) -> None:
        import sys

        for event in self._events:
            if event["output_type"] == "stream":
                getattr(sys, event["name"]).write(event["text"])
            elif event["output_type"] in ("display_data", "execute_result"):
                RichOutput(event["data"], event.get("metadata", {})).display()

    __call__ = show

    def __repr__(self) -> str:
        return f"<CapturedIO stdout={len(self.stdout)} chars, stderr={len(self.stderr)} chars, {len(self.outputs)} outputs>"


def capture_cell(run: Callable[[], Any], *, stdout: bool = True, stderr: bool = True, display: bool = True) -> CapturedIO:
    """Call ``run()`` with its output captured; its value, if not None, is captured as a display."""
    flush_all()
    saved = _hook._emitter
    events: list[dict[str, Any]] = []
    keep = {"stdout": stdout, "stderr": stderr}

    def collect(text: str) -> None:
        event = json.loads(text)
        kind = event.get("output_type")
        wanted = (
            keep.get(event.get("name"), False)
            if kind == "stream"
            else display and kind in ("display_data", "execute_result", "update_display_data", "clear_output")
        )
        if wanted:
            events.append(event)
        elif saved is not None:
            saved(text)

    _hook.set_emitter(collect)
    try:
        value = run()
        if value is not None:
            from ..display import display as show

            show(value)
        flush_all()
    finally:
        _hook.set_emitter(saved)
    return CapturedIO(events)
