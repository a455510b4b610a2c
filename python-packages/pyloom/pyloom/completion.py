"""Tab completion from the live namespace, like IPython without jedi.

Sources: names (user namespace, builtins, keywords); attributes of a plain dotted name
(``a.b.c<partial>``); module names after ``import``/``from``; names after ``from mod import``.
Nothing is evaluated beyond ``getattr`` along the dotted name (no calls, no subscripts, no
imports), so completing cannot run user code other than attribute access. Offsets are in code
points (Python string indices); the worker converts them from and to UTF-16.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import os
import pkgutil
import re
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .protocol import CompletionItem, CompletionResult

MAX_ITEMS = 500
# Signatures cost an inspect call each: only the first items (what the menu shows) get one.
MAX_DETAILS = 50
MAX_DETAIL_CHARS = 120

_KEYWORDS = sorted({*keyword.kwlist, "match", "case"})
# The dotted name before the cursor's ``.``: names only, so nothing but getattr runs.
_CHAIN = re.compile(r"(?:[^\W\d]\w*\.)+")
_IMPORT = re.compile(r"\s*import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*([\w.]*)$")
_IMPORT_AS = re.compile(r"\s*import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*[\w.]+\s+(\w*)$")
_FROM = re.compile(r"\s*from\s+([\w.]*)$")
_FROM_IMPORT_KEYWORD = re.compile(r"\s*from\s+[\w.]+\s+(\w*)$")
_FROM_NAMES = re.compile(r"\s*from\s+([\w.]+)\s+import\s+\(?\s*(?:\w+(?:\s+as\s+\w+)?\s*,\s*)*(\w*)$")
_IMPORT_STATEMENT = re.compile(r"\s*(?:import|from)\b")
_DEFINITION = re.compile(r"\s*(?:async\s+)?(?:def|class)\s+\w*$")

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


def complete(code: str, cursor: int, namespace: dict[str, Any]) -> CompletionResult:
    """Completions at ``cursor`` (a code point offset in ``code``).

    Returns ``{"from": int, "to": int, "items": [{"label", "type", "detail"?}]}``: the chosen
    label replaces ``code[from:to]``. No items inside strings and comments, or where only a new
    name can go.
    """
    cursor = max(0, min(cursor, len(code)))
    before = code[:cursor]
    start = _word_start(before, cursor)
    partial = before[start:]
    empty: CompletionResult = {"from": start, "to": cursor, "items": []}
    state, statement_start = _scan(before)
    if state != "code":
        return empty
    statement = before[statement_start:]
    if _IMPORT_STATEMENT.match(statement):
        candidates = _import_candidates(statement)
    elif partial[:1].isdigit() or _DEFINITION.match(statement):
        return empty  # a number, or the name of a new function or class
    else:
        head = before[:start]
        if head.endswith("."):
            candidates = _attribute_candidates(head, namespace)
        elif head[-1:] in (")", "]", "}", "'", '"'):
            return empty  # no name can follow a closing bracket or a string
        else:
            candidates = _name_candidates(namespace)
    if candidates is None:
        return empty
    return {"from": start, "to": cursor, "items": _items(candidates, partial)}


# ---- where the cursor is ------------------------------------------------------------------
_CODE_MARK = re.compile(r"[#'\"()\[\]{}\n;]")
# A string's body up to its closing quote: escapes are skipped, one-line strings stop at a newline.
_STRING_BODY = {  # unrolled loops ("normal* (special normal*)*"): linear and fast
    "'": re.compile(r"[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*"),
    '"': re.compile(r'[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*'),
    "'''": re.compile(r"[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*"),
    '"""': re.compile(r'[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*'),
}


def _scan(text: str) -> tuple[str, int]:
    """Lex ``text`` just enough to know whether it ends in code, a string or a comment, and
    where its last logical line (statement) starts: after a newline outside brackets, or a ``;``.
    Regexes jump between the characters that matter, so a long cell costs little.
    """
    i = 0
    depth = 0
    statement_start = 0
    while (mark := _CODE_MARK.search(text, i)) is not None:
        i = mark.start()
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                return "comment", statement_start
            continue
        if c in "'\"":
            quote = c * 3 if text.startswith(c * 3, i) else c
            body = _STRING_BODY[quote].match(text, i + len(quote))
            assert body is not None  # each pattern matches the empty string
            i = body.end()
            if text.startswith(quote, i):
                i += len(quote)
            elif not (len(quote) == 1 and text.startswith("\n", i)):  # (unclosed: ends with its line)
                return "string", statement_start  # the text ends inside it
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        elif c == "\n":
            if depth == 0 and not text.endswith("\\", 0, i):
                statement_start = i + 1
        elif depth == 0:  # ";"
            statement_start = i + 1
        i += 1
    return "code", statement_start


# ---- candidates: name → (value, found in a class dict), or a keyword/module marker ----------
class _Marker:
    def __init__(self, kind: str, detail: str | None = None) -> None:
        self.kind = kind
        self.detail = detail


_KEYWORD = _Marker("keyword")
_MODULE = _Marker("module")
_ATTRIBUTE = _Marker("property")  # listed by dir() but not found statically (a __getattr__ name)

Candidates = dict[str, tuple[Any, bool, Any]]  # name → (value, from_class, owner)


