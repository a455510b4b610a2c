"""Completion candidates and how they become menu items: ranking, kind and signature detail.

A candidate is ``name → (value, from_class, owner)``: the attribute's value as found statically
(or a marker for keywords, modules and names only ``dir()`` lists), whether it came from a class
dict, and the object it was read from. Kinds are read from the value's type alone; a signature is
computed for the first ``MAX_DETAILS`` items only, and never through a user ``__get__``.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .protocol import CompletionItem

MAX_ITEMS = 500
# Signatures cost an inspect call each: only the first items (what the menu shows) get one.
MAX_DETAILS = 50
MAX_DETAIL_CHARS = 120

_PROPERTY_TYPES = (property, functools.cached_property, types.GetSetDescriptorType, types.MemberDescriptorType)
_METHOD_TYPES = (
    classmethod,
    staticmethod,
    types.MethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.ClassMethodDescriptorType,
    types.MethodWrapperType,
)
# Descriptors whose __get__ is C code that only binds: safe to call for a bound signature.
_BINDABLE = (
    types.FunctionType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.ClassMethodDescriptorType,
)


class _Marker:
    def __init__(self, kind: str, detail: str | None = None) -> None:
        self.kind = kind
        self.detail = detail


KEYWORD = _Marker("keyword")
MODULE = _Marker("module")
ATTRIBUTE = _Marker("property")  # listed by dir() but not found statically (a __getattr__ name)

Candidates = dict[str, tuple[Any, bool, Any]]  # name → (value, from_class, owner)


def ranked_items(candidates: Candidates, partial: str) -> list[CompletionItem]:
    """The candidates that start with ``partial`` (exact case first, then case-insensitive),
    public before ``_private`` before ``__dunder__`` unless ``partial`` starts with ``_``; at most
    ``MAX_ITEMS``, each ``{"label", "type", "detail"?}`` with a signature on the first ``MAX_DETAILS``."""
    folded = partial.casefold()
    private = partial.startswith("_")
    matches = [
        name
        for name in candidates
        if (private or not name.startswith("_")) and (name.startswith(partial) or name.casefold().startswith(folded))
    ]
    matches.sort(key=lambda name: (not name.startswith(partial), _privacy(name), name.casefold(), name))
    result: list[CompletionItem] = []
    for index, name in enumerate(matches[:MAX_ITEMS]):
        value, from_class, owner = candidates[name]
        kind = _kind(name, value, from_class)
        item: CompletionItem = {"label": name, "type": kind}
        if index < MAX_DETAILS:
            detail = _detail(value, kind, from_class, owner)
            if detail:
                item["detail"] = detail
        result.append(item)
    return result


def _privacy(name: str) -> int:
    return 2 if name.startswith("__") else 1 if name.startswith("_") else 0


def _kind(name: str, value: object, from_class: bool) -> str:
    """The completion type, from the object's type alone (never its attributes or getters)."""
    if type(value) is _Marker:
        return value.kind  # type: ignore[attr-defined]
    cls = type(value)
    if issubclass(cls, types.ModuleType):
        return "module"
    if issubclass(cls, type):
        return "class"
    if issubclass(cls, _PROPERTY_TYPES):
        return "property"
    if issubclass(cls, _METHOD_TYPES):
        return "method"
    if issubclass(cls, types.FunctionType):
        return "method" if from_class else "function"
    if issubclass(cls, types.BuiltinFunctionType):
        owner = value.__self__  # type: ignore[attr-defined]
        return "function" if owner is None or issubclass(type(owner), types.ModuleType) else "method"
    if callable(value):
        return "function"
    if name.isupper() and len(name) > 1:
        return "constant"
    return "variable"


def _detail(value: object, kind: str, from_class: bool, owner: object) -> str | None:
    if type(value) is _Marker:
        return value.detail  # type: ignore[attr-defined]
    if kind not in ("function", "method", "class"):
        return None
    target = _signature_target(value, from_class, owner)
    if target is None:
        return None
    import inspect

    try:
        text = str(inspect.signature(target))
    except Exception:
        return None
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def _signature_target(value: Any, from_class: bool, owner: object) -> Callable[..., Any] | None:
    """The callable whose signature the user will call: bound when it is a method of an instance
    (only through C-level binding descriptors, never a user ``__get__``)."""
    if not from_class:
        return value
    cls = type(value)
    if cls is staticmethod:
        return value.__func__
    if cls is classmethod:
        return types.MethodType(value.__func__, owner if issubclass(type(owner), type) else type(owner))
    if cls in _BINDABLE:
        return value if issubclass(type(owner), type) else value.__get__(owner, type(owner))
    if issubclass(cls, (type, types.BuiltinFunctionType)):
        return value
    return None
