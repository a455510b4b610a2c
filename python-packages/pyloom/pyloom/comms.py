"""The Python half of Jupyter's comm channel: ``comm`` wired to the page, messages both ways.

``install(send)`` runs at boot. When the ``comm`` package is first imported (by ipywidgets,
anywidget or user code), ``comm.create_comm`` and ``comm.get_comm_manager`` are replaced as the
package documents, so every comm opens, updates and closes across the worker boundary. ``send``
is the worker's JS function ``send(message_json, buffers)``; the page's messages come back in
batches through :func:`receive`, between cells and whenever a cell awaits.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from . import import_hooks, kernel_shim

_send: Callable[..., object] | None = None
_manager: Any = None
_comm_class: Any = None


def install(send: Callable[..., object]) -> None:
    """Wire comms to the page: ``send(message_json: str, buffers: JS Array of Uint8Array)``."""
    global _send
    _send = send
    import_hooks.when_imported("comm", _wire_comm)
    import_hooks.when_imported("ipywidgets", _wire_ipywidgets)
    # get_ipython()'s shell has kernel = None until comms exist; IPython may be imported first.
    import_hooks.when_imported("IPython", _attach_kernel)
    from . import ipython_fallbacks, widget_capture

    ipython_fallbacks.install()
    widget_capture.install()
    # A fresh parent header per cell: Output widgets capture by it.
    from . import get_shell

    hooks = get_shell().pre_execute
    if kernel_shim.get_kernel().start_cell not in hooks:
        hooks.append(kernel_shim.get_kernel().start_cell)


def _attach_kernel(_module: object) -> None:
    if _manager is not None:
        kernel_shim.attach_to_ipython()


def _to_js_buffers(buffers: list | None) -> object:
    """Bytes-like objects → a JS Array of Uint8Array (the worker transfers, not copies, them onward)."""
    from pyodide.ffi import to_js

    return to_js([to_js(memoryview(b).cast("B").tobytes()) for b in (buffers or [])])


def _publish(msg_type: str, comm_id: str, data: dict | None, metadata: dict | None, buffers: list | None, **keys: Any) -> None:
    from .streams import flush_all

    flush_all()  # text printed before a widget changes shows before the change
    message = {"msg_type": msg_type, "comm_id": comm_id, "data": data or {}, "metadata": metadata or {}, **keys}
    if _send is not None:
        _send(json.dumps(message, allow_nan=False, default=_refuse), _to_js_buffers(buffers))


def _refuse(obj: object) -> object:
    raise TypeError(f"comm data must be JSON-serialisable (binary goes in buffers), got {type(obj).__name__}")


def _wire_comm(comm: ModuleType) -> None:
    global _manager, _comm_class
    from comm.base_comm import BaseComm, CommManager

    class PyloomComm(BaseComm):
        """A comm whose messages go to the page through the worker."""

        @property
        def kernel(self) -> kernel_shim.Kernel:
            # ipywidgets asks the comm for the kernel when get_ipython() has none.
            return kernel_shim.get_kernel()

        def publish_msg(
            self, msg_type: str, data: dict | None = None, metadata: dict | None = None, buffers: list | None = None, **keys: Any
        ) -> None:
            _publish(msg_type, self.comm_id, data, metadata, buffers, **keys)

    _comm_class = PyloomComm
    _manager = CommManager()
    # The comm package documents replacing these two functions as the way to plug in a kernel.
    comm.create_comm = lambda *args, **kwargs: PyloomComm(*args, **kwargs)  # pyright: ignore[reportAttributeAccessIssue]
    comm.get_comm_manager = lambda: _manager  # pyright: ignore[reportAttributeAccessIssue]
    kernel = kernel_shim.get_kernel()
    kernel.comm_manager = _manager
    kernel_shim.attach_to_ipython()


def _wire_ipywidgets(ipywidgets: ModuleType) -> None:
    # ipywidgets registers its targets itself only when get_ipython() is not None.
    register = getattr(ipywidgets, "register_comm_target", None)
    if callable(register):
        register()


def receive(batch_json: str, js_buffers: Any) -> None:
    """Handle a batch of page messages in order.

    ``batch_json`` is a JSON list of ``{msg_type, comm_id, data, metadata, buffer_count,
    target_name?}``; ``js_buffers`` the JS Array of every message's buffers, in order. Each message
    is handled under a fresh parent header (an Output widget captures by that id). A message for
    a comm that is not open (closed meanwhile) is ignored with a warning on stderr.
    """
    from .streams import flush_all

    messages = json.loads(batch_json)
    buffers = [b.to_py() for b in js_buffers] if js_buffers is not None else []
    kernel = kernel_shim.get_kernel()
    offset = 0
    try:
        for message in messages:
            count = int(message.get("buffer_count", 0))
            own = buffers[offset : offset + count]
            offset += count
            _dispatch(kernel, message, own)
    finally:
        flush_all()


def _dispatch(kernel: kernel_shim.Kernel, message: dict, buffers: list) -> None:
    msg_type = message.get("msg_type")
    comm_id = message.get("comm_id", "")
    if _manager is None:
        print(f"pyloom: a {msg_type} message for comm {comm_id} arrived but nothing in Python uses comms; ignored", file=sys.stderr)
        return
    content: dict[str, Any] = {"comm_id": comm_id, "data": message.get("data") or {}}
    if msg_type == "comm_open":
        content["target_name"] = message.get("target_name", "")
        content["target_module"] = message.get("target_module")
    elif msg_type not in ("comm_msg", "comm_close"):
        print(f"pyloom: unknown comm message type {msg_type!r}; ignored", file=sys.stderr)
        return
    elif comm_id not in _manager.comms:
        print(f"pyloom: warning: a {msg_type} for comm {comm_id}, which is closed, was ignored", file=sys.stderr)
        return
    msg = kernel.session.msg(msg_type, content, parent=kernel.get_parent(), metadata=message.get("metadata") or {})
    msg["buffers"] = buffers
    msg["msg_id"] = msg["header"]["msg_id"]
    with kernel.handling(msg):
        handler = getattr(_manager, msg_type)
        handler(None, None, msg)
