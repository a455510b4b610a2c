"""``IPython.core.display_functions``: where IPython 8 defines display(); same objects here."""

from IPython.display import *  # noqa: F401,F403
from IPython.display import __all__  # noqa: F401  # pyright: ignore[reportAttributeAccessIssue]
