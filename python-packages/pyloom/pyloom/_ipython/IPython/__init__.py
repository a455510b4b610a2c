"""Pyloom's stand-in for IPython: what notebook code and libraries import from it.

It sits at the end of sys.path and is imported when the shell starts (tqdm and matplotlib look
for ``sys.modules["IPython"]``). ``get_ipython()`` returns Pyloom's notebook shell.
"""

from pyloom.display import display  # noqa: F401

version_info = (8, 0, 0, "pyloom")
__version__ = "8.0.0+pyloom"


def get_ipython():
    """Pyloom's notebook shell (see ``pyloom.ipython_shell``); None before the shell starts."""
    from pyloom.ipython_shell import shell_instance

    return shell_instance()
