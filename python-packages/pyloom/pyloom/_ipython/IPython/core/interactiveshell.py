"""``IPython.core.interactiveshell`` for Pyloom: the shell classes libraries check against."""

from pyloom.ipython_shell import ExecutionInfo, ExecutionResult, InteractiveShell  # noqa: F401
