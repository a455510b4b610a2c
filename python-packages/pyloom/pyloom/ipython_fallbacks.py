"""Modules of IPython that widget libraries import and Pyloom's IPython stand-in may lack.

Added to ``sys.modules`` only when the IPython in use has no such module (a real IPython, or a
stand-in that grew one, always wins).
"""

from __future__ import annotations

import importlib.util
import sys
import types

from . import import_hooks


class _DisplayFormatter:
    def format(self, obj: object, include=None, exclude=None):  # type: ignore[no-untyped-def]
        from .formatters import format_object

        return format_object(obj, include, exclude)


class InteractiveShell:
    """``InteractiveShell.instance().display_formatter.format``: what ipywidgets' Output calls."""

    _instance: InteractiveShell | None = None

    def __init__(self) -> None:
        self.display_formatter = _DisplayFormatter()

    @classmethod
    def instance(cls) -> InteractiveShell:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    @classmethod
    def initialized(cls) -> bool:
        return cls._instance is not None


def _add_interactiveshell(core: types.ModuleType) -> None:
    name = "IPython.core.interactiveshell"
    if name in sys.modules or importlib.util.find_spec(name) is not None:
        return
    module = types.ModuleType(name, "Pyloom's fallback for IPython.core.interactiveshell")
    module.InteractiveShell = InteractiveShell  # type: ignore[attr-defined]
    sys.modules[name] = module
    core.interactiveshell = module  # type: ignore[attr-defined]


def install() -> None:
    import_hooks.when_imported("IPython.core", _add_interactiveshell)
