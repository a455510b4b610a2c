"""Run code right after a module is imported (wherever the import comes from).

Pyloom wires libraries that may be installed at any time (``comm``, ``ipywidgets``, ``plotly``…)
the moment they are first imported, without importing them at boot (that would cost start-up
time and fail when they are absent).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable
from types import ModuleType

_hooks: dict[str, list[Callable[[ModuleType], None]]] = {}


def when_imported(name: str, hook: Callable[[ModuleType], None]) -> None:
    """Call ``hook(module)`` once ``name`` has been imported; at once if it already is.

    A hook that raises is reported on stderr and does not break the import.
    """
    module = sys.modules.get(name)
    if module is not None:
        _run(name, hook, module)
        return
    _hooks.setdefault(name, []).append(hook)
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def _run(name: str, hook: Callable[[ModuleType], None], module: ModuleType) -> None:
    try:
        hook(module)
    except Exception as error:  # a wiring bug must not make the library unimportable
        print(f"pyloom: could not wire {name}: {type(error).__name__}: {error}", file=sys.stderr)


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader, name: str) -> None:
        self._inner = inner
        self._name = name

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        for hook in _hooks.pop(self._name, []):
            _run(self._name, hook, module)

    def __getattr__(self, attribute: str):  # type: ignore[no-untyped-def]
        # get_resource_reader, get_source…: what the module itself may ask its loader for.
        return getattr(self._inner, attribute)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: asks the finders after it, then wraps the loader of watched names."""

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname not in _hooks:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader, fullname)
                return spec
        return None
