"""pyloom: the Python half of Pyloom — runs cells like Jupyter and emits nbformat outputs.

The worker installs one JS callback with :func:`start`; everything Python shows the page goes
through it as a JSON string (see :mod:`pyloom._hook`).
"""

from __future__ import annotations

from . import interrupts
from ._hook import set_emitter
from .shell import Shell
from ._version import __version__
from .streams import install_streams

__all__ = ["Shell", "get_shell", "start", "__version__"]

_shell: Shell | None = None


def start(
    emit,
    *,
    stream_interval: float = 0.05,
    stream_max_chars: int = 65536,
    interrupt_buffer=None,
) -> Shell:
    """Wire Python to the page: install the emitter and the batched stdout/stderr, make the shell.

    ``emit`` receives one JSON string per output event. ``interrupt_buffer`` is the page's
    interrupt buffer (a one-element array the page writes 2 into), when it has one. Calling
    ``start`` again replaces the emitter and keeps the shell, so the user namespace survives.
    """
    global _shell
    set_emitter(emit)
    install_streams(interval=stream_interval, max_chars=stream_max_chars)
    interrupts.install(interrupt_buffer)
    if _shell is None:
        _shell = Shell()
    return _shell


def get_shell() -> Shell:
    if _shell is None:
        raise RuntimeError("pyloom.start(emit) has not been called: no shell is running")
    return _shell
