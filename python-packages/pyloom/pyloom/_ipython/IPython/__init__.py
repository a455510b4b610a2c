"""Pyloom's stand-in for IPython: just enough for code written for Jupyter to display.

It sits at the end of sys.path, so a real IPython installed with micropip takes precedence.
"""

from pyloom.display import display  # noqa: F401

version_info = (8, 0, 0, "pyloom")
__version__ = "8.0.0+pyloom"


def get_ipython():
    """None: this is not an IPython kernel (libraries check this to pick plain behaviour)."""
    return None
