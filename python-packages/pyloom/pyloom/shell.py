"""Run a cell the way IPython does.

- top-level ``await``;
- the last statement, if it is an expression, is the cell's result (``execute_result``) unless the
  cell ends with ``;``; ``None`` shows nothing;
- every non-blank cell gets the next execution count, errors included; ``In``, ``Out``, ``_``,
  ``__``, ``___`` and ``_<n>`` are kept in the namespace as in IPython;
- exceptions become an ``error`` output with a traceback that points at cell lines.
"""

from __future__ import annotations

import ast
import asyncio
import io
import sys
import tokenize
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import tracebacks
from ._hook import emit
from .formatters import format_object, real_method
from .streams import flush_all, start_cell

if TYPE_CHECKING:
    from .protocol import CompletionResult, ExecuteReply, SetNextInputPayload

_COMPILE_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
# What inputtransform writes for a %pip line (pyloom.inputtransform.PIP_CALL).
_PIP_CALL = '__import__("pyloom.packages", fromlist=["pip"]).pip('
# The shell whose cell is running (or ran last): what get_ipython() wraps.
active: Shell | None = None
CO_COROUTINE = 0x0080  # inspect.CO_COROUTINE, without importing inspect at boot


def ends_with_semicolon(source: str) -> bool:
    """True when the last code token is ``;`` (comments and blank lines after it do not count)."""
    last = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (
                tokenize.COMMENT,
                tokenize.NL,
                tokenize.NEWLINE,
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.ENDMARKER,
            ):
                continue
            last = tok
    except (tokenize.TokenError, SyntaxError):
        return False
    return last is not None and last.type == tokenize.OP and last.string == ";"


def transform_magics(source: str) -> str:
    """IPython's cell syntax (``%magic``, ``%%cell``, ``!cmd``, ``obj?``) rewritten into Python
    (:mod:`pyloom.inputtransform`, imported the first time a cell may need it)."""
    if "%" not in source and "!" not in source and "?" not in source:
        return source
    from .inputtransform import transform_cell

    return transform_cell(source)


def _current_task() -> asyncio.Task | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop: the cell cannot await, so there is nothing to cancel
        return None


def _is_executing(task: asyncio.Task) -> bool:
    """True while the task's coroutine is mid-step (running or suspended by JSPI), not parked at
    an ``await``. asyncio.current_task() cannot tell: the step of a JSPI-suspended task is not
    registered as current while the worker handles other messages."""
    coro = task.get_coro()
    return bool(getattr(coro, "cr_running", False))


def _keyboard_interrupt_from(cancelled: BaseException) -> KeyboardInterrupt:
    interrupt = KeyboardInterrupt()
    interrupt.__traceback__ = cancelled.__traceback__  # where the cell was waiting
    interrupt.__suppress_context__ = True
    return interrupt


