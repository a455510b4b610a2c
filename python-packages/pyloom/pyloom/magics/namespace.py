"""``%who``, ``%whos``, ``%who_ls``, ``%reset``, ``%env``, ``%precision``, ``%xmode``, ``%config``.

"User variables" are what IPython counts: names the cells created, not starting with ``_``,
not the shell's own (``In``, ``Out``, ``get_ipython``…).
"""

from __future__ import annotations

import os
import re
from typing import Any

from .core import Magics, UsageError, line_magic, magics_class

_HIDDEN = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def user_variables(shell: Any, types: list[str] | None = None) -> list[str]:
    ns = shell.user_ns
    hidden = shell.user_ns_hidden
    names = []
    for name, value in ns.items():
        if name.startswith("_") or name in _HIDDEN or (name in hidden and hidden[name] is value):
            continue
        if types and type(value).__name__ not in types:
            continue
        names.append(name)
    return sorted(names)


def _short(value: Any, width: int = 50) -> str:
    try:
        text = str(value)
    except Exception as exc:  # a broken __str__ must not break %whos
        text = f"<str() raised {type(exc).__name__}>"
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width // 2 - 3] + "<...>" + text[-(width // 2 - 2) :]


@magics_class
class NamespaceMagics(Magics):
    @line_magic
    def who_ls(self, line: str = "") -> list[str]:
        """Sorted list of the user's variable names (``%who_ls int`` keeps only ints)."""
        return user_variables(self.shell, line.split() or None)

    @line_magic
    def who(self, line: str = "") -> None:
        """Print the user's variable names (``%who function`` filters by type name)."""
        names = user_variables(self.shell, line.split() or None)
        if not names:
            print("No variables match your requested type." if line.strip() else "Interactive namespace is empty.")
            return
        rows = []
        for start in range(0, len(names), 9):
            rows.append("\t ".join(names[start : start + 9]) + "\t ")
        print("\n".join(rows))

    @line_magic
    def whos(self, line: str = "") -> None:
        """Table of the user's variables: name, type, and a short description of the value."""
        names = user_variables(self.shell, line.split() or None)
        if not names:
            print("No variables match your requested type." if line.strip() else "Interactive namespace is empty.")
            return
        ns = self.shell.user_ns
        types = [type(ns[n]).__name__ for n in names]
        vw = max(len("Variable"), *(len(n) for n in names)) + 3
        tw = max(len("Type"), *(len(t) for t in types)) + 4
        print(f"{'Variable':<{vw}}{'Type':<{tw}}Data/Info")
        print("-" * (vw + tw + 10))
        for name, typename in zip(names, types, strict=False):
            value = ns[name]
            info = _short(value)
            shape = getattr(value, "shape", None)
            if typename == "ndarray" and shape is not None:
                info = f"{'x'.join(str(s) for s in shape)}: {getattr(value, 'size', '?')} elems, type `{value.dtype}`, {value.nbytes} bytes"
            elif typename in ("list", "tuple", "dict", "set") and len(value) > 5:
                info = f"n={len(value)}"
            print(f"{name:<{vw}}{typename:<{tw}}{info}")

    @line_magic
    def reset(self, line: str = "") -> None:
        """``%reset [-f]``: delete the user's variables (asks first unless ``-f``)."""
        opts, _ = self.parse_options(line, "fs", "in", "out", "dhist", "aggressive")
        if "f" not in opts:
            answer = input("Once deleted, variables cannot be recovered. Proceed (y/[n])? ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing done.")
                return
        ns = self.shell.user_ns
        for name in list(ns):
            hidden = self.shell.user_ns_hidden
            if name in hidden and hidden[name] is ns[name]:
                continue
            if name.startswith("__") and name.endswith("__"):
                continue
            del ns[name]
        ns.setdefault("In", [""])
        ns.setdefault("Out", {})
        ns["Out"].clear()

    @line_magic
    def env(self, line: str = "") -> Any:
        """``%env`` (all, as a dict), ``%env NAME`` (one value), ``%env NAME=value`` or
        ``%env NAME value`` (set; prints ``env: NAME=value``)."""
        line = line.strip()
        if not line:
            return dict(os.environ)
        match = re.match(r"([^\s=]+)\s*(?:=\s*|\s+)(.*)$", line)
        if match is None:
            try:
                return os.environ[line]
            except KeyError:
                raise UsageError(f"Environment does not have key: {line}") from None
        name, value = match.group(1), match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ[name] = value
        print(f"env: {name}={value}")
        return None

    @line_magic
    def set_env(self, line: str) -> None:
        self.env(line)

    @line_magic
    def precision(self, line: str = "") -> str:
        """``%precision 3`` shows floats with 3 decimals (``%.3f``), ``%precision %e`` with that
        format; no argument restores ``repr``. Returns the format in use."""
        shell = self.shell
        fmt = line.strip()
        plain = shell.display_formatter.formatters["text/plain"]
        if not fmt:
            plain.pop(float, None)
            shell.float_precision = ""
            _numpy_precision(8)
            return "%r"
        if "%" in fmt:
            try:
                fmt % 3.14159
            except Exception as exc:
                raise UsageError(f"Precision must be int or format string, not {fmt!r}: {exc}") from None
        else:
            try:
                digits = int(fmt)
            except ValueError:
                raise UsageError(f"Precision must be int or format string, not {fmt!r}") from None
            fmt = f"%.{digits}f"
            _numpy_precision(digits)
        plain.for_type(float, lambda obj, p, cycle: p.text(fmt % obj))
        shell.float_precision = fmt
        return fmt

    @line_magic
    def xmode(self, line: str = "") -> None:
        """``%xmode Plain|Context|Verbose|Minimal|Docs``: the layout of later errors' tracebacks
        (``%xmode`` alone cycles through the first four, as IPython does)."""
        from .. import tracebacks

        modes = tracebacks.MODES
        mode = line.strip().capitalize()
        if not mode:
            index = (modes.index(self.shell.xmode) + 1) % 4 if self.shell.xmode in modes else 1
            mode = modes[index]
        if mode not in modes:
            raise UsageError(f"Valid modes: {', '.join(modes)}")
        self.shell.xmode = mode
        print(f"Exception reporting mode: {mode}")

    @line_magic
    def config(self, line: str = "") -> None:
        """``%config InlineBackend.figure_format = 'retina'``; ``%config`` lists what can be set."""
        config = self.shell.config
        line = line.strip()
        if not line:
            print("Available objects for config:\n    InlineBackend\n    ZMQInteractiveShell")
            return
        match = re.match(r"([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*(?:=\s*(.+))?$", line)
        if match is None:
            raise UsageError(f"%config expects Section.option = value, got {line!r}")
        section, option, value = match.groups()
        if option is None:
            print(f"{section} options\n{'-' * (len(section) + 8)}")
            for key, val in getattr(config, section).items():
                print(f"{section}.{key}=<{type(val).__name__}>\n    Current: {val!r}")
            return
        if value is None:
            print(repr(getattr(config, section).get(option)))
            return
        try:
            parsed = eval(value, dict(self.shell.user_ns))
        except Exception as exc:
            raise UsageError(f"%config could not evaluate {value!r}: {type(exc).__name__}: {exc}") from None
        if section == "InlineBackend" and option == "figure_format":
            from .. import mpl_backend

            mpl_backend.set_figure_formats(parsed)
        getattr(config, section)[option] = parsed


def _numpy_precision(digits: int) -> None:
    import sys

    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.set_printoptions(precision=digits)