def _name_candidates(namespace: dict[str, Any]) -> Candidates:
    candidates: Candidates = {name: (_KEYWORD, False, None) for name in _KEYWORDS}
    for source in (vars(builtins), namespace):
        for name, value in list(source.items()):
            if type(name) is str:
                candidates[name] = (value, False, None)
    return candidates


def _word_start(text: str, end: int) -> int:
    """Where the identifier characters before ``end`` begin (a scan back, not a regex search:
    linear however long the cell)."""
    start = end
    while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start


def _attribute_candidates(head: str, namespace: dict[str, Any]) -> Candidates | None:
    start = len(head)
    while start and (head[start - 1] == "." or head[start - 1].isalnum() or head[start - 1] == "_"):
        start -= 1
    chain = head[start:]
    if not _CHAIN.fullmatch(chain) or head[start - 1 : start] in (")", "]", "}", "'", '"'):
        return None  # after a call, subscript, literal or number: never evaluated
    names = chain[:-1].split(".")
    try:
        if names[0] in namespace:
            obj = namespace[names[0]]
        elif names[0] in vars(builtins):
            obj = vars(builtins)[names[0]]
        else:
            return None
        for name in names[1:]:
            obj = getattr(obj, name)
        listed = dir(obj)
    except Exception:
        return None  # a missing name or a getter / __dir__ that raises: nothing to offer
    table = _static_attributes(obj)
    candidates: Candidates = {}
    for name in listed:
        if type(name) is str:
            value, from_class = table.get(name, (_ATTRIBUTE, False))
            candidates[name] = (value, from_class, obj)
    return candidates


def _static_attributes(obj: object) -> dict[str, tuple[Any, bool]]:
    """What each attribute of ``obj`` is, read from the class and instance dicts without running
    getters or ``__getattr__`` (like ``inspect.getattr_static``, for all names at once)."""
    table: dict[str, tuple[Any, bool]] = {}

    def add_classes(klass: type) -> None:
        try:
            mro = type.__dict__["__mro__"].__get__(klass)
        except Exception:
            mro = (klass,)
        for base in reversed(mro):
            try:
                table.update((name, (value, True)) for name, value in type.__dict__["__dict__"].__get__(base).items())
            except Exception:
                continue

    if issubclass(type(obj), type):
        add_classes(type(obj))  # the metaclass
        add_classes(obj)  # type: ignore[arg-type]
        return table
    add_classes(type(obj))
    try:
        instance = object.__getattribute__(obj, "__dict__")
    except Exception:
        instance = None
    if type(instance) is dict:
        for name, value in list(instance.items()):
            known = table.get(name)
            if known is None or not _is_data_descriptor(known[0]):
                table[name] = (value, False)
    return table


def _is_data_descriptor(value: object) -> bool:
    kind = type(value)
    return hasattr(kind, "__set__") or hasattr(kind, "__delete__")


def _import_candidates(statement: str) -> Candidates | None:
    if m := _IMPORT.match(statement):
        return _module_candidates(m.group(1))
    if m := _FROM.match(statement):
        return _module_candidates(m.group(1))
    if m := _FROM_NAMES.match(statement):
        return _from_import_candidates(m.group(1))
    if _IMPORT_AS.match(statement):
        return {"as": (_KEYWORD, False, None)}
    if _FROM_IMPORT_KEYWORD.match(statement):
        return {"import": (_KEYWORD, False, None)}
    return None  # an alias or something else where only a new name can go


def _module_candidates(dotted: str) -> Candidates | None:
    if dotted.startswith("."):
        return None  # relative: the notebook's __main__ has no package
    parent, _, _ = dotted.rpartition(".")
    names = _submodules(parent) if parent else _top_level_modules()
    return {name: (_MODULE, False, None) for name in names}


def _from_import_candidates(module_name: str) -> Candidates | None:
    if module_name.startswith("."):
        return None
    candidates: Candidates = {name: (_MODULE, False, None) for name in _submodules(module_name)}
    module = sys.modules.get(module_name)
    if module is not None:  # only modules imported already: completing never imports
        try:
            listed = dir(module)
        except Exception:
            listed = []
        table = _static_attributes(module)
        for name in listed:
            if type(name) is str:
                value, from_class = table.get(name, (_ATTRIBUTE, False))
                candidates[name] = (value, from_class, module)
    return candidates


# ---- module names -------------------------------------------------------------------------
_scanned: tuple[tuple[Any, ...], frozenset[str]] | None = None
_lock_imports: tuple[str | None, frozenset[str]] | None = None


def _top_level_modules() -> set[str]:
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


def _submodules(parent: str) -> set[str]:
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


# ---- items --------------------------------------------------------------------------------
def _items(candidates: Candidates, partial: str) -> list[CompletionItem]:
    folded = partial.casefold()
    private = partial.startswith("_")
    matches = [
        name
        for name in candidates
        if (private or not name.startswith("_")) and (name.startswith(partial) or name.casefold().startswith(folded))
    ]
    matches.sort(key=lambda name: (not name.startswith(partial), _privacy(name), name.casefold(), name))
    items: list[CompletionItem] = []
    for index, name in enumerate(matches[:MAX_ITEMS]):
        value, from_class, owner = candidates[name]
        kind = _kind(name, value, from_class)
        item: CompletionItem = {"label": name, "type": kind}
        if index < MAX_DETAILS:
            detail = _detail(value, kind, from_class, owner)
            if detail:
                item["detail"] = detail
        items.append(item)
    return items


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

