"""``%load`` (and its old name ``%loadpy``): put code from a file, URL, history or variable into the cell.

As in IPython, the code is not run: the shell asks the page (``set_next_input`` with
``replace=True``) to replace the running cell's text with ``# %load <args>`` and the code.
"""

from __future__ import annotations

import ast
import io
import os
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator

from .core import Magics, UsageError, line_magic, magics_class

# IPython's %history range: N, N-M (M included), N:M (M excluded); sessions (~1/) are not kept here.
_HISTORY_RANGE = re.compile(r"^(?P<start>\d+)?(?:(?P<sep>[-:])(?P<end>\d+)?)?$")
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
_BIG = 200_000  # characters: IPython asks before loading more (here: -y is needed)


def extract_code_ranges(ranges: str) -> Iterator[tuple[int | None, int | None]]:
    """``-r`` ranges as slices of the code's lines: ``5-10`` (lines 5 to 10), ``5:10`` (5 to 9),
    ``7`` (line 7), ``10-`` / ``-5`` (open ends). Words that are not ranges are skipped."""
    for word in ranges.replace(",", " ").split():
        match = _HISTORY_RANGE.match(word)
        if not match or word in ("-", ":"):
            continue
        start, sep, end = match.group("start"), match.group("sep"), match.group("end")
        if sep is None:
            assert start is not None
            yield int(start) - 1, int(start)
        else:
            first = int(start) - 1 if start else None
            last = (int(end) if sep == "-" else int(end) - 1) if end else None
            yield first, last


def strip_initial_indent(lines: Iterable[str]) -> Iterator[str]:
    """Dedent by the first line's indent until a line with less indent (IPython's ``-r`` rule)."""
    it = iter(lines)
    first = next(it, None)
    if first is None:
        return
    indent = first[: len(first) - len(first.lstrip())]
    yield first[len(indent) :]
    if indent:
        for line in it:
            if line.startswith(indent):
                yield line[len(indent) :]
            else:
                yield line
                break
    yield from it


def extract_symbols(code: str, symbols: str) -> tuple[list[str], list[str]]:
    """The source of each top-level function or class named in ``symbols`` (comma-separated),
    decorators included, in the order asked; and the names not found. SyntaxError if ``code``
    is not Python."""
    tree = ast.parse(code)
    lines = code.split("\n")
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    starts = [
        (node.decorator_list[0].lineno if isinstance(node, definitions) and node.decorator_list else node.lineno, node)
        for node in tree.body
    ]
    blocks: dict[str, str] = {}
    for index, (start, node) in enumerate(starts):
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
        while end > start and not lines[end - 1].strip():
            end -= 1
        if isinstance(node, definitions):
            blocks.setdefault(node.name, "\n".join(lines[start - 1 : end]) + "\n")
    wanted = [name.strip() for name in symbols.split(",") if name.strip()]
    return [blocks[name] for name in wanted if name in blocks], [name for name in wanted if name not in blocks]


def _decode(data: bytes) -> str:
    """Python source bytes as text: its coding cookie (or UTF-8) decides, and the cookie line
    goes, as IPython's openpy does for %load."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        text = data.decode("latin-1")  # IPython's fallback for a file that is not text in UTF-8
    lines = text.splitlines(keepends=True)
    for i in range(min(2, len(lines))):
        if _COOKIE.match(lines[i]):
            del lines[i]
            break
    return "".join(lines)


@magics_class
class CodeMagics(Magics):
    def _history(self, target: str) -> str:
        """Cells of this session named by %history ranges (``%load 3``, ``%load 2-4``); ``""`` when
        ``target`` is not ranges. No target: every cell before this one."""
        inputs: list[str] = self.shell.user_ns.get("In", [""])
        current = len(inputs) - 1  # the running cell itself is the last entry
        words = target.split()
        if not all(_HISTORY_RANGE.match(word) and word not in ("-", ":") for word in words):
            return ""
        if not words:
            return "\n".join(inputs[1:current])
        chosen: list[str] = []
        for start, end in extract_code_ranges(target):
            # The slices count lines from 0; cell N is In[N].
            chosen += inputs[(start + 1 if start is not None else 1) : (end + 1 if end is not None else current)]
        return "\n".join(chosen)

    def find_user_code(self, target: str, search_ns: bool = False) -> str:
        """The code ``target`` names, tried in IPython's order: history ranges, an http(s) URL
        (through Pyloom's HTTP layer: the host must allow CORS), a file (``name`` or
        ``name.py``), with ``search_ns`` an object's source, a string variable.
        Raises ValueError when nothing matches, TypeError for a variable that is not a string."""
        code = self._history(target)
        if code:
            return code
        if target.startswith(("http://", "https://")):
            import urllib.request

            with urllib.request.urlopen(target) as response:
                return _decode(response.read())
        for path in (target, target + ".py"):
            path = os.path.expanduser(path)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return _decode(f.read())
            if os.path.isdir(path):
                raise ValueError(f"'{target}' is a directory, not a regular file.")
        namespace = self.shell.user_ns
        if search_ns:
            import inspect

            try:
                return inspect.getsource(eval(target, namespace))
            except Exception:
                pass  # not an object with source: try it as a string variable below
        try:
            value = eval(target, namespace)
        except Exception as exc:
            raise ValueError(f"'{target}' was not found in history, as a file, url, nor in the user namespace.") from exc
        if isinstance(value, str):
            return value
        raise TypeError(f"{target} is neither a string nor a macro.", value)

    @line_magic
    def load(self, arg_s: str = "") -> None:
        """``%load [-r lines] [-s symbols] [-y] [-n] source``: replace this cell's text with the
        code of ``source`` (a file, an http(s) URL, history ranges like ``3-5``, a string
        variable; ``-n`` an object's source), under a ``# %load …`` first line.

        ``-r 5-10 12 20:`` keeps those lines (``x-y`` inclusive, ``x:y`` without ``y``);
        ``-s f,MyClass`` keeps those top-level functions/classes; ``-y`` is needed above
        200,000 characters. The code is not run: run the cell again to run it.
        """
        opts, args = self.parse_options(arg_s, "yns:r:")
        contents = self.find_user_code(args.strip(), search_ns="n" in opts)
        if "s" in opts:
            try:
                blocks, not_found = extract_symbols(contents, opts["s"])
            except SyntaxError:
                print("Unable to parse the input as valid Python code", file=sys.stderr)
                return
            quoted = [f"`{name}`" for name in not_found]
            if len(quoted) == 1:
                print(f"UserWarning: The symbol {quoted[0]} was not found", file=sys.stderr)
            elif quoted:
                print(f"UserWarning: The symbols {', '.join(quoted[:-1])} and {quoted[-1]} were not found", file=sys.stderr)
            contents = "\n".join(blocks)
        if "r" in opts:
            lines = contents.split("\n")
            picked = [line for start, end in extract_code_ranges(opts["r"]) for line in lines[slice(start, end)]]
            contents = "\n".join(strip_initial_indent(picked))
        if len(contents) > _BIG and "y" not in opts:
            raise UsageError(f"The text to load is {len(contents):,} characters long; add -y to load it anyway: %load -y {arg_s.strip()}")
        self.shell.set_next_input(f"# %load {arg_s}\n{contents}", replace=True)

    @line_magic
    def loadpy(self, arg_s: str = "") -> None:
        """The old name of ``%load``."""
        self.load(arg_s)
