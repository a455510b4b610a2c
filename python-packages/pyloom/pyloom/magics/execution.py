"""``%time``, ``%timeit``, ``%run``, ``%%capture``: running code the way IPython's execution magics do.

Times are printed in IPython's format (``CPU times: user 1.2 ms, sys: 10 µs, total: 1.21 ms`` /
``Wall time: …``, the CPU times ``n/a`` where the platform has no CPU clock; ``… ± … per loop
(mean ± std. dev. of R runs, N loops each)``). Code a magic runs is compiled under the cell's
name at the magic's own line, so tracebacks point at it.
Unlike IPython, an exception inside ``%time`` ends the cell with that error (Run all stops).
"""

from __future__ import annotations

import ast
import json
import math
import os
import sys
import time
import types
from typing import Any

from . import cell_body
from .core import Magics, UsageError, cell_magic, line_cell_magic, line_magic, magics_class, no_var_expand

_UNITS = ("s", "ms", "\u00b5s", "ns")
_TIMER_TEMPLATE = """
def inner(_it, _timer):
    pass
    _t0 = _timer()
    for _i in _it:
        pass
    _t1 = _timer()
    return _t1 - _t0
"""


def format_time(timespan: float, precision: int = 3) -> str:
    """Seconds as IPython prints them: ``1.23 ms``, ``456 ns``, ``1min 2s``."""
    if timespan >= 60.0:
        parts = []
        leftover = timespan
        for suffix, length in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
            value = int(leftover / length)
            if value > 0:
                leftover = leftover % length
                parts.append(f"{value}{suffix}")
            if leftover < 1:
                break
        return " ".join(parts)
    order = min(-int(math.floor(math.log10(timespan)) // 3), 3) if timespan > 0 else 3
    return "%.*g %s" % (precision, timespan * (1, 1e3, 1e6, 1e9)[order], _UNITS[order])


def cpu_times_line(before: os.times_result, after: os.times_result) -> str:
    """IPython's ``CPU times: user …, sys: …, total: …`` from two ``os.times()`` readings.

    WebAssembly has no CPU clock: Pyodide's ``os.times()`` is all zeros and its
    ``time.process_time()`` counts elapsed time (sleeps included), so neither can stand for
    user or sys time. There the line says ``n/a`` instead of a made-up figure.
    """
    if before.elapsed == 0.0 and after.elapsed == 0.0:
        return "CPU times: user n/a, sys: n/a, total: n/a (WebAssembly has no CPU clock)"
    user, system = after.user - before.user, after.system - before.system
    return f"CPU times: user {format_time(user)}, sys: {format_time(system)}, total: {format_time(user + system)}"


class TimeitResult:
    """What ``%timeit -o`` returns: ``loops``, ``repeat``, ``best``, ``worst``, ``all_runs``
    (seconds per run of ``loops`` calls), ``average``/``stdev`` (seconds per loop), ``timings``."""

    def __init__(
        self, loops: int, repeat: int, best: float, worst: float, all_runs: list[float], compile_time: float, precision: int
    ) -> None:
        self.loops = loops
        self.repeat = repeat
        self.best = best
        self.worst = worst
        self.all_runs = all_runs
        self.compile_time = compile_time
        self._precision = precision
        self.timings = [dt / loops for dt in all_runs]

    @property
    def average(self) -> float:
        return math.fsum(self.timings) / len(self.timings)

    @property
    def stdev(self) -> float:
        mean = self.average
        return (math.fsum((x - mean) ** 2 for x in self.timings) / len(self.timings)) ** 0.5

    def __str__(self) -> str:
        runs, loops = self.repeat, self.loops
        return (
            f"{format_time(self.average, self._precision)} \u00b1 {format_time(self.stdev, self._precision)} per loop "
            f"(mean \u00b1 std. dev. of {runs} run{'s' if runs != 1 else ''}, {loops:,} loop{'s' if loops != 1 else ''} each)"
        )

    def __repr__(self) -> str:
        return f"<TimeitResult : {self}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))


def _where(shell: Any) -> tuple[str, int, dict[str, Any] | None]:
    """The running cell's file name, the magic's line in it, and the caller's locals (in a function)."""
    frame = getattr(shell, "_caller", None)
    if frame is None:
        return "<magic>", 0, None
    local_ns = frame.f_locals if frame.f_locals is not frame.f_globals else None
    return frame.f_code.co_filename, frame.f_lineno - 1, local_ns


def _split_last(tree: ast.Module, filename: str) -> tuple[types.CodeType, types.CodeType | None]:
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        expr = tree.body.pop()
        assert isinstance(expr, ast.Expr)
        last = compile(ast.Expression(expr.value), filename, "eval")
    return compile(tree, filename, "exec"), last


def run_source(shell: Any, source: str, namespace: dict[str, Any], filename: str, local_ns: dict[str, Any] | None = None) -> Any:
    """Run IPython-syntax ``source`` in ``namespace``; returns its last expression's value."""
    from ..inputtransform import transform_cell

    body, last = _split_last(ast.parse(transform_cell(source), filename), filename)
    exec(body, namespace, local_ns)
    return eval(last, namespace, local_ns) if last is not None else None


@magics_class
class ExecutionMagics(Magics):
    @no_var_expand
    @line_cell_magic
    def time(self, line: str = "", cell: str | None = None) -> Any:
        """Time one statement or a cell: CPU and wall time, then the value (as IPython's ``%time``)."""
        from ..inputtransform import transform_cell

        if line.strip() and cell is not None:
            raise UsageError("Can't use statement directly after '%%time'!")
        if cell is not None:
            filename, source = cell_body(self.shell, cell)
            local_ns = None
        else:
            filename, offset, local_ns = _where(self.shell)
            source = "\n" * offset + line
        tree = ast.parse(transform_cell(source), filename)
        body, last = _split_last(tree, filename)
        namespace = self.shell.user_ns
        wall0, cpu0 = time.perf_counter(), os.times()
        exec(body, namespace, local_ns)
        out = eval(last, namespace, local_ns) if last is not None else None
        cpu1, wall = os.times(), time.perf_counter() - wall0
        print(cpu_times_line(cpu0, cpu1))
        print(f"Wall time: {format_time(wall)}")
        return out

    @no_var_expand
    @line_cell_magic
    def timeit(self, line: str = "", cell: str | None = None) -> TimeitResult | None:
        """Time repeated runs: ``%timeit [-n N] [-r R] [-p P] [-q] [-o] stmt`` (``%%timeit`` times the
        cell; its line is the setup). Prints IPython's ``mean ± std. dev.`` line; ``-o`` returns
        the :class:`TimeitResult`, ``-q`` prints nothing."""
        from ..inputtransform import transform_cell

        opts, stmt = self.parse_options(line, "n:r:tcp:qo")
        if cell is None and not stmt.strip():
            raise UsageError("%timeit needs a statement to time, e.g. %timeit sum(range(100))")
        setup = "pass"
        if cell is not None:
            setup, stmt = (stmt if stmt.strip() else "pass"), cell
        number = int(opts.get("n", 0) or 0)
        repeat = int(opts.get("r", 7) or 7)
        precision = int(opts.get("p", 3) or 3)
        filename, offset, _ = _where(self.shell)
        setup_offset = offset
        if cell is not None:
            filename, padded = cell_body(self.shell, cell)
            offset = len(padded) - len(cell)
            setup_offset = offset - 1  # the setup is the magic's own line
        # The timed statement keeps its own line numbers (the magic's line, or the cell's body):
        # it is parsed on its own and put into the timing loop as a syntax tree.
        tree = ast.parse(_TIMER_TEMPLATE)
        function = tree.body[0]
        assert isinstance(function, ast.FunctionDef)
        function.body[0:1] = ast.parse("\n" * setup_offset + transform_cell(setup), filename).body
        loop = next(node for node in function.body if isinstance(node, ast.For))
        loop.body = ast.parse("\n" * offset + transform_cell(stmt), filename).body or loop.body
        started = time.perf_counter()
        code = compile(tree, filename, "exec")
        compile_time = time.perf_counter() - started
        scope: dict[str, Any] = {}
        exec(code, self.shell.user_ns, scope)
        inner = scope["inner"]

        def run(loops: int) -> float:
            return inner(range(loops), time.perf_counter)

        if number == 0:
            for index in range(10):
                number = 10**index
                if run(number) >= 0.2:
                    break
        all_runs = [run(number) for _ in range(repeat)]
        best, worst = min(all_runs) / number, max(all_runs) / number
        result = TimeitResult(number, repeat, best, worst, all_runs, compile_time, precision)
        if "q" not in opts:
            if worst > 4 * best and best > 0 and worst > 1e-6:
                print(
                    f"The slowest run took {worst / best:0.2f} times longer than the fastest. "
                    "This could mean that an intermediate result is being cached."
                )
            print(result)
        return result if "o" in opts else None

    @line_magic
    def run(self, line: str) -> None:
        """``%run [-i] [-n] script.py|notebook.ipynb [args]``: run a file, then keep its variables.

        ``-i`` runs in the notebook's own namespace (the file sees its variables); ``-n`` does
        not set ``__name__ = "__main__"``. A ``.ipynb`` runs its code cells in order, in the
        notebook's namespace (as in IPython), magics included.
        """
        opts, words = self.parse_options(line, "inmeta:dtp", mode="list")
        if not words:
            raise UsageError("%run needs a file name: %run script.py [args] or %run notebook.ipynb")
        path = os.path.expanduser(words[0])
        if not os.path.isfile(path) and os.path.isfile(path + ".py"):
            path += ".py"
        if not os.path.isfile(path):
            raise UsageError(f"File `{path!r}` not found (the working directory is {os.getcwd()}).")
        user_ns = self.shell.user_ns
        # A notebook's cells run in the user namespace, as IPython's run_cell of each cell does.
        if "i" in opts or path.endswith(".ipynb"):
            namespace = user_ns
        else:
            namespace = {
                "__builtins__": user_ns.get("__builtins__", __builtins__),
                "__name__": "__main__" if "n" not in opts else os.path.splitext(os.path.basename(path))[0],
            }
        saved_file = namespace.get("__file__")
        namespace["__file__"] = os.path.abspath(path)
        saved_argv = sys.argv
        sys.argv = [path, *words[1:]]
        try:
            if path.endswith(".ipynb"):
                self._run_notebook(path, namespace)
            else:
                with open(path, encoding="utf-8") as f:
                    source = f.read()
                exec(compile(source, os.path.abspath(path), "exec"), namespace)
        finally:
            sys.argv = saved_argv
            if namespace is user_ns:
                if saved_file is None:
                    user_ns.pop("__file__", None)
                else:
                    user_ns["__file__"] = saved_file
            else:
                user_ns.update({k: v for k, v in namespace.items() if not (k.startswith("__") and k.endswith("__"))})

    def _run_notebook(self, path: str, namespace: dict[str, Any]) -> None:
        with open(path, encoding="utf-8") as f:
            try:
                notebook = json.load(f)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path} is not a notebook (invalid JSON: {exc})") from None
        cells = notebook.get("cells") if isinstance(notebook, dict) else None
        if not isinstance(cells, list):
            raise UsageError(f"{path} is not an nbformat 4 notebook (no 'cells' list)")
        for number, cell in enumerate(cells, 1):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            filename = f"{os.path.abspath(path)} (cell {number})"
            from .. import tracebacks

            tracebacks.register_source(filename, source)
            run_source(self.shell, source, namespace, filename)

    @cell_magic
    def capture(self, line: str, cell: str) -> None:
        """``%%capture [--no-stdout] [--no-stderr] [--no-display] [var]``: run the cell, keep its
        output in ``var`` (a :class:`~pyloom.magics.capture.CapturedIO`) instead of showing it."""
        from .capture import capture_cell

        opts, words = self.parse_options(line, "", "no-stdout", "no-stderr", "no-display", mode="list")
        filename, source = cell_body(self.shell, cell)
        captured = capture_cell(
            lambda: run_source(self.shell, source, self.shell.user_ns, filename),
            stdout="no-stdout" not in opts,
            stderr="no-stderr" not in opts,
            display="no-display" not in opts,
        )
        if words:
            self.shell.user_ns[words[0]] = captured
