"""``IPython.core.interactiveshell`` for Pyloom: the shell classes libraries check against."""

from pyloom.ipython_shell import InteractiveShell  # noqa: F401
from pyloom.shell_events import ExecutionInfo, ExecutionResult  # noqa: F401
