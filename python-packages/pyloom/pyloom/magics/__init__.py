"""IPython's magics for Pyloom: the built-in set and how ``%name``/``%%name`` reach them.

Imported on the first magic a cell uses (through ``get_ipython()``), never at boot.
"""

from __future__ import annotations

import types
from typing import Any

from .core import MagicsManager, UsageError, var_expand

# Where each built-in magic lives: a cell imports only the module of the magic it uses.
BUILTIN: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "basic": ("BasicMagics", {"line": ("lsmagic", "magic", "load_ext", "unload_ext", "reload_ext", "pip", "conda", "pinfo", "pinfo2")}),
    "execution": ("ExecutionMagics", {"line": ("time", "timeit", "run"), "cell": ("time", "timeit", "capture")}),
    "code": ("CodeMagics", {"line": ("load", "loadpy")}),
    "namespace": ("NamespaceMagics", {"line": ("who_ls", "who", "whos", "reset", "env", "set_env", "precision", "xmode", "config")}),
    "files": (
        "FileMagics",
        {"line": ("pwd", "cd", "ls", "ll", "cat", "cp", "mv", "rm", "mkdir", "dhist", "sx", "system"), "cell": ("bash", "sh", "writefile")},
    ),
    "display": ("DisplayMagics", {"line": ("matplotlib",), "cell": ("html", "javascript", "js", "markdown", "latex", "svg")}),
}


def _loader(module: str, cls: str) -> Any:
    def load() -> Any:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{module}"), cls)

    return load


def install_builtin_magics(shell: Any) -> MagicsManager:
    lazy: dict[str, dict[str, Any]] = {"line": {}, "cell": {}}
    for module, (cls, kinds) in BUILTIN.items():
        for kind, names in kinds.items():
            for name in names:
                lazy[kind][name] = _loader(module, cls)
    return MagicsManager(shell, lazy)


def _expand(func: Any, line: str, frame: types.FrameType | None, shell: Any) -> str:
    if getattr(func, "_ipython_magic_no_var_expand", False) or frame is None:
        return line
    namespace = dict(shell.user_ns)
    if frame.f_locals is not frame.f_globals:
        namespace.update(frame.f_locals)
    return var_expand(line, namespace)


def run_line_magic(shell: Any, name: str, line: str, frame: types.FrameType | None) -> Any:
    """Call ``%name line``; its return value is the statement's value. UsageError if unknown."""
    func = shell.find_line_magic(name)
    if func is None:
        hint = " Did you mean %%{}? (a cell magic: it goes on the cell's first line)".format(name) if shell.find_cell_magic(name) else ""
        raise UsageError(f"Line magic function `%{name}` not found.{hint}")
    line = _expand(func, line, frame, shell)
    saved, shell._caller = shell._caller, frame  # where the magic stands: its line, its locals
    try:
        if getattr(func, "needs_local_scope", False):
            local_ns = frame.f_locals if frame is not None else shell.user_ns
            return func(line, local_ns=local_ns)
        return func(line)
    finally:
        shell._caller = saved


def run_cell_magic(shell: Any, name: str, line: str, cell: str, frame: types.FrameType | None) -> Any:
    """Call ``%%name line`` with the cell's body. UsageError if there is no such cell magic."""
    func = shell.find_cell_magic(name)
    if func is None:
        hint = f" Did you mean %{name}? (a line magic)" if shell.find_line_magic(name) else ""
        raise UsageError(f"Cell magic `%%{name}` not found.{hint}")
    line = _expand(func, line, frame, shell)
    saved, shell._caller = shell._caller, frame
    try:
        if getattr(func, "needs_local_scope", False):
            return func(line, cell, local_ns=frame.f_locals if frame is not None else shell.user_ns)
        return func(line, cell)
    finally:
        shell._caller = saved


def cell_body(shell: Any, cell: str) -> tuple[str, str]:
    """``(filename, source)`` to compile a cell magic's body so tracebacks name the cell's lines.

    The body is padded with the blank lines of the magic's header, under the running cell's
    name, when it is that cell's body; otherwise it gets a name of its own.
    """
    from .. import tracebacks

    raw = shell.user_ns.get("_i", "")
    lines = raw.split("\n")
    for offset, text in enumerate(lines):
        if text.strip():
            if text.startswith("%%") and "\n".join(lines[offset + 1 :]) == cell:
                return tracebacks.cell_filename(shell.execution_count), "\n" * (offset + 1) + cell
            break
    return "<magic-cell>", cell


__all__ = ["UsageError", "cell_body", "install_builtin_magics", "run_cell_magic", "run_line_magic"]
