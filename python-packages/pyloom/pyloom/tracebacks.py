"""Errors formatted like IPython: ename, evalue and a traceback of the user's frames.

Frames are shown from the first cell frame on, so Pyloom's own machinery (the shell, the
event loop) never appears; library frames called by the user's code stay, as in Jupyter.
Each traceback entry is one string (ANSI-coloured), the shape Jupyter front ends render.
``%xmode`` picks IPython's layout (:data:`mode`): Context (default), Plain, Verbose, Minimal.
"""

from __future__ import annotations

import linecache
import os
import re
import traceback
from types import FrameType, TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .protocol import ErrorOutput

RED = "\x1b[31m"
GREEN = "\x1b[32m"
CYAN = "\x1b[36m"
BOLD_RED = "\x1b[1;31m"
RESET = "\x1b[39m"
RESET_ALL = "\x1b[0m"
RULE = "-" * 75
CONTEXT = 2
MODES = ("Plain", "Context", "Verbose", "Minimal", "Docs")
# The layout of run-time errors, set by %xmode (IPython's InteractiveTB mode). "Docs" is
# IPython's Context for documentation builds: the same frames here.
mode = "Context"

_CELL_FILE = re.compile(r"^<pyloom-cell-(\d+)>$")


def cell_filename(execution_count: int) -> str:
    return f"<pyloom-cell-{execution_count}>"


def cell_number(filename: str) -> int | None:
    match = _CELL_FILE.match(filename)
    return int(match.group(1)) if match else None


def register_source(filename: str, source: str) -> None:
    """Make cell source visible to linecache (tracebacks, inspect.getsource, pdb).

    An mtime of None keeps linecache.checkcache from evicting the entry.
    """
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[filename] = (len(source), None, lines, filename)


def location(filename: str, lineno: int | None, name: str | None = None) -> str:
    number = cell_number(filename)
    where = f"Cell In[{number}], line {lineno}" if number is not None else f"File {filename}:{lineno}"
    if name and name != "<module>":
        where += f", in {name}()"
    return f"{GREEN}{where}{RESET}" if number is None else f"{CYAN}{where}{RESET}"


def _frame_entry(frame: traceback.FrameSummary, live: FrameType | None = None) -> str:
    """One frame as IPython's Context/Verbose layout: where, then the lines around the failing
    one; ``live`` (Verbose) adds the call's arguments and the values of the names on that line."""
    lineno = frame.lineno or 0
    header = location(frame.filename, lineno, frame.name)
    if live is not None and frame.name != "<module>":
        header = header.replace(f"in {frame.name}()", f"in {frame.name}({_arguments(live)})")
    lines = [header]
    start = max(1, lineno - CONTEXT)
    for n in range(start, lineno + CONTEXT + 1):
        text = linecache.getline(frame.filename, n)
        if not text:
            if n > lineno:
                break
            continue
        text = text.rstrip("\n")
        if n == lineno:
            lines.append(f"{GREEN}---->{n:>4}{RESET} {text}")
            if live is not None:
                lines += [f"{' ' * 8}{name} = {value}" for name, value in _line_values(text, live)]
        else:
            lines.append(f"{GREEN}{n:>9}{RESET} {text}")
    return "\n".join(lines) + "\n"


def _plain_entry(frame: traceback.FrameSummary) -> str:
    """One frame as IPython's Plain layout (its ListTB): ``Cell In[2], line 4 in f`` or
    ``File /path.py, line 9 in g`` (no `` in`` for module level), then the line."""
    number = cell_number(frame.filename)
    where = f"Cell In[{number}]" if number is not None else f"File {frame.filename}"
    where += f", line {frame.lineno}"
    if frame.name != "<module>":
        where += f" in {frame.name}"
    where = f"{CYAN if number is not None else GREEN}{where}{RESET}"
    text = linecache.getline(frame.filename, frame.lineno or 0).strip()
    return f"  {where}\n    {text}\n" if text else f"  {where}\n"


_VALUE_WIDTH = 200


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not hide the error being reported
        return f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 3] + "..."


def _arguments(frame: FrameType) -> str:
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
    names = code.co_varnames[:count]
    return ", ".join(f"{name}={_short_repr(frame.f_locals[name])}" for name in names if name in frame.f_locals)


def _line_values(text: str, frame: FrameType) -> list[tuple[str, str]]:
    """``(name, repr)`` of each variable the line names, locals before globals, as IPython's
    Verbose mode lists them under the failing line (builtins and modules are left out)."""
    import keyword
    import types

    values: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in re.findall(r"(?<![\w.])[A-Za-z_]\w*", text):
        if name in seen or keyword.iskeyword(name):
            continue
        seen.add(name)
        if name in frame.f_locals:
            value = frame.f_locals[name]
        elif name in frame.f_globals:
            value = frame.f_globals[name]
            name = f"global {name}"
        else:
            continue
        if not isinstance(value, types.ModuleType):
            values.append((name, _short_repr(value)))
    return values


