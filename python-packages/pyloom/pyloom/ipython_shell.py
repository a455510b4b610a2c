"""What ``get_ipython()`` returns: the surface of IPython's kernel shell that libraries call.

Made on first use (a cell that never asks pays nothing). Libraries probe it to learn they run
in a notebook: ``'IPKernelApp' in ip.config`` (tqdm.auto), ``'zmq' in str(type(ip))`` (pandas),
not a ``TerminalInteractiveShell`` (sympy, plotly), ``ip.events.register('post_execute', …)``
(matplotlib), ``ip.display_formatter.formatters[mime].for_type`` (sympy), ``ip.showtraceback``
and ``InteractiveShell.instance().display_formatter.format`` (ipywidgets). The class is named
``ZMQInteractiveShell`` because that name is what those probes look for.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .formatters_ext import DisplayFormatter
from .shell_events import EventManager, ExecutionInfo, ExecutionResult

if TYPE_CHECKING:
    from .protocol import SetNextInputPayload


class Config(dict):
    """A traitlets-like config: ``config.InlineBackend.figure_format``; sections appear on use."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self:
            if not name[:1].isupper():
                raise AttributeError(name)
            self[name] = Config()
        return self[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class InteractiveShell:
    """Base class ``IPython.core.interactiveshell.InteractiveShell`` stands for in Pyloom."""

    _instance: InteractiveShell | None = None

    @classmethod
    def instance(cls, *args: Any, **kwargs: Any) -> InteractiveShell:
        shell = shell_instance()
        if shell is None:
            raise RuntimeError("no Pyloom shell is running")
        return shell

    @classmethod
    def initialized(cls) -> bool:
        return shell_instance() is not None


class ZMQInteractiveShell(InteractiveShell):
    """The notebook shell. Wraps :class:`pyloom.shell.Shell` (which runs the cells)."""

    def __init__(self, shell: Any) -> None:
        self._shell = shell
        self.config = Config(IPKernelApp=Config(), InlineBackend=Config(figure_format="png"), ZMQInteractiveShell=Config())
        self.kernel = None  # the comm machinery sets this when widgets need it
        self.events = EventManager(self)
        self.display_formatter = DisplayFormatter()
        # The shell's own names (not the user's variables), as the shell made them.
        self.user_ns_hidden: dict[str, Any] = {k: shell.user_ns[k] for k in ("In", "Out", "__builtins__", "__name__") if k in shell.user_ns}
        self.autoawait = True
        self.colors = "Neutral"
        self.float_precision = ""
        self._magics: Any = None
        self._extensions: set[str] = set()
        self._info: ExecutionInfo | None = None
        self._caller: Any = None  # the frame a running magic was called from
        self._last_error: object = getattr(sys, "last_exc", None)  # errors before this cell are not its own
        shell.pre_execute.append(self._pre_execute)
        shell.post_execute.append(self._post_execute)

    # -- namespace -------------------------------------------------------------------------
    @property
    def user_ns(self) -> dict[str, Any]:
        return self._shell.user_ns

    @property
    def user_global_ns(self) -> dict[str, Any]:
        return self._shell.user_ns

    @property
    def execution_count(self) -> int:
        """The running cell's number (IPython's count during a cell)."""
        return self._shell.execution_count

    def push(self, variables: dict[str, Any] | str, interactive: bool = True) -> None:
        if isinstance(variables, str):
            frame = sys._getframe(1)
            variables = {name: eval(name, frame.f_globals, frame.f_locals) for name in variables.replace(",", " ").split()}
        self.user_ns.update(variables)

    def del_var(self, varname: str, by_name: bool = False) -> None:
        self.user_ns.pop(varname, None)

    def ev(self, expr: str) -> Any:
        return eval(expr, self.user_ns)

    def ex(self, cmd: str) -> None:
        exec(cmd, self.user_ns)

    @property
    def xmode(self) -> str:
        """The traceback layout ``%xmode`` set (kept by :mod:`pyloom.tracebacks` across shells)."""
        from . import tracebacks

        return tracebacks.mode

    @xmode.setter
    def xmode(self, mode: str) -> None:
        from . import tracebacks

        if mode not in tracebacks.MODES:
            raise ValueError(f"xmode must be one of {', '.join(tracebacks.MODES)}, not {mode!r}")
        tracebacks.mode = mode

    # -- magics ----------------------------------------------------------------------------
    @property
    def magics_manager(self) -> Any:
        if self._magics is None:
            from .magics import install_builtin_magics

            self._magics = install_builtin_magics(self)
        return self._magics

    def find_line_magic(self, name: str) -> Callable[..., Any] | None:
        return self.magics_manager.find("line", name)

    def find_cell_magic(self, name: str) -> Callable[..., Any] | None:
        return self.magics_manager.find("cell", name)

    def find_magic(self, name: str, magic_kind: str = "line") -> Callable[..., Any] | None:
        return self.magics_manager.find(magic_kind, name)

    def register_magic_function(self, func: Callable[..., Any], magic_kind: str = "line", magic_name: str | None = None) -> None:
        self.magics_manager.register_function(func, magic_kind=magic_kind, magic_name=magic_name)

    def register_magics(self, *objs: Any) -> None:
        self.magics_manager.register(*objs)

    def run_line_magic(self, magic_name: str, line: str, _stack_depth: int = 1) -> Any:
        from .magics import run_line_magic

        return run_line_magic(self, magic_name, line, sys._getframe(_stack_depth))

    def run_cell_magic(self, magic_name: str, line: str, cell: str) -> Any:
        from .magics import run_cell_magic

        return run_cell_magic(self, magic_name, line, cell, sys._getframe(1))

    def magic(self, arg_s: str) -> Any:
        name, _, line = arg_s.lstrip("%").partition(" ")
        return self.run_line_magic(name, line, _stack_depth=2)

    @property
    def extension_manager(self) -> Any:
        from .magics.basic import ExtensionManager

        return ExtensionManager(self)

    # -- running code ----------------------------------------------------------------------
    def run_cell(
        self, raw_cell: str, store_history: bool = False, silent: bool = False, shell_futures: bool = True, cell_id: Any = None
    ) -> ExecutionResult:
        """Run IPython-syntax source in the user namespace now (no top-level ``await``)."""
        from .magics.execution import run_source

        info = ExecutionInfo(raw_cell)
        result = ExecutionResult(info, self._shell.execution_count)
        try:
            result.result = run_source(self, raw_cell, self.user_ns, "<pyloom-run-cell>")
        except SyntaxError as exc:
            result.error_before_exec = exc
            self.showsyntaxerror()
        except Exception as exc:
            result.error_in_exec = exc
            self.showtraceback()
        return result

    def system(self, cmd: str) -> None:
        from .magics.system import system

        system(self, cmd)

    def getoutput(self, cmd: str, split: bool = True, depth: int = 0) -> Any:
        from .magics.system import getoutput

        return getoutput(self, cmd, split=split)

    system_piped = system
    system_raw = system

    def showtraceback(
        self,
        exc_tuple: tuple[Any, Any, Any] | None = None,
        filename: str | None = None,
        tb_offset: int | None = None,
        exception_only: bool = False,
        running_compiled_code: bool = False,
    ) -> None:
        """Show the exception being handled (or ``exc_tuple``) as the cell's error output."""
        from . import tracebacks
        from ._hook import emit

        exc = exc_tuple[1] if exc_tuple else sys.exc_info()[1]
        if exc is None:
            print("No traceback available to show.", file=sys.stderr)
            return
        if exc_tuple and exc_tuple[2] is not None and exc.__traceback__ is None:
            exc = exc.with_traceback(exc_tuple[2])
        emit(tracebacks.format_error(exc))

    def showsyntaxerror(self, filename: str | None = None, running_compiled_code: bool = False) -> None:
        from . import tracebacks
        from ._hook import emit

        exc = sys.exc_info()[1]
        if exc is not None:
            emit(tracebacks.format_error(exc, compiling=True))

    def has_trait(self, name: str) -> bool:
        """traitlets' question, answered for this shell's attributes (``has_trait('kernel')``)."""
        return hasattr(self, name)

    @property
    def display_pub(self) -> Any:
        return _DisplayPublisher()

    def set_next_input(self, text: str, replace: bool = False) -> None:
        """Ask the page for a cell holding ``text``: the running cell's own text with ``replace``
        (what ``%load`` does), else a new cell below it. The last call of a cell wins, as in
        ipykernel (sent in the execute reply's ``payload``)."""
        self.payload_manager.write_payload({"source": "set_next_input", "text": str(text), "replace": bool(replace)})

    @property
    def payload_manager(self) -> PayloadManager:
        return PayloadManager(self._shell)

    def enable_gui(self, gui: str | None = None) -> None:
        if gui not in (None, "inline"):
            print(f"Pyloom has no GUI event loop ({gui!r}): figures are shown inline.", file=sys.stderr)

    def enable_matplotlib(self, gui: str | None = None) -> tuple[str, str]:
        self.run_line_magic("matplotlib", gui or "inline")
        return ("inline", "module://pyloom.mpl_backend")

    def ask_exit(self) -> None:
        print("There is no kernel process to exit in Pyloom; use Restart to get a fresh Python.", file=sys.stderr)

    # -- events ----------------------------------------------------------------------------
    def _pre_execute(self) -> None:
        self._info = ExecutionInfo(self._shell.user_ns.get("_i", ""))
        self._last_error = getattr(sys, "last_exc", None)
        self.events.trigger("pre_execute")
        self.events.trigger("pre_run_cell", self._info)

    def _post_execute(self) -> None:
        self.events.trigger("post_execute")
        result = ExecutionResult(self._info or ExecutionInfo(""), self._shell.execution_count)
        error = getattr(sys, "last_exc", None)
        if error is not None and error is not self._last_error:
            result.error_in_exec = error
        self.events.trigger("post_run_cell", result)


class PayloadManager:
    """ipykernel's ``shell.payload_manager``: the running cell's execute-reply payload list."""

    def __init__(self, shell: Any) -> None:
        self._shell = shell

    def write_payload(self, data: dict[str, Any], single: bool = True) -> None:
        """Add ``data``; with ``single`` it replaces an earlier payload of the same ``source``.

        ``set_next_input`` goes to the page in the reply. A ``page`` payload (IPython's pager)
        is shown as a display output, as JupyterLab shows it; any other source is dropped with a
        note on stderr (the page would not act on it).
        """
        source = data.get("source")
        if source == "page" and isinstance(data.get("data"), dict):
            from .display import publish_display_data

            publish_display_data(data["data"])
            return
        if source != "set_next_input" or not isinstance(data.get("text"), str):
            print(f"pyloom: a {source!r} payload is not something this page acts on; it was dropped", file=sys.stderr)
            return
        payload: SetNextInputPayload = {"source": "set_next_input", "text": data["text"], "replace": bool(data.get("replace", False))}
        if single:
            self._shell.payload[:] = [p for p in self._shell.payload if p["source"] != payload["source"]]
        self._shell.payload.append(payload)

    def read_payload(self) -> list[dict[str, Any]]:
        return list(self._shell.payload)

    def clear_payload(self) -> None:
        self._shell.payload.clear()


class _DisplayPublisher:
    """``get_ipython().display_pub.publish(data, metadata)``: a display_data output."""

    def publish(
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: Any = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
    ) -> None:
        from .display import publish_display_data

        publish_display_data(data, metadata, transient=transient, update=update)


_instance: ZMQInteractiveShell | None = None


def shell_instance() -> ZMQInteractiveShell | None:
    """The ``get_ipython()`` shell, made on first call; None before ``pyloom.start``."""
    global _instance
    from . import shell as shell_module

    shell = shell_module.active
    if shell is None:
        return None
    if _instance is None or _instance._shell is not shell:
        _instance = ZMQInteractiveShell(shell)
    return _instance
