"""``IPython.core.error`` for Pyloom."""

from pyloom.magics.core import UsageError  # noqa: F401
