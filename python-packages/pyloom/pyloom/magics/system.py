"""``!command``: there is no shell in a browser, so the file commands notebooks use are emulated on
Pyodide's in-memory file system; any other command is one clear error line.

Emulated: ``ls [-l] [-a] [-1]``, ``cat``, ``head``/``tail [-n N]``, ``wc [-l|-w|-c]``, ``pwd``,
``echo``, ``mkdir [-p]``, ``rm [-r] [-f]``, ``cp [-r]``, ``mv``, ``cd`` (a note: use ``%cd``),
``pip`` (runs ``%pip``). ``!cmd`` prints; ``x = !cmd`` returns the lines as an :class:`SList`.
The exit status is in ``_exit_code``, as in IPython.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import sys
import time
from typing import Any

SUGGESTIONS = {
    "curl": "download with urllib.request.urlopen(url).read() or pyodide.http.pyfetch(url)",
    "wget": "download with urllib.request.urlretrieve(url, filename) or pyodide.http.pyfetch(url)",
    "git": "there is no git here; download files with urllib.request",
    "conda": "install packages with %pip install <name>",
    "apt": "install Python packages with %pip install <name>",
    "apt-get": "install Python packages with %pip install <name>",
    "python": "run a script with %run script.py",
    "python3": "run a script with %run script.py",
    "unzip": "use Python's zipfile module",
    "tar": "use Python's tarfile module",
    "nvidia-smi": "there is no GPU access from Python in the browser",
}
EMULATED = ("ls", "cat", "head", "tail", "wc", "pwd", "echo", "mkdir", "rm", "cp", "mv")


class SList(list):
    """IPython's list of output lines: ``.s`` (space-joined), ``.n`` (newline-joined), ``.l``,
    ``.p`` (as paths), ``.grep(pattern)``, ``.fields(*i)``."""

    @property
    def s(self) -> str:
        return " ".join(self)

    spstr = s

    @property
    def n(self) -> str:
        return "\n".join(self)

    nlstr = n

    @property
    def l(self) -> list[str]:  # noqa: E743 - IPython's name
        return list(self)

    @property
    def p(self) -> list[str]:
        return [os.path.expanduser(x) for x in self]

    def grep(self, pattern: str, prune: bool = False, field: int | None = None) -> SList:
        import re

        rx = re.compile(pattern)
        return SList(x for x in self if bool(rx.search(x if field is None else (x.split() + [""])[field])) != prune)

    def fields(self, *indices: int) -> SList:
        out = SList()
        for line in self:
            parts = line.split()
            out.append(" ".join(parts[i] for i in indices if -len(parts) <= i < len(parts)) if indices else line)
        return out


class CommandError(Exception):
    pass


def _expand(shell: Any, cmd: str) -> str:
    from .core import var_expand

    frame = sys._getframe(3)
    ns = dict(shell.user_ns)
    if frame.f_locals is not frame.f_globals:
        ns.update(frame.f_locals)
    return var_expand(cmd, ns)


def run_command(shell: Any, cmd: str) -> tuple[list[str], list[str], int]:
    """``(stdout lines, stderr lines, exit status)`` of one emulated command line."""
    try:
        words = shlex.split(cmd)
    except ValueError as exc:
        return [], [f"!{cmd}: {exc}"], 2
    if not words:
        return [], [], 0
    name, args = words[0], words[1:]
    if name == "pip":
        # Installing awaits downloads: only a `!pip`/`%pip` line of its own can be awaited.
        return [], ["!pip works on a line of its own in a cell (it becomes %pip there); write: %pip " + " ".join(args)], 1
    if name == "cd":
        return [], ["!cd runs in a throwaway shell in IPython too and changes nothing: use %cd <folder>"], 1
    handler = globals().get(f"_cmd_{name}")
    if handler is None:
        hint = SUGGESTIONS.get(name, "use Python instead")
        return (
            [],
            [
                f"!{name}: there is no shell in the browser ({hint}). Pyloom emulates !{', !'.join(EMULATED)} on its in-memory files, and !pip (= %pip)."
            ],
            127,
        )
    out: list[str] = []
    err: list[str] = []
    status = handler(args, out, err)
    return out, err, status


def system(shell: Any, cmd: str) -> None:
    out, err, status = run_command(shell, _expand(shell, cmd))
    if out:
        print("\n".join(out))
    if err:
        print("\n".join(err), file=sys.stderr)
    shell.user_ns["_exit_code"] = status


def getoutput(shell: Any, cmd: str, split: bool = True) -> Any:
    out, err, status = run_command(shell, _expand(shell, cmd))
    shell.user_ns["_exit_code"] = status
    lines = SList(out + err)
    return lines if split else "\n".join(lines)


# -- the commands: each fills out/err and returns an exit status ---------------------------
def _flags(args: list[str], allowed: str) -> tuple[set[str], list[str], str | None]:
    flags: set[str] = set()
    rest = []
    for arg in args:
        if arg.startswith("-") and len(arg) > 1 and not arg[1:].isdigit():
            for c in arg[1:]:
                if c not in allowed:
                    return flags, rest, c
                flags.add(c)
        else:
            rest.append(arg)
    return flags, rest, None


def _cmd_ls(args: list[str], out: list[str], err: list[str]) -> int:
    flags, paths, bad = _flags(args, "la1FhA")
    if bad:
        err.append(f"ls: invalid option -- '{bad}' (emulated: -l -a -1 -F -h)")
        return 2
    status = 0
    targets = paths or ["."]
    for path in targets:
        if not os.path.exists(path):
            err.append(f"ls: cannot access '{path}': No such file or directory")
            status = 2
            continue
        if os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if "a" in flags or "A" in flags or not n.startswith("."))
            if len(targets) > 1:
                out.append(f"{path}:")
            entries = [(n, os.path.join(path, n)) for n in names]
        else:
            entries = [(path, path)]
        for name, full in entries:
            suffix = "/" if "F" in flags and os.path.isdir(full) else ""
            if "l" in flags:
                st = os.stat(full)
                stamp = time.strftime("%b %d %H:%M", time.localtime(st.st_mtime))
                out.append(f"{stat.filemode(st.st_mode)} {st.st_size:>9} {stamp} {name}{suffix}")
            else:
                out.append(name + suffix)
    return status


def _read(path: str, err: list[str], cmd: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except IsADirectoryError:
        err.append(f"{cmd}: {path}: Is a directory")
    except OSError:
        err.append(f"{cmd}: {path}: No such file or directory")
    return None


def _cmd_cat(args: list[str], out: list[str], err: list[str]) -> int:
    status = 0
    for path in args:
        text = _read(path, err, "cat")
        if text is None:
            status = 1
        else:
            out.extend(text.splitlines())
    return status


def _count(args: list[str]) -> tuple[int, list[str]]:
    count, files, i = 10, [], 0
    while i < len(args):
        arg = args[i]
        if arg == "-n" and i + 1 < len(args):
            count, i = int(args[i + 1]), i + 2
            continue
        if arg.startswith("-n"):
            count = int(arg[2:])
        elif arg.startswith("-") and arg[1:].isdigit():
            count = int(arg[1:])
        else:
            files.append(arg)
        i += 1
    return count, files


def _head_tail(args: list[str], out: list[str], err: list[str], cmd: str) -> int:
    try:
        count, files = _count(args)
    except ValueError:
        err.append(f"{cmd}: invalid number of lines")
        return 1
    status = 0
    for path in files:
        text = _read(path, err, cmd)
        if text is None:
            status = 1
            continue
        if len(files) > 1:
            out.append(f"==> {path} <==")
        lines = text.splitlines()
        out.extend(lines[:count] if cmd == "head" else lines[-count:] if count else [])
    return status


def _cmd_head(args: list[str], out: list[str], err: list[str]) -> int:
    return _head_tail(args, out, err, "head")


def _cmd_tail(args: list[str], out: list[str], err: list[str]) -> int:
    return _head_tail(args, out, err, "tail")


def _cmd_wc(args: list[str], out: list[str], err: list[str]) -> int:
    flags, files, _ = _flags(args, "lwc")
    status = 0
    for path in files:
        text = _read(path, err, "wc")
        if text is None:
            status = 1
            continue
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode("utf-8"))}
        shown = [counts[k] for k in "lwc" if not flags or k in flags]
        out.append(" ".join(f"{n:>{7 if len(shown) > 1 else 1}}" for n in shown) + f" {path}")
    return status


def _cmd_pwd(args: list[str], out: list[str], err: list[str]) -> int:
    out.append(os.getcwd())
    return 0


def _cmd_echo(args: list[str], out: list[str], err: list[str]) -> int:
    newline = not (args[:1] == ["-n"])
    out.append(" ".join(args[0 if newline else 1 :]))
    return 0


def _cmd_mkdir(args: list[str], out: list[str], err: list[str]) -> int:
    flags, paths, _ = _flags(args, "pv")
    status = 0
    for path in paths:
        try:
            os.makedirs(path, exist_ok=True) if "p" in flags else os.mkdir(path)
        except FileExistsError:
            err.append(f"mkdir: cannot create directory '{path}': File exists")
            status = 1
        except OSError as exc:
            err.append(f"mkdir: cannot create directory '{path}': {exc.strerror}")
            status = 1
    return status


def _cmd_rm(args: list[str], out: list[str], err: list[str]) -> int:
    flags, paths, _ = _flags(args, "rRfv")
    status = 0
    for path in paths:
        if not os.path.lexists(path):
            if "f" not in flags:
                err.append(f"rm: cannot remove '{path}': No such file or directory")
                status = 1
        elif os.path.isdir(path) and not os.path.islink(path):
            if flags & {"r", "R"}:
                shutil.rmtree(path)
            else:
                err.append(f"rm: cannot remove '{path}': Is a directory")
                status = 1
        else:
            os.remove(path)
    return status


def _cmd_cp(args: list[str], out: list[str], err: list[str]) -> int:
    flags, paths, _ = _flags(args, "rRv")
    if len(paths) < 2:
        err.append("cp: missing destination file operand")
        return 1
    *sources, dest = paths
    status = 0
    for src in sources:
        target = os.path.join(dest, os.path.basename(src.rstrip("/"))) if os.path.isdir(dest) else dest
        if os.path.isdir(src):
            if not flags & {"r", "R"}:
                err.append(f"cp: -r not specified; omitting directory '{src}'")
                status = 1
                continue
            shutil.copytree(src, target, dirs_exist_ok=True)
        elif os.path.exists(src):
            shutil.copy2(src, target)
        else:
            err.append(f"cp: cannot stat '{src}': No such file or directory")
            status = 1
    return status


def _cmd_mv(args: list[str], out: list[str], err: list[str]) -> int:
    if len(args) < 2:
        err.append("mv: missing destination file operand")
        return 1
    *sources, dest = args
    status = 0
    for src in sources:
        if not os.path.lexists(src):
            err.append(f"mv: cannot stat '{src}': No such file or directory")
            status = 1
            continue
        shutil.move(src, dest)
    return status
