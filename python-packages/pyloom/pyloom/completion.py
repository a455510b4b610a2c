"""Tab completion from the live namespace, like IPython without jedi.

Sources: names (user namespace, builtins, keywords); attributes of a plain dotted name
(``a.b.c<partial>``); module names after ``import``/``from``; names after ``from mod import``.
Nothing is evaluated beyond ``getattr`` along the dotted name (no calls, no subscripts, no
imports), so completing cannot run user code other than attribute access. Offsets are in code
points (Python string indices); the worker converts them from and to UTF-16.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
from typing import TYPE_CHECKING, Any

from .completion_items import ATTRIBUTE, KEYWORD, MODULE, Candidates, ranked_items
from .completion_modules import submodules, top_level_modules

if TYPE_CHECKING:
    from .protocol import CompletionResult

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
    return {"from": start, "to": cursor, "items": ranked_items(candidates, partial)}


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


def _name_candidates(namespace: dict[str, Any]) -> Candidates:
    candidates: Candidates = {name: (KEYWORD, False, None) for name in _KEYWORDS}
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
            value, from_class = table.get(name, (ATTRIBUTE, False))
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
        return {"as": (KEYWORD, False, None)}
    if _FROM_IMPORT_KEYWORD.match(statement):
        return {"import": (KEYWORD, False, None)}
    return None  # an alias or something else where only a new name can go


def _module_candidates(dotted: str) -> Candidates | None:
    if dotted.startswith("."):
        return None  # relative: the notebook's __main__ has no package
    parent, _, _ = dotted.rpartition(".")
    names = submodules(parent) if parent else top_level_modules()
    return {name: (MODULE, False, None) for name in names}


def _from_import_candidates(module_name: str) -> Candidates | None:
    if module_name.startswith("."):
        return None
    candidates: Candidates = {name: (MODULE, False, None) for name in submodules(module_name)}
    module = sys.modules.get(module_name)
    if module is not None:  # only modules imported already: completing never imports
        try:
            listed = dir(module)
        except Exception:
            listed = []
        table = _static_attributes(module)
        for name in listed:
            if type(name) is str:
                value, from_class = table.get(name, (ATTRIBUTE, False))
                candidates[name] = (value, from_class, module)
    return candidates
