"""Make blocking waits interruptible.

Pyodide raises KeyboardInterrupt when the page sets the interrupt buffer, but only once its eval
loop gets round to polling the buffer; ``time.sleep`` blocks in C and runs almost no bytecode, so
a Stop would wait for the whole sleep. The replacement sleeps in short slices and reads the
buffer itself between them (``pyodide.checkInterrupt`` only sees signals the eval loop has
already taken from the buffer, so it does not help here).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

SLICE = 0.05  # seconds: the worst-case extra latency of an interrupt during sleep

_original_sleep = time.sleep


def make_interruptible_sleep(
    sleep: Callable[[float], None],
    check: Callable[[], None],
    *,
    slice_seconds: float = SLICE,
    own_signal: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext,
) -> Callable[[float], None]:
    """``own_signal``: a context in which only ``check`` reads the buffer (see ``install``)."""

    def interruptible_sleep(seconds: float) -> None:
        seconds = float(seconds)
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        with own_signal():
            while True:
                check()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                sleep(min(remaining, slice_seconds))

    interruptible_sleep.__doc__ = _original_sleep.__doc__
    interruptible_sleep.__name__ = "sleep"
    return interruptible_sleep


SIGINT = 2


def buffer_check(buffer) -> Callable[[], None]:
    """A check that raises KeyboardInterrupt when the page wrote SIGINT into ``buffer``."""

    def check() -> None:
        if buffer[0] == SIGINT:
            buffer[0] = 0
            raise KeyboardInterrupt

    return check


def _pyodide_signal_owner(buffer) -> Callable[[], contextlib.AbstractContextManager[None]]:
    """Pyodide's time.sleep waits on the event loop (JSPI), and Pyodide's own poll of the buffer
    would then raise KeyboardInterrupt inside an event-loop callback, where it is logged as a
    stray traceback instead of ending the cell. While our sleep runs, the buffer is ours."""
    try:
        import pyodide_js  # type: ignore[import-not-found]
    except ImportError:
        return contextlib.nullcontext

    @contextlib.contextmanager
    def owned():
        pyodide_js.setInterruptBuffer(None)
        try:
            yield
        finally:
            pyodide_js.setInterruptBuffer(buffer)

    return owned


def install(buffer) -> None:
    """Replace time.sleep with one that ``buffer`` (the page's interrupt buffer) can stop."""
    if buffer is None:
        time.sleep = _original_sleep
        return
    time.sleep = make_interruptible_sleep(_original_sleep, buffer_check(buffer), own_signal=_pyodide_signal_owner(buffer))