# The magics machinery between a cell and the code a magic runs is Pyloom's, not the user's.
_PACKAGE = os.path.dirname(__file__)
_MACHINERY = (
    os.path.join(_PACKAGE, "magics") + os.sep,
    os.path.join(_PACKAGE, "ipython_shell.py"),
    os.path.join(_PACKAGE, "shell_events.py"),
)


def user_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    return [summary for summary, _ in _user_frames_live(tb)]


def _user_frames_live(tb: TracebackType | None) -> list[tuple[traceback.FrameSummary, FrameType]]:
    """The frames worth showing, from the first cell frame on, each with its live frame."""
    # Not strict: extract_tb stops at sys.tracebacklimit, and the pairs it has are still right.
    pairs = list(zip(traceback.extract_tb(tb), (frame for frame, _ in traceback.walk_tb(tb)), strict=False))
    for i, (summary, _) in enumerate(pairs):
        if cell_number(summary.filename) is not None:
            return [(s, f) for s, f in pairs[i:] if not s.filename.startswith(_MACHINERY)]
    return pairs


CAUSE = "The above exception was the direct cause of the following exception:"
CONTEXT_MSG = "During handling of the above exception, another exception occurred:"


def _chain(exc: BaseException) -> list[tuple[BaseException, str | None]]:
    """The exception and its causes/contexts, oldest first, each with the sentence that links it."""
    chain: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link: str | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, CONTEXT_MSG
        else:
            current = None
    # Oldest first; each link sentence is printed after its exception, before the newer one.
    chain.reverse()
    return chain


def format_error(exc: BaseException, *, compiling: bool = False) -> ErrorOutput:
    """The nbformat ``error`` output for an exception raised by a cell.

    ``compiling``: the cell itself did not compile; like IPython, show only where and why.
    """
    ename = type(exc).__name__
    evalue = str(exc)
    if compiling and isinstance(exc, SyntaxError):
        entries = _syntax_error_entries(exc)
    elif mode == "Minimal":
        entries = [_exception_line(exc)]  # IPython's Minimal: the exception alone, no chain
    else:
        entries = []
        for item, link in _chain(exc):
            entries += _plain_entries(item) if mode == "Plain" else _exception_entries(item, verbose=mode == "Verbose")
            if link:
                entries.append(f"\n{link}\n")
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": entries}


def _exception_entries(exc: BaseException, *, verbose: bool = False) -> list[str]:
    name = type(exc).__name__
    entries = [
        f"{RED}{RULE}{RESET}",
        f"{RED}{name}{RESET}{' ' * max(1, 42 - len(name))}Traceback (most recent call last)",
    ]
    entries += [_frame_entry(summary, live if verbose else None) for summary, live in _user_frames_live(exc.__traceback__)]
    # A SyntaxError raised at run time (exec, import) also shows the line it is about.
    entries += _syntax_error_entries(exc) if isinstance(exc, SyntaxError) else [_exception_line(exc)]
    return entries


def _plain_entries(exc: BaseException) -> list[str]:
    frames = user_frames(exc.__traceback__)
    # Each of IPython's entries ends in a newline and Jupyter joins them with one: a blank line
    # follows the heading and each frame.
    entries = ["Traceback (most recent call last):\n", *(_plain_entry(frame) for frame in frames)] if frames else []
    entries += _syntax_error_entries(exc) if isinstance(exc, SyntaxError) else [_exception_line(exc)]
    return entries


def _exception_line(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc)
    line = f"{RED}{name}{RESET}: {text}" if text else f"{RED}{name}{RESET}"
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list):
        line += "".join(f"\n{note}" for note in notes if isinstance(note, str))
    return line


def _syntax_error_entries(exc: SyntaxError) -> list[str]:
    """IPython's shape: location, the offending line with its caret, then the message."""
    filename = exc.filename or "<unknown>"
    out = [f"  {location(filename, exc.lineno)}"]
    text = exc.text
    if text is None and exc.lineno is not None:
        text = linecache.getline(filename, exc.lineno) or None
    if text is not None:
        stripped = text.rstrip("\n")
        indent = len(stripped) - len(stripped.lstrip())
        out.append(f"    {stripped.strip()}")
        if exc.offset is not None and exc.offset > 0:
            start = max(0, exc.offset - 1 - indent)
            end_offset = exc.end_offset if exc.end_lineno == exc.lineno and exc.end_offset else None
            width = max(1, (end_offset - exc.offset) if end_offset and end_offset > exc.offset else 1)
            out.append(f"    {' ' * start}{BOLD_RED}{'^' * width}{RESET_ALL}")
    out.append(f"{RED}{type(exc).__name__}{RESET}: {exc.msg}")
    return ["\n".join(out)]
