"""Installs :mod:`pyloom.http` when ``http.client`` is first imported, in a browser worker only.

Kept apart from ``pyloom.http`` so a session that never uses HTTP compiles none of it.
"""

from __future__ import annotations

import sys
from typing import Any


class PatchOnImport:
    """A meta-path finder: ``http.client`` loads as usual, then :func:`pyloom.http.patch` runs."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "http.client":
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            # A wrapper, not a changed loader: the stdlib's zip importer is shared by every module.
            spec.loader = _PatchingLoader(spec.loader)  # pyright: ignore[reportAttributeAccessIssue]
        return spec


class _PatchingLoader:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: Any) -> Any:
        return self.inner.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.inner.exec_module(module)
        from .http import patch

        patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_code… for inspect and linecache
        return getattr(self.inner, name)


def in_browser_worker() -> bool:
    if sys.platform != "emscripten":
        return False
    try:
        import js  # type: ignore[import-not-found]
    except ImportError:
        return False
    return hasattr(js, "XMLHttpRequest") and not hasattr(js, "document")


def install() -> bool:
    """Route ``http.client`` through XMLHttpRequest when running in a browser worker; returns
    whether it did. Until ``http.client`` is imported, only the finder is registered."""
    if not in_browser_worker():
        return False
    module = sys.modules.get("http.client")
    if module is not None:
        from .http import patch

        patch(module)
    elif not any(isinstance(f, PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, PatchOnImport())
    return True
