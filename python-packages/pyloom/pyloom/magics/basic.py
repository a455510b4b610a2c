"""``%lsmagic``, ``%magic``, ``%load_ext``/``%reload_ext``/``%unload_ext``, ``%pip``, ``%conda``,
``%pinfo``/``%pinfo2`` and the extension manager ``%load_ext`` uses.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any

from .core import Magics, UsageError, line_magic, magics_class


class ExtensionManager:
    """``load_extension(name)`` imports the module and calls its ``load_ipython_extension(ip)``."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.loaded: set[str] = shell._extensions

    def load_extension(self, name: str) -> str | None:
        """None when loaded, ``"already loaded"`` if it was, ``"no load function"`` if the module
        has no ``load_ipython_extension``. ImportError propagates (the user sees the real one)."""
        if name in self.loaded:
            return "already loaded"
        module = importlib.import_module(name)
        load = getattr(module, "load_ipython_extension", None)
        if load is None:
            return "no load function"
        load(self.shell)
        self.loaded.add(name)
        return None

    def unload_extension(self, name: str) -> str | None:
        if name not in self.loaded:
            return "not loaded"
        unload = getattr(sys.modules.get(name), "unload_ipython_extension", None)
        if unload is None:
            return "no unload function"
        unload(self.shell)
        self.loaded.discard(name)
        return None

    def reload_extension(self, name: str) -> None:
        if name in self.loaded:
            self.unload_extension(name)
            self.loaded.discard(name)
        if name in sys.modules:
            importlib.reload(sys.modules[name])
        self.load_extension(name)


@magics_class
class BasicMagics(Magics):
    @line_magic
    def lsmagic(self, line: str = "") -> None:
        """List the available line and cell magics."""
        info = self.shell.magics_manager.lsmagic_info()
        print("Available line magics:")
        print("  ".join("%" + name for name in info["line"]))
        print()
        print("Available cell magics:")
        print("  ".join("%%" + name for name in info["cell"]))
        print()
        print("Automagic is OFF, % prefix IS needed for line magics.")

    @line_magic
    def magic(self, line: str = "") -> None:
        """Print the documentation of every magic."""
        print(
            "IPython's magic functions in Pyloom: '%name' works on one line, '%%name' on a whole cell\n"
            "(it must be the cell's first line). '!cmd' runs an emulated shell command, 'obj?' shows help.\n"
        )
        magics = self.shell.magics_manager.lsmagic()
        for kind, prefix in (("line", "%"), ("cell", "%%")):
            for name in sorted(magics[kind]):
                doc = inspect.getdoc(magics[kind][name]) or "No documentation"
                print(f"{prefix}{name}:\n    " + doc.replace("\n", "\n    ") + "\n")

    @line_magic
    def load_ext(self, module_str: str) -> None:
        """``%load_ext module``: import it and call its ``load_ipython_extension(get_ipython())``."""
        name = module_str.strip()
        if not name:
            raise UsageError("Missing module name.")
        result = self.shell.extension_manager.load_extension(name)
        if result == "already loaded":
            print(f"The {name} extension is already loaded. To reload it, use:\n  %reload_ext {name}")
        elif result == "no load function":
            print(f"The {name} module is not an IPython extension.")

    @line_magic
    def unload_ext(self, module_str: str) -> None:
        name = module_str.strip()
        result = self.shell.extension_manager.unload_extension(name)
        if result == "no unload function":
            print(f"The {name} extension doesn't define how to unload it.")
        elif result == "not loaded":
            print(f"The {name} extension is not loaded.")

    @line_magic
    def reload_ext(self, module_str: str) -> None:
        self.shell.extension_manager.reload_extension(module_str.strip())

    @line_magic
    def pip(self, line: str = "") -> Any:
        """``%pip install NAME[==VERSION] …`` / ``%pip list``: Pyloom's installer (the same as a
        ``%pip`` line in a cell). Called from code, it returns an awaitable; in a cell, write
        ``%pip …`` on its own line (it is awaited for you)."""
        from .. import packages

        return packages.pip(line)

    @line_magic
    def conda(self, line: str = "") -> None:
        """There is no conda in the browser: a message that says what to use."""
        print(
            "conda is not available in Pyloom: Python runs in your browser (Pyodide), without conda.\n"
            "Install packages with %pip install <name> (packages built for Pyodide and pure-Python wheels).",
            file=sys.stderr,
        )

    @line_magic
    def pinfo(self, parameter_s: str = "") -> None:
        """``%pinfo obj`` = ``obj?``: signature, type, docstring and file."""
        from .help import pinfo

        pinfo(self.shell, parameter_s, 0, _caller_locals(self.shell))

    @line_magic
    def pinfo2(self, parameter_s: str = "") -> None:
        """``%pinfo2 obj`` = ``obj??``: as ``obj?``, with the source when it is available."""
        from .help import pinfo

        pinfo(self.shell, parameter_s, 1, _caller_locals(self.shell))


def _caller_locals(shell: Any) -> dict[str, Any] | None:
    frame = getattr(shell, "_caller", None)
    if frame is None or frame.f_locals is frame.f_globals:
        return None
    return frame.f_locals
