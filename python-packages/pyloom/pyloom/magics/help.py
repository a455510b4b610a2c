"""``obj?`` / ``obj??`` (``%pinfo`` / ``%pinfo2``): IPython's object help as plain text.

Fields in IPython's order and shape (``Signature:``, ``Docstring:``, ``Source:``, ``File:``,
``Type:``…), headers in red as IPython colours them; shown as a ``text/plain`` display, which
is what Jupyter's pager payload becomes in a notebook.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

RED = "\x1b[31m"
RESET = "\x1b[39m"
_OBJ = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]]*\])*$")


def find_object(shell: Any, name: str, local_ns: dict[str, Any] | None = None) -> tuple[bool, Any]:
    """``(found, object)`` for a dotted name (or subscript) in the user's namespace or builtins."""
    if not _OBJ.match(name):
        return False, None
    namespace = dict(shell.user_ns)
    if local_ns:
        namespace.update(local_ns)
    try:
        return True, eval(name, namespace)  # noqa: S307 - a name the user typed, in their namespace
    except Exception:
        return False, None


def _signature(obj: Any, name: str) -> str | None:
    try:
        return f"{name.split('.')[-1]}{inspect.signature(obj)}"
    except (TypeError, ValueError):
        return None


def _file(obj: Any) -> str | None:
    try:
        path = inspect.getfile(obj if inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj) else type(obj))
    except (TypeError, OSError):
        return None
    return path


def _source(obj: Any) -> str | None:
    try:
        return inspect.getsource(obj)
    except (TypeError, OSError):
        return None


def info_fields(obj: Any, name: str, detail: int = 0) -> list[tuple[str, str]]:
    """The ``(title, text)`` pairs IPython's inspector shows for ``obj`` at this detail level."""
    fields: list[tuple[str, str]] = []
    doc = inspect.getdoc(obj)
    source = _source(obj) if detail else None
    typename = type(obj).__name__
    if inspect.isclass(obj):
        init = _signature(obj, name)
        if init:
            fields.append(("Init signature", init))
        if source:
            fields.append(("Source", source.rstrip("\n")))
        else:
            fields.append(("Docstring", doc or "<no docstring>"))
            init_doc = inspect.getdoc(obj.__init__) if "__init__" in vars(obj) else None
            if init_doc and init_doc != doc:
                fields.append(("Init docstring", init_doc))
    elif callable(obj) and (inspect.isroutine(obj) or not callable(type(obj)) or inspect.isbuiltin(obj)):
        sig = _signature(obj, name)
        if sig:
            fields.append(("Signature", sig))
        if source:
            fields.append(("Source", source.rstrip("\n")))
        else:
            fields.append(("Docstring", doc or "<no docstring>"))
    else:
        fields.append(("Type", typename))
        text = _safe_str(obj)
        fields.append(("String form", text))
        try:
            fields.append(("Length", str(len(obj))))  # pyright: ignore[reportArgumentType]
        except Exception:
            pass
        path = _file(obj)
        if path:
            fields.append(("File", path))
        fields.append(("Docstring", doc or "<no docstring>"))
        return fields
    path = _file(obj)
    if path:
        fields.append(("File", path))
    fields.append(("Type", typename))
    if inspect.isclass(obj):
        subclasses = ", ".join(c.__name__ for c in type.__subclasses__(obj)[:10]) if isinstance(obj, type) and obj is not type else ""
        fields.append(("Subclasses", subclasses))
    return fields


def _safe_str(obj: Any) -> str:
    try:
        text = str(obj)
    except Exception as exc:
        return f"<str() raised {type(exc).__name__}>"
    return text if len(text) < 200 else text[:100] + " <...> " + text[-100:]


def format_fields(fields: list[tuple[str, str]]) -> str:
    width = max(len(title) for title, _ in fields) + 2
    lines = []
    for title, text in fields:
        head = f"{RED}{title}:{RESET}"
        if "\n" in text:
            lines.append(f"{head}\n{text}")
        else:
            lines.append(head + " " * (width - len(title) - 1) + text)
    return "\n".join(lines)


def pinfo(shell: Any, name: str, detail: int = 0, local_ns: dict[str, Any] | None = None) -> None:
    """Show help for ``name``; ``Object `name` not found.`` when it does not exist."""
    from ..display import publish_display_data

    name = name.strip()
    if name.startswith("%"):
        magic = name.lstrip("%")
        kind = "cell" if name.startswith("%%") else "line"
        func = shell.find_magic(magic, kind)
        if func is None:
            print(f"Object `{name}` not found.")
            return
        text = format_fields([("Docstring", inspect.getdoc(func) or "<no docstring>"), ("File", _file(func) or "")])
        publish_display_data({"text/plain": text})
        return
    found, obj = find_object(shell, name, local_ns)
    if not found:
        print(f"Object `{name}` not found.")
        return
    publish_display_data({"text/plain": format_fields(info_fields(obj, name, detail))})
