"""IPython's cell syntax turned into Python: ``%magic``, ``%%cell magic``, ``!cmd``, ``obj?``.

Each rewritten line stays one line with its indentation, so tracebacks point at the cell's own
lines. Magics inside strings, comments and bracketed continuations are left alone. A cell with
none of ``%``, ``!`` or ``?`` at a possible statement start returns unchanged after one regex
search (the cost every ordinary cell pays).
"""

from __future__ import annotations

import re

# Anything that might be IPython syntax: a line starting with % ! ?, ending with ?, or an
# assignment from % / !. Each starts with a literal, which the regex engine scans for quickly
# (one alternation of them is several times slower). False positives only cost the exact pass.
_LINE_START = re.compile(r"\n[ \t]*[%!?]")
_ASSIGN_FROM = re.compile(r"=[ \t]*[%!]")
_HELP_END = re.compile(r"\?[ \t]*(?:\n|$)")
_NAME = r"[A-Za-z_]\w*"
_LINE_MAGIC = re.compile(rf"({_NAME}(?:\.{_NAME})*)[ \t]?(.*)$", re.DOTALL)
# `x = %time f()`, `files = !ls`, `a, b = %who_ls` (plain targets, as IPython's assign rules).
_ASSIGN = re.compile(rf"({_NAME}(?:\.{_NAME})*(?:[ \t]*,[ \t]*{_NAME}(?:\.{_NAME})*)*)[ \t]*=[ \t]*([%!])(.*)$", re.DOTALL)
_OBJ = rf"{_NAME}(?:\.{_NAME}|\[[^\]\n]*\])*"
_HELP_AFTER = re.compile(rf"({_OBJ})[ \t]*(\?\??)[ \t]*$")
_HELP_BEFORE = re.compile(rf"(\?\??)[ \t]*({_OBJ})[ \t]*$")
_MAGIC_HELP = re.compile(rf"%%?({_NAME})[ \t]*(\?\??)[ \t]*$")
PIP_CALL = '__import__("pyloom.packages", fromlist=["pip"]).pip('
_PIP = "await " + PIP_CALL + "{!r})"


def transform_cell(source: str) -> str:
    """``source`` with IPython syntax rewritten to calls on ``get_ipython()``; unchanged otherwise.

    The result has exactly as many lines as ``source``. Raises nothing: text that is not valid
    IPython syntax is left for the compiler to report.
    """
    if not _maybe_ipython(source):
        return source
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("%%"):
        return _cell_magic(lines, first)
    return "\n".join(_transform_lines(lines))


def _maybe_ipython(source: str) -> bool:
    if "%" not in source and "!" not in source and "?" not in source:
        return False
    if source.lstrip(" \t\n")[:1] in ("%", "!", "?"):
        return True
    return bool(_LINE_START.search(source) or _ASSIGN_FROM.search(source) or ("?" in source and _HELP_END.search(source)))


def _cell_magic(lines: list[str], first: int) -> str:
    header = lines[first][2:]
    name, _, line = header.partition(" ")
    name = name.strip()
    if name.endswith("?"):
        return "\n" * first + f"get_ipython().run_line_magic('pinfo', {('%%' + name.rstrip('?'))!r})"
    # The body keeps its line numbers: magics compile it with the cell's name and these blank
    # lines in front (see ``pyloom.magics.cell_body``).
    body = "\n".join(lines[first + 1 :])
    call = f"get_ipython().run_cell_magic({name!r}, {line.strip()!r}, {body!r})"
    return "\n" * first + call + "\n" * (len(lines) - first - 1)


def _transform_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    depth = 0  # open brackets
    quote: str | None = None  # the open (triple-quoted) string's delimiter
    continued = False  # the previous line ended with a backslash
    i = 0
    while i < len(lines):
        line = lines[i]
        at_start = quote is None and depth == 0 and not continued
        if at_start:
            stripped = line.lstrip(" \t")
            if stripped[:1] in ("%", "!", "?") or "?" in stripped or "=" in stripped:
                # A magic may go on over lines ending in a backslash, as in IPython.
                j = i
                text = stripped
                while text.endswith("\\") and j + 1 < len(lines):
                    j += 1
                    text = text[:-1] + " " + lines[j].strip()
                rewritten = _rewrite(text)
                if rewritten is not None:
                    indent = line[: len(line) - len(stripped)]
                    out.append(indent + rewritten)
                    out.extend("" for _ in range(i, j))
                    i = j + 1
                    continued = False
                    continue
        out.append(line)
        depth, quote, continued = _scan(line, depth, quote)
        i += 1
    return out


def _rewrite(text: str) -> str | None:
    """The Python for one statement of IPython syntax, or None when it is plain Python."""
    if text.startswith("%"):
        helped = _MAGIC_HELP.match(text)
        if helped:
            return _help_call("%" + helped.group(1), helped.group(2))
        match = _LINE_MAGIC.match(text[1:] if not text.startswith("%%") else text[2:])
        if match is None:
            return None
        name, args = match.group(1), match.group(2).strip()
        if name == "pip":
            return _PIP.format(args)
        return f"get_ipython().run_line_magic({name!r}, {args!r})"
    if text.startswith("!"):
        if text.startswith("!!"):
            return f"get_ipython().getoutput({text[2:].strip()!r})"
        command = text[1:].strip()
        if command.split(None, 1)[:1] == ["pip"]:
            return _PIP.format(command[3:].strip())
        return f"get_ipython().system({command!r})"
    helped = _HELP_BEFORE.match(text) if text.startswith("?") else _HELP_AFTER.match(text)
    if helped:
        obj, marks = (helped.group(2), helped.group(1)) if text.startswith("?") else helped.groups()
        return _help_call(obj, marks)
    assign = _ASSIGN.match(text)
    if assign:
        target, kind, rest = assign.groups()
        rest = rest.strip()
        if kind == "!":
            return f"{target} = get_ipython().getoutput({rest!r})"
        magic = _LINE_MAGIC.match(rest)
        if magic is None:
            return None
        return f"{target} = get_ipython().run_line_magic({magic.group(1)!r}, {magic.group(2).strip()!r})"
    return None


def _help_call(obj: str, marks: str) -> str:
    magic = "pinfo2" if marks == "??" else "pinfo"
    return f"get_ipython().run_line_magic({magic!r}, {obj!r})"


def _scan(line: str, depth: int, quote: str | None) -> tuple[int, str | None, bool]:
    """Bracket depth and open string after ``line`` (Python's lexical rules, simplified: enough
    to know whether the next line starts a statement)."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if quote is not None:
            if c == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
            i += 1
            continue
        if c == "#":
            break
        if c in "'\"":
            triple = line[i : i + 3]
            quote = triple if triple in ('"""', "'''") else c
            i += len(quote)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        i += 1
    continued = line.endswith("\\") and (quote is None or len(quote) == 1)
    if quote is not None and len(quote) == 1 and not continued:
        quote = None  # an unterminated one-line string: the compiler reports it
    return depth, quote, continued
