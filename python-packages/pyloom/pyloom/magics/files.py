"""``%cd``, ``%pwd``, ``%ls`` (and IPython's other file aliases), ``%%writefile [-a]``.

They act on Pyodide's in-memory file system and its working directory.
"""

from __future__ import annotations

import os
import shlex
from typing import Any

from .core import Magics, UsageError, cell_magic, line_magic, magics_class


@magics_class
class FileMagics(Magics):
    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._previous: str | None = None
        self.dir_history: list[str] = [os.getcwd()]

    @line_magic
    def pwd(self, line: str = "") -> str:
        """The working directory (the value of the statement, as in IPython)."""
        return os.getcwd()

    @line_magic
    def cd(self, line: str = "") -> None:
        """``%cd folder`` (``%cd`` alone: home; ``%cd -``: the previous folder); prints where it is."""
        target = line.strip()
        if len(target) >= 2 and target[0] == target[-1] and target[0] in "'\"":
            target = target[1:-1]
        if target == "-":
            if self._previous is None:
                raise UsageError("%cd -: there is no previous directory yet")
            target = self._previous
        target = os.path.expanduser(target or "~")
        here = os.getcwd()
        try:
            os.chdir(target)
        except FileNotFoundError:
            raise UsageError(f"[Errno 2] No such file or directory: {target!r}") from None
        except NotADirectoryError:
            raise UsageError(f"[Errno 20] Not a directory: {target!r}") from None
        self._previous = here
        self.dir_history.append(os.getcwd())
        print(os.getcwd())

    @line_magic
    def ls(self, line: str = "") -> None:
        """``%ls [-l] [-a] [paths]``: the same as ``!ls``."""
        self.shell.system("ls " + line)

    @line_magic
    def ll(self, line: str = "") -> None:
        self.shell.system("ls -l " + line)

    @line_magic
    def cat(self, line: str = "") -> None:
        self.shell.system("cat " + line)

    @line_magic
    def cp(self, line: str = "") -> None:
        self.shell.system("cp " + line)

    @line_magic
    def mv(self, line: str = "") -> None:
        self.shell.system("mv " + line)

    @line_magic
    def rm(self, line: str = "") -> None:
        self.shell.system("rm " + line)

    @line_magic
    def mkdir(self, line: str = "") -> None:
        self.shell.system("mkdir " + line)

    @line_magic
    def dhist(self, line: str = "") -> None:
        print("Directory history (kept in _dh)")
        for i, path in enumerate(self.dir_history):
            print(f"{i}: {path}")

    @line_magic
    def sx(self, line: str = "") -> object:
        """``%sx cmd`` = ``!!cmd``: the emulated command's output lines."""
        return self.shell.getoutput(line)

    @line_magic
    def system(self, line: str = "") -> object:
        return self.shell.getoutput(line)

    @cell_magic
    def bash(self, line: str, cell: str) -> None:
        """``%%bash`` (also ``%%sh``): each line through the emulated shell of ``!cmd``; there
        are no pipes, variables or control flow (no real shell in the browser)."""
        for command in cell.splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                self.shell.system(command.strip())

    @cell_magic
    def sh(self, line: str, cell: str) -> None:
        self.bash(line, cell)

    @cell_magic
    def writefile(self, line: str, cell: str) -> None:
        """``%%writefile [-a] path``: write (or with ``-a`` append) the cell's text to ``path``;
        prints ``Writing``/``Overwriting``/``Appending to`` as IPython does."""
        opts, words = self.parse_options(line, "a", "append", mode="list")
        if not words:
            raise UsageError("%%writefile needs a file name: %%writefile [-a] path")
        path = os.path.expanduser(words[0])
        append = "a" in opts or "append" in opts
        exists = os.path.exists(path)
        if append and exists:
            print(f"Appending to {words[0]}")
        elif exists:
            print(f"Overwriting {words[0]}")
        else:
            print(f"Writing {words[0]}")
        folder = os.path.dirname(path)
        if folder and not os.path.isdir(folder):
            raise UsageError(f"%%writefile: the folder {folder!r} does not exist (create it with !mkdir -p {shlex.quote(folder)})")
        with open(path, "a" if append else "w", encoding="utf-8") as f:
            f.write(cell if cell.endswith("\n") else cell + "\n")
        import importlib

        importlib.invalidate_caches()  # so `import` finds a module written a moment ago
