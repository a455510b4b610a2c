"""The magics machinery: IPython's ``IPython.core.magic`` API and the registry behind ``%name``.

``Magics``/``magics_class``/``line_magic``/``cell_magic``/``line_cell_magic`` and the
``register_*_magic`` decorators behave as in IPython; the stand-in ``IPython.core.magic`` module
re-exports them. Option parsing follows IPython's ``-n 10 -r2 -qo`` getopt style.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class UsageError(Exception):
    """A magic was called wrongly; shown as one ``UsageError: …`` line, without a traceback."""


MAGIC_KINDS = ("line", "cell", "line_cell")
# Filled by the decorators while a Magics class body runs; claimed by @magics_class.
_pending: dict[str, dict[str, str]] = {"line": {}, "cell": {}}


def _marker(kind: str) -> Callable[..., Any]:
    def decorator(arg: Any = None) -> Any:
        def mark(func: Callable[..., Any], name: str | None = None) -> Callable[..., Any]:
            magic_name = name or func.__name__
            for k in ("line", "cell") if kind == "line_cell" else (kind,):
                _pending[k][magic_name] = func.__name__
            return func

        if callable(arg):
            return mark(arg)
        return lambda func: mark(func, arg)

    return decorator


line_magic = _marker("line")
cell_magic = _marker("cell")
line_cell_magic = _marker("line_cell")


def magics_class(cls: type) -> type:
    """Class decorator: records which methods are line/cell magics (as IPython's does)."""
    cls.magics = {"line": dict(_pending["line"]), "cell": dict(_pending["cell"])}  # type: ignore[attr-defined]
    _pending["line"].clear()
    _pending["cell"].clear()
    return cls


def needs_local_scope(func: Callable[..., Any]) -> Callable[..., Any]:
    func.needs_local_scope = True  # type: ignore[attr-defined]
    return func


def no_var_expand(func: Callable[..., Any]) -> Callable[..., Any]:
    """The line is passed as typed: ``$x`` and ``{x}`` are not expanded (as for ``%time``)."""
    func._ipython_magic_no_var_expand = True  # type: ignore[attr-defined]
    return func


class Magics:
    """Base class of a group of magics; subclasses are decorated with ``@magics_class``."""

    magics: dict[str, dict[str, str]] = {"line": {}, "cell": {}}
    registered = False

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        self.shell = shell
        self.options_table: dict[str, str] = {}

    def parse_options(self, arg_str: str, opt_str: str, *long_opts: str, **kwargs: Any) -> tuple[Struct, str]:
        return parse_options(arg_str, opt_str, *long_opts, **kwargs)

    def arg_err(self, func: Callable[..., Any]) -> None:
        print("Error in arguments:")
        print(func.__doc__ or "")


class Struct(dict):
    """Options as IPython returns them: a dict whose keys read as attributes too."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def parse_options(
    arg_str: str, opt_str: str, *long_opts: str, mode: str = "string", list_all: bool = False, **_ignored: Any
) -> tuple[Struct, Any]:
    """Leading ``-x``/``-xVALUE``/``-x VALUE``/``--long[=VALUE]`` options of ``arg_str``.

    ``opt_str`` is getopt's spec (``"n:r:qo"``: ``n`` and ``r`` take a value). Parsing stops at
    the first word that is not an option (or at ``--``); the rest is returned exactly as typed,
    so a statement's own quotes and spacing survive. ``mode="list"`` splits the rest with shlex.
    Raises UsageError for an unknown option or a missing value.
    """
    takes = {c: opt_str[i + 1 : i + 2] == ":" for i, c in enumerate(opt_str) if c != ":"}
    longs = {o.rstrip("="): o.endswith("=") for o in long_opts}
    opts = Struct()
    rest = arg_str.lstrip()

    def put(key: str, value: Any) -> None:
        if list_all:
            opts.setdefault(key, []).append(value)
        elif key in opts and isinstance(opts[key], list):
            opts[key].append(value)
        else:
            opts[key] = value

    while rest.startswith("-") and rest != "-" and not rest[1:2].isspace():
        word, _, after = _split_word(rest)
        if word == "--":
            rest = after
            break
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            if name not in longs:
                raise UsageError(f"option --{name} not recognized ( allowed: {' '.join('--' + o for o in longs) or 'none'})")
            if longs[name] and not eq:
                value, _, after = _split_word(after)
            put(name, value if longs[name] else "")
            rest = after
            continue
        flags = word[1:]
        j = 0
        while j < len(flags):
            c = flags[j]
            if c not in takes:
                if c.isdigit() or c == ".":  # `-1` is a value, not an option: stop here
                    return opts, rest
                raise UsageError(f'option -{c} not recognized ( allowed: "{opt_str}")')
            if takes[c]:
                value = flags[j + 1 :]
                if not value:
                    value, _, after = _split_word(after)
                    if not value:
                        raise UsageError(f'option -{c} requires argument ( allowed: "{opt_str}")')
                put(c, value)
                break
            put(c, "")
            j += 1
        rest = after
    if mode == "list":
        import shlex

        return opts, shlex.split(rest)
    return opts, rest


def _split_word(text: str) -> tuple[str, str, str]:
    text = text.lstrip()
    match = re.match(r"(\S+)\s*", text)
    if match is None:
        return "", "", ""
    return match.group(1), " ", text[match.end() :]


# `$name`, `$name.attr`, `{expression}`; `$$` and `{{ }}` stand for themselves, as in IPython.
_EXPAND = re.compile(r"\$\$|\{\{|\}\}|\$([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)|\{([^{}\n]+)\}")


def var_expand(text: str, namespace: dict[str, Any]) -> str:
    """Python values put into a magic's line or a shell command, as IPython's ``var_expand``.

    An expression that fails to evaluate is left as typed (``$HOME`` stays ``$HOME`` unless a
    Python variable ``HOME`` exists).
    """
    if "$" not in text and "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole in ("$$", "{{", "}}"):
            return whole[0]
        expression = match.group(1) or match.group(2)
        try:
            return str(eval(expression, namespace))  # noqa: S307 - the user's own namespace
        except Exception:
            return whole

    return _EXPAND.sub(replace, text)


class MagicsManager:
    """All magics by kind and name: ``magics["line"]["time"]`` is the function ``%time`` calls."""

    def __init__(self, shell: Any, lazy: dict[str, dict[str, Callable[[], Any]]] | None = None) -> None:
        self.shell = shell
        self.magics: dict[str, dict[str, Callable[..., Any]]] = {"line": {}, "cell": {}}
        self.registry: dict[str, Magics] = {}
        self.auto_magic = False
        # kind → name → a function that imports the Magics class defining it (built-ins load on use).
        self.lazy: dict[str, dict[str, Callable[[], Any]]] = lazy or {"line": {}, "cell": {}}

    def find(self, kind: str, name: str) -> Callable[..., Any] | None:
        """The function ``%name`` (``kind="line"``) or ``%%name`` calls, loading it if needed."""
        func = self.magics[kind].get(name)
        if func is None and name in self.lazy[kind]:
            self.register(self.lazy[kind][name](), keep_existing=True)
            func = self.magics[kind].get(name)
        return func

    def load_all(self) -> None:
        for kind in ("line", "cell"):
            for name in list(self.lazy[kind]):
                self.find(kind, name)

    def register(self, *magic_objects: Any, keep_existing: bool = False) -> None:
        """Register Magics subclasses or instances (classes are instantiated with the shell).
        ``keep_existing``: names already registered (by the user) are not replaced."""
        for obj in magic_objects:
            instance = obj(shell=self.shell) if isinstance(obj, type) else obj
            if not isinstance(instance, Magics):
                raise ValueError(f"{obj!r} is not a Magics class or instance")
            self.registry[type(instance).__name__] = instance
            for kind in ("line", "cell"):
                for name, method in type(instance).magics.get(kind, {}).items():
                    self.lazy[kind].pop(name, None)
                    if not (keep_existing and name in self.magics[kind]):
                        self.magics[kind][name] = getattr(instance, method)

    def register_function(self, func: Callable[..., Any], magic_kind: str = "line", magic_name: str | None = None) -> None:
        """``func(line)`` as a line magic, ``func(line, cell)`` as a cell magic, or both."""
        if magic_kind not in MAGIC_KINDS:
            raise ValueError(f"magic_kind must be one of {MAGIC_KINDS}, got {magic_kind!r}")
        name = magic_name or func.__name__
        kinds = ("line", "cell") if magic_kind == "line_cell" else (magic_kind,)
        for kind in kinds:
            self.magics[kind][name] = func
            self.lazy[kind].pop(name, None)

    def register_alias(self, alias_name: str, magic_name: str, magic_kind: str = "line", magic_params: str | None = None) -> None:
        target = self.find(magic_kind, magic_name)
        if target is None:
            raise ValueError(f"no {magic_kind} magic named {magic_name!r} to alias")
        if magic_params:
            self.magics[magic_kind][alias_name] = lambda line="", *rest: target(f"{magic_params} {line}".strip(), *rest)
        else:
            self.magics[magic_kind][alias_name] = target

    def lsmagic(self) -> dict[str, dict[str, Callable[..., Any]]]:
        self.load_all()
        return self.magics

    def lsmagic_info(self) -> dict[str, list[str]]:
        return {kind: sorted(set(table) | set(self.lazy[kind])) for kind, table in self.magics.items()}


def _decorator(kind: str) -> Callable[..., Any]:
    def register(arg: Any) -> Any:
        def add(func: Callable[..., Any], name: str | None = None) -> Callable[..., Any]:
            from ..ipython_shell import shell_instance

            shell = shell_instance()
            if shell is None:
                raise NameError("register_*_magic needs a running Pyloom shell (get_ipython() is None)")
            shell.register_magic_function(func, kind, name or func.__name__)
            return func

        if callable(arg):
            return add(arg)
        return lambda func: add(func, arg)

    register.__name__ = f"register_{kind}_magic"
    return register


register_line_magic = _decorator("line")
register_cell_magic = _decorator("cell")
register_line_cell_magic = _decorator("line_cell")


def is_usage_error(exc: BaseException) -> bool:
    return isinstance(exc, UsageError) or type(exc).__name__ == "UsageError" and "IPython" in type(exc).__module__
