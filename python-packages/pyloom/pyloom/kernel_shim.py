"""What ipywidgets needs of ``get_ipython().kernel``: the parent message and the comm manager.

There is no Jupyter kernel in Pyloom, but widget code asks the kernel for the message being
handled (``get_parent()``): an ``Output`` widget captures what is printed under that message's
id. Each cell and each comm message from the page gets a fresh message id, so captures never mix
(JupyterLite shares one header for everything, which breaks this).
"""

from __future__ import annotations

import contextlib
import getpass
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

PROTOCOL_VERSION = "5.3"


class Session:
    """The part of jupyter_client's Session that code reads: ids, not sockets."""

    def __init__(self) -> None:
        self.session = uuid.uuid4().hex
        try:
            self.username = getpass.getuser()
        except Exception:
            self.username = "pyodide"

    def msg_header(self, msg_type: str) -> dict[str, Any]:
        return {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": self.session,
            "username": self.username,
            "date": datetime.now(UTC).isoformat(),
            "version": PROTOCOL_VERSION,
        }

    def msg(self, msg_type: str, content: dict | None = None, parent: dict | None = None, metadata: dict | None = None) -> dict[str, Any]:
        return {
            "header": self.msg_header(msg_type),
            "msg_id": None,
            "msg_type": msg_type,
            "parent_header": (parent or {}).get("header", {}),
            "metadata": metadata or {},
            "content": content or {},
            "buffers": [],
        }


class Kernel:
    """``get_ipython().kernel`` in Pyloom: ``get_parent()``, ``comm_manager``, ``session``."""

    implementation = "pyloom"

    def __init__(self) -> None:
        self.session = Session()
        self._parent: dict[str, Any] = {}
        self.comm_manager: Any = None  # set by pyloom.comms once the comm package is imported

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        """The request being handled now: a cell's execute_request or a comm message."""
        return self._parent

    @property
    def _parent_header(self) -> dict[str, Any]:  # ipykernel < 6 spelling, still read by some code
        return self._parent

    @property
    def current_msg_id(self) -> str:
        return self._parent.get("header", {}).get("msg_id", "")

    def set_parent(self, parent: dict[str, Any], channel: str = "shell") -> None:
        self._parent = parent

    def start_cell(self) -> None:
        """A fresh execute_request header for the cell that is starting."""
        msg = self.session.msg("execute_request", {"silent": False, "store_history": True})
        msg["msg_id"] = msg["header"]["msg_id"]
        self._parent = msg

    @contextlib.contextmanager
    def handling(self, msg: dict[str, Any]) -> Iterator[None]:
        """While a comm message is handled it is the parent; then the cell's header is back."""
        previous = self._parent
        self._parent = msg
        try:
            yield
        finally:
            self._parent = previous

    def send_response(self, stream: object, msg_or_type: str, content: dict | None = None, *args: Any, **kwargs: Any) -> None:
        """ipywidgets' Output widget reports an exception through this when there is no shell."""
        if msg_or_type == "error" and content:
            from ._hook import emit

            emit(
                {
                    "output_type": "error",
                    "ename": content.get("ename", "Error"),
                    "evalue": content.get("evalue", ""),
                    "traceback": content.get("traceback", []),
                }
            )

    iopub_socket = None


_kernel: Kernel | None = None


def get_kernel() -> Kernel:
    """The one kernel stand-in of this Python process."""
    global _kernel
    if _kernel is None:
        _kernel = Kernel()
    return _kernel


def attach_to_shell(shell: object) -> None:
    """Give ``get_ipython()`` its ``.kernel`` (the shell has ``kernel = None`` until widgets need it)."""
    with contextlib.suppress(AttributeError, TypeError):
        if getattr(shell, "kernel", None) is None:
            shell.kernel = get_kernel()  # type: ignore[attr-defined]


def attach_to_ipython() -> None:
    """Attach to ``get_ipython()`` when the IPython in use has a shell (Pyloom's or a real one)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    if shell is not None:
        attach_to_shell(shell)
