"""``IPython.core.formatters`` for Pyloom."""

from pyloom.formatters_ext import BaseFormatter, DisplayFormatter  # noqa: F401
