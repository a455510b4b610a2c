"""ipywidgets' ``Output`` widget, the Python half: outputs produced under its message id go into it.

In Jupyter the frontend routes iopub messages whose parent id equals an Output widget's
``msg_id`` into that widget. Pyloom's outputs and comm messages travel on different channels, so
the routing happens here instead, where the order is certain: the output is added to the
widget's ``outputs`` (which syncs to the page like any other state), and the page never sees it
as a cell output.
"""

from __future__ import annotations

import sys
from typing import Any

from . import _hook, kernel_shim

# Output widgets with a clear_output(wait=True) pending until their next output.
_pending_clear: set[int] = set()


def install() -> None:
    _hook.register_output_filter(take)


def _capturing() -> Any:
    """The innermost Output widget capturing under the current parent id, or None."""
    widgets = sys.modules.get("ipywidgets.widgets.widget_output")
    if widgets is None:
        return None
    msg_id = kernel_shim.get_kernel().current_msg_id
    if not msg_id:
        return None
    registry = sys.modules["ipywidgets.widgets.widget"]
    instances = getattr(registry, "_instances", None) or getattr(registry.Widget, "widgets", {})
    for widget in list(instances.values())[::-1]:
        if isinstance(widget, widgets.Output) and widget.msg_id == msg_id:
            return widget
    return None


def take(event: dict[str, Any]) -> bool:
    """Route ``event`` into the capturing Output widget; False when none captures it."""
    kind = event.get("output_type")
    if kind not in ("stream", "display_data", "execute_result", "error", "clear_output"):
        return False
    widget = _capturing()
    if widget is None:
        return False
    key = id(widget)
    if kind == "clear_output":
        if event.get("wait"):
            _pending_clear.add(key)
        else:
            _pending_clear.discard(key)
            widget.outputs = ()
        return True
    outputs = () if key in _pending_clear else tuple(widget.outputs)
    _pending_clear.discard(key)
    if kind == "stream":
        if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1].get("name") == event["name"]:
            last = dict(outputs[-1])
            last["text"] = last["text"] + event["text"]
            widget.outputs = outputs[:-1] + (last,)
        else:
            widget.outputs = outputs + ({"output_type": "stream", "name": event["name"], "text": event["text"]},)
    elif kind == "error":
        widget.outputs = outputs + (
            {"output_type": "error", "ename": event["ename"], "evalue": event["evalue"], "traceback": event["traceback"]},
        )
    else:
        widget.outputs = outputs + ({"output_type": "display_data", "data": event["data"], "metadata": event.get("metadata", {})},)
    return True
