"""``get_ipython().display_formatter``: IPython's per-MIME formatters with ``for_type`` printers.

Printers registered here (sympy's ``init_printing``, ``%precision``) feed
:func:`pyloom.formatters.format_object` through its one hook, installed when the first printer
is registered, so display costs nothing extra until a library asks for this.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from . import formatters

MIME_TYPES = (
    "text/plain",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "application/pdf",
    "image/jpeg",
    "text/latex",
    "application/json",
    "application/javascript",
)


class BaseFormatter:
    """One MIME type's printers: ``for_type(cls, func)``, ``for_type_by_name(module, name, func)``.

    ``func(obj)`` returns the data; for ``text/plain`` it is IPython's pretty printer
    ``func(obj, p, cycle)`` writing with ``p.text(...)``. ``enabled = False`` turns the type off.
    """

    def __init__(self, format_type: str, owner: DisplayFormatter) -> None:
        self.format_type = format_type
        self.enabled = True
        self.type_printers: dict[type, Callable[..., Any]] = {}
        self.deferred_printers: dict[tuple[str, str], Callable[..., Any]] = {}
        self.singleton_printers: dict[int, Callable[..., Any]] = {}
        self._owner = owner

    def for_type(self, typ: type | str, func: Callable[..., Any] | None = None) -> Callable[..., Any] | None:
        """Register ``func`` for ``typ`` (a class or ``"module.Name"``); returns the old one."""
        if isinstance(typ, str):
            module, _, name = typ.rpartition(".")
            return self.for_type_by_name(module, name, func)
        old = self.type_printers.get(typ)
        if func is not None:
            self.type_printers[typ] = func
            self._owner.activate()
        return old

    def for_type_by_name(self, type_module: str, type_name: str, func: Callable[..., Any] | None = None) -> Callable[..., Any] | None:
        key = (type_module, type_name)
        old = self.deferred_printers.get(key)
        if func is not None:
            self.deferred_printers[key] = func
            self._owner.activate()
        return old

    def pop(self, typ: type | str, default: Any = KeyError) -> Any:
        try:
            if isinstance(typ, str):
                module, _, name = typ.rpartition(".")
                return self.deferred_printers.pop((module, name))
            return self.type_printers.pop(typ)
        except KeyError:
            if default is KeyError:
                raise
            return default

    def lookup(self, obj: object) -> Callable[..., Any]:
        """The printer for ``obj`` (by identity, then along its class's MRO); KeyError if none."""
        if id(obj) in self.singleton_printers:
            return self.singleton_printers[id(obj)]
        return self.lookup_by_type(type(obj))

    def lookup_by_type(self, typ: type) -> Callable[..., Any]:
        for cls in getattr(typ, "__mro__", (typ,)):
            if cls in self.type_printers:
                return self.type_printers[cls]
            key = (getattr(cls, "__module__", ""), cls.__name__)
            if key in self.deferred_printers:
                # Bound to the class once it exists, as IPython does.
                self.type_printers[cls] = self.deferred_printers.pop(key)
                return self.type_printers[cls]
        raise KeyError(typ)

    def __contains__(self, typ: object) -> bool:
        try:
            self.lookup_by_type(typ if isinstance(typ, type) else type(typ))
        except KeyError:
            return False
        return True

    def __call__(self, obj: object) -> Any:
        if not self.enabled:
            return None
        try:
            printer = self.lookup(obj)
        except KeyError:
            return None
        if self.format_type == "text/plain":
            return _pretty(printer, obj)
        return printer(obj)


def _pretty(printer: Callable[..., Any], obj: object) -> str:
    stream = formatters._Printer()
    printer(obj, stream, False)
    return "".join(stream.parts)


class DisplayFormatter:
    """``formatters[mime]`` for each MIME type IPython knows; ``format(obj)`` → ``(data, metadata)``."""

    def __init__(self) -> None:
        self.formatters: dict[str, BaseFormatter] = {mime: BaseFormatter(mime, self) for mime in MIME_TYPES}
        self.active_types = list(MIME_TYPES)
        self.plain_text_only = False

    def format(self, obj: object, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return formatters.format_object(obj, include, exclude)

    def activate(self) -> None:
        formatters.type_printer_hook = self.printed

    def printed(self, obj: object) -> list[tuple[str, object, dict | None]]:
        """What the registered printers make of ``obj``; a printer that raises is reported and skipped."""
        out: list[tuple[str, object, dict | None]] = []
        for mime, formatter in self.formatters.items():
            if not formatter.enabled:
                continue
            if not formatter.type_printers and not formatter.deferred_printers and not formatter.singleton_printers:
                continue
            try:
                value = formatter(obj)
            except Exception as exc:
                sys.stderr.write(f"FormatterWarning: the {mime} printer for {type(obj).__name__} raised {type(exc).__name__}: {exc}\n")
                continue
            if value is None:
                continue
            meta = None
            if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict):
                value, meta = value
            out.append((mime, value, meta))
        return out
