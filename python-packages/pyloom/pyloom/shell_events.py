"""IPython's execution events for the notebook shell: the callbacks libraries register on
``get_ipython().events`` (``pre_run_cell``, ``post_execute`` …, as matplotlib and ipywidgets do) and
the ``ExecutionInfo`` / ``ExecutionResult`` records the ``*_run_cell`` callbacks receive.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

EVENTS = ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell", "shell_initialized")


class ExecutionInfo:
    def __init__(self, raw_cell: str) -> None:
        self.raw_cell = raw_cell
        self.store_history = True
        self.silent = False
        self.shell_futures = True
        self.cell_id = None

    def __repr__(self) -> str:
        return f"<ExecutionInfo raw_cell={self.raw_cell[:50]!r}>"


class ExecutionResult:
    def __init__(self, info: ExecutionInfo, execution_count: int | None) -> None:
        self.info = info
        self.execution_count = execution_count
        self.error_before_exec: BaseException | None = None
        self.error_in_exec: BaseException | None = None
        self.result: Any = None

    @property
    def success(self) -> bool:
        return self.error_before_exec is None and self.error_in_exec is None

    def raise_error(self) -> None:
        if self.error_before_exec is not None:
            raise self.error_before_exec
        if self.error_in_exec is not None:
            raise self.error_in_exec

    def __repr__(self) -> str:
        return f"<ExecutionResult success={self.success} result={self.result!r}>"


class EventManager:
    """``register``/``unregister``/``trigger`` as IPython's; a callback that raises is reported on
    stderr and the others still run."""

    def __init__(self, shell: Any, available_events: tuple[str, ...] = EVENTS) -> None:
        self.shell = shell
        self.callbacks: dict[str, list[Callable[..., Any]]] = {name: [] for name in available_events}

    def register(self, event: str, function: Callable[..., Any]) -> None:
        if not callable(function):
            raise TypeError(f"Need a callable, got {function!r}")
        if event not in self.callbacks:
            raise KeyError(f"Unknown event {event}; known events: {', '.join(self.callbacks)}")
        if function not in self.callbacks[event]:
            self.callbacks[event].append(function)

    def unregister(self, event: str, function: Callable[..., Any]) -> None:
        try:
            self.callbacks[event].remove(function)
        except ValueError:
            raise ValueError(f"Function {function!r} is not registered as a {event} callback") from None

    def trigger(self, event: str, *args: Any, **kwargs: Any) -> None:
        for func in list(self.callbacks[event]):
            try:
                func(*args, **kwargs)
            except Exception as exc:
                sys.stderr.write(f"Error in callback {func} (for {event}), with arguments args {args},kwargs {kwargs}:\n")
                self.shell.showtraceback((type(exc), exc, exc.__traceback__))
