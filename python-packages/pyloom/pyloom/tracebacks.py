"""Errors formatted like IPython: ename, evalue and a traceback of the user's frames.

Frames are shown from the first cell frame on, so Pyloom's own machinery (the shell, the
event loop) never appears; library frames called by the user's code stay, as in Jupyter.
Each traceback entry is one string (ANSI-coloured), the shape Jupyter front ends render.
"""

from __future__ import annotations

import linecache
import os
import re
import traceback
from types import TracebackType
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


def _frame_entry(frame: traceback.FrameSummary) -> str:
    lineno = frame.lineno or 0
    header = location(frame.filename, lineno, frame.name)
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
        else:
            lines.append(f"{GREEN}{n:>9}{RESET} {text}")
    return "\n".join(lines) + "\n"


# The magics machinery between a cell and the code a magic runs is Pyloom's, not the user's.
_PACKAGE = os.path.dirname(__file__)
_MACHINERY = (os.path.join(_PACKAGE, "magics") + os.sep, os.path.join(_PACKAGE, "ipython_shell.py"))


def user_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if cell_number(frame.filename) is not None:
            return [f for f in frames[i:] if not f.filename.startswith(_MACHINERY)]
    return list(frames)


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
    else:
        entries = []
        for item, link in _chain(exc):
            entries += _exception_entries(item)
            if link:
                entries.append(f"\n{link}\n")
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": entries}


def _exception_entries(exc: BaseException) -> list[str]:
    name = type(exc).__name__
    entries = [
        f"{RED}{RULE}{RESET}",
        f"{RED}{name}{RESET}{' ' * max(1, 42 - len(name))}Traceback (most recent call last)",
    ]
    entries += [_frame_entry(frame) for frame in user_frames(exc.__traceback__)]
    # A SyntaxError raised at run time (exec, import) also shows the line it is about.
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