class Shell:
    def __init__(self, namespace: dict[str, Any] | None = None) -> None:
        if namespace is None:
            main = types.ModuleType("__main__")
            namespace = main.__dict__
            sys.modules["__main__"] = main
        self.user_ns = namespace
        self.execution_count = 0
        self.user_ns.setdefault("__builtins__", __builtins__)
        self.user_ns.setdefault("__name__", "__main__")
        self.user_ns["In"] = [""]
        self.user_ns["Out"] = {}
        # Called around every non-blank cell (matplotlib's inline flush lives here). A hook that
        # raises is reported on stderr; it does not change the cell's status.
        self.pre_execute: list[Callable[[], None]] = []
        self.post_execute: list[Callable[[], None]] = []
        self._task: asyncio.Task | None = None
        self._interrupt_requested = False
        # Jupyter's execute_reply payload of the running cell (set_next_input from %load).
        self.payload: list[SetNextInputPayload] = []
        tracebacks.mode = "Context"  # a new session starts with IPython's default layout
        sys.displayhook = self.displayhook

    # ------------------------------------------------------------------------------------
    async def run_cell(self, source: str) -> ExecuteReply:
        """Run ``source``; outputs go through the emitter. Returns the reply's status fields and
        Jupyter's ``payload`` list (what the cell asked of the front end, e.g. ``%load``)."""
        self.payload = []
        if not source.strip():
            return {"status": "ok", "execution_count": None, "payload": self.payload}
        global active
        active = self
        self.execution_count += 1
        count = self.execution_count
        self.user_ns["In"].append(source)
        self.user_ns["_i"] = source
        filename = tracebacks.cell_filename(count)
        tracebacks.register_source(filename, source)
        self._task = _current_task()
        start_cell()
        self._run_hooks(self.pre_execute)
        try:
            code = transform_magics(source)
            # A cell with %pip installs what it says, in its own order (a pin must not be beaten
            # by an earlier automatic load); other cells get their imports loaded first.
            if "import" in code and _PIP_CALL not in code:
                # Load what the cell imports before it runs; a failure becomes a note on the
                # ImportError the cell then raises, not an error of its own.
                try:
                    from . import packages

                    await packages.prepare(code)
                except Exception as exc:  # never let package preparation take the cell down
                    sys.stderr.write(f"pyloom: preparing packages failed: {type(exc).__name__}: {exc}\n")
            try:
                body, last = self._compile(code, filename)
            except SyntaxError as exc:
                self._show_error(exc, compiling=True)
                return {"status": "error", "execution_count": count, "payload": self.payload}
            try:
                await self._run(body)
                if last is not None:
                    value = await self._run(last)
                    self.displayhook(value)
            except BaseException as exc:  # KeyboardInterrupt and SystemExit belong to the cell too
                if isinstance(exc, asyncio.CancelledError) and self._interrupt_requested:
                    exc = _keyboard_interrupt_from(exc)
                self._show_error(exc)
                return {"status": "error", "execution_count": count, "payload": self.payload}
            return {"status": "ok", "execution_count": count, "payload": self.payload}
        finally:
            self._run_hooks(self.post_execute)
            self._task = None
            self._interrupt_requested = False
            flush_all()

    def interrupt(self) -> bool:
        """Stop a cell that is awaiting: its task is cancelled and it ends with KeyboardInterrupt.

        Returns False when there is no awaiting cell to stop, including when the cell is in the
        middle of synchronous code that Pyodide suspended (``time.sleep`` under JSPI lets the
        worker take messages mid-statement): cancelling then would only take effect at the next
        ``await``, so the caller leaves the interrupt buffer to stop it instead.
        """
        task = self._task
        if task is None or task.done() or _is_executing(task):
            return False
        self._interrupt_requested = True
        task.cancel("interrupted by the user")
        return True

    def complete(self, code: str, cursor: int) -> CompletionResult:
        """Tab completions at ``cursor`` (code points) from this shell's namespace; see
        :func:`pyloom.completion.complete`. Imported on first use: boot does not pay for it."""
        from .completion import complete

        return complete(code, cursor, self.user_ns)

    def displayhook(self, value: object) -> None:
        """Show ``value`` as the cell's ``execute_result`` and record it like IPython's ``_``."""
        if value is None:
            return
        ns = self.user_ns
        ns["___"] = ns.get("__")
        ns["__"] = ns.get("_")
        ns["_"] = value
        ns[f"_{self.execution_count}"] = value
        ns["Out"][self.execution_count] = value
        custom = real_method(value, "_ipython_display_")
        if custom is not None:
            custom()  # the object shows itself, as IPython's displayhook lets it
            return
        data, metadata = format_object(value)
        emit(
            {
                "output_type": "execute_result",
                "execution_count": self.execution_count,
                "data": data,
                "metadata": metadata,
            }
        )

    # ------------------------------------------------------------------------------------
    def _compile(self, source: str, filename: str) -> tuple[types.CodeType, types.CodeType | None]:
        tree = ast.parse(source, filename=filename, mode="exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr) and not ends_with_semicolon(source):
            expr = tree.body.pop()
            assert isinstance(expr, ast.Expr)
            last = compile(ast.Expression(expr.value), filename, "eval", flags=_COMPILE_FLAGS, dont_inherit=True)
        body = compile(tree, filename, "exec", flags=_COMPILE_FLAGS, dont_inherit=True)
        return body, last

    async def _run(self, code: types.CodeType) -> object:
        result = eval(code, self.user_ns)
        if code.co_flags & CO_COROUTINE:
            result = await result
        return result

    def _run_hooks(self, hooks: list[Callable[[], None]]) -> None:
        for hook in hooks:
            try:
                hook()
            except Exception as exc:
                sys.stderr.write(f"pyloom: {getattr(hook, '__qualname__', hook)} failed: {type(exc).__name__}: {exc}\n")

    def _show_error(self, exc: BaseException, *, compiling: bool = False) -> None:
        if type(exc).__name__ == "UsageError" and "pyloom.magics.core" in sys.modules:
            if sys.modules["pyloom.magics.core"].is_usage_error(exc):
                # IPython shows a magic's misuse as one line, without a traceback.
                emit(
                    {
                        "output_type": "error",
                        "ename": "UsageError",
                        "evalue": str(exc),
                        "traceback": [f"{tracebacks.RED}UsageError{tracebacks.RESET}: {exc}"],
                    }
                )
                sys.last_exc = exc
                return
        if isinstance(exc, ModuleNotFoundError) and exc.name and "pyloom.packages" in sys.modules:
            reason = sys.modules["pyloom.packages"].import_failures.get(exc.name.split(".")[0])
            if reason and reason not in getattr(exc, "__notes__", []):
                exc.add_note(reason)
        emit(tracebacks.format_error(exc, compiling=compiling))
        sys.last_exc = exc  # what pdb.pm() and %debug look for
