"""``IPython.terminal.interactiveshell`` for Pyloom: a class that the notebook shell is *not*
(sympy and plotly test ``isinstance(ip, TerminalInteractiveShell)`` to pick their terminal output)."""

from pyloom.ipython_shell import InteractiveShell


class TerminalInteractiveShell(InteractiveShell):
    pass
