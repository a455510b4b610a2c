"""``IPython.core.getipython`` for Pyloom."""

from IPython import get_ipython  # noqa: F401  # pyright: ignore[reportPrivateImportUsage]
