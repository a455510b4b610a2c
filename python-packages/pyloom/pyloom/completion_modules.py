"""Module names for completing ``import`` and ``from`` statements, found without importing.

Top-level names come from built-ins, ``sys.path`` (scanned once per state of its entries),
``sys.modules`` and Pyodide's lock file (packages the shell loads on first import); submodules
are listed from the package's folder on disk.
"""

from __future__ import annotations

import os
import pkgutil
import sys
from typing import Any

_scanned: tuple[tuple[Any, ...], frozenset[str]] | None = None
_lock_imports: tuple[str | None, frozenset[str]] | None = None


def top_level_modules() -> set[str]:
    """Importable top-level names: built in, on sys.path (scanned once per sys.path state),
    imported already, or in Pyodide's lock file (loaded by the shell on first import)."""
    global _scanned
    key = tuple((entry, _mtime(entry)) for entry in sys.path)
    if _scanned is None or _scanned[0] != key:
        found: set[str] = set()
        try:
            for info in pkgutil.iter_modules():
                found.add(info.name)
        except Exception:
            pass
        _scanned = (key, frozenset(found))
    names = set(sys.builtin_module_names) | _scanned[1] | _lock_modules()
    names.update(name.partition(".")[0] for name in list(sys.modules))
    return {name for name in names if name.isidentifier()}


def _mtime(entry: str) -> float | None:
    try:
        return os.stat(entry or ".").st_mtime
    except OSError:
        return None


def _lock_modules() -> frozenset[str]:
    global _lock_imports
    from . import package_settings

    lock_json = package_settings.lock_json
    if _lock_imports is None or _lock_imports[0] is not lock_json:
        found: set[str] = set()
        if lock_json:
            import json

            try:
                for entry in json.loads(lock_json).get("packages", {}).values():
                    found.update(entry.get("imports", []))
            except (ValueError, AttributeError):
                pass
        _lock_imports = (lock_json, frozenset(found))
    return _lock_imports[1]


def submodules(parent: str) -> set[str]:
    """Submodules of the package ``parent``, found on disk: the package is not imported."""
    prefix = parent + "."
    names = {key[len(prefix) :] for key in list(sys.modules) if key.startswith(prefix)}
    names = {name for name in names if "." not in name}
    search = _package_path(parent)
    if search:
        try:
            names.update(info.name for info in pkgutil.iter_modules(search))
        except Exception:
            pass
    return names


def _package_path(dotted: str) -> list[str] | None:
    import importlib.machinery

    search: list[str] | None = None
    parts = dotted.split(".")
    for i in range(len(parts)):
        name = ".".join(parts[: i + 1])
        module = sys.modules.get(name)
        if module is not None:
            path = getattr(module, "__dict__", {}).get("__path__")
        else:
            try:
                spec = importlib.machinery.PathFinder.find_spec(name, search)
            except Exception:
                return None
            path = spec.submodule_search_locations if spec is not None else None
        if path is None:
            return None
        search = list(path)
    return search
