"""pyloom: the Python half of Pyloom — runs cells like Jupyter and emits nbformat outputs.

The worker installs one JS callback with :func:`start`; everything Python shows the page goes
through it as a JSON string (see :mod:`pyloom._hook`).
"""

from __future__ import annotations

import builtins
import os
import sys

from . import http_hook, interrupts, mpl_backend, plot_defaults, stdin
from . import shell as shell_module
from ._hook import set_emitter
from ._version import __version__
from .display import DisplayHandle, clear_output, display, publish_display_data, update_display
from .formatters import format_object, register_type_formatter
from .shell import Shell
from .streams import install_streams

__all__ = [
    "DisplayHandle",
    "Shell",
    "__version__",
    "clear_output",
    "display",
    "format_object",
    "get_ipython",
    "get_shell",
    "publish_display_data",
    "start",
    "update_display",
]

# The IPython stand-in goes at the END of sys.path; start() imports it (libraries look for it in
# sys.modules), so it stays `IPython` for the session even if a real IPython is installed later.
IPYTHON_SHIM = os.path.join(os.path.dirname(__file__), "_ipython")

_shell: Shell | None = None


def start(
    emit,
    *,
    stream_interval: float = 0.05,
    stream_max_chars: int = 65536,
    max_output_chars: int = 10_000_000,
    interrupt_buffer=None,
    request_input=None,
    pyodide_version: str = "unknown",
    index_urls: list[str] | None = None,
    lock_json: str | None = None,
) -> Shell:
    """Wire Python to the page: install the emitter and the batched stdout/stderr, make the shell.

    ``emit`` receives one JSON string per output event. ``interrupt_buffer`` is the page's
    interrupt buffer (a one-element array the page writes 2 into), when it has one. Calling
    ``start`` again replaces the emitter and keeps the shell, so the user namespace survives.
    ``index_urls`` are package indexes for pure-Python wheels; ``lock_json`` is Pyodide's lock file.
    """
    from . import package_settings

    package_settings.pyodide_version = pyodide_version
    package_settings.index_urls = list(index_urls or [])
    package_settings.lock_json = lock_json
    if "pyloom.packages" in sys.modules:  # re-wired after packages were used: refresh them
        sys.modules["pyloom.packages"]._load_settings()
    global _shell
    set_emitter(emit)
    install_streams(interval=stream_interval, max_chars=stream_max_chars, cell_limit=max_output_chars)
    interrupts.install(interrupt_buffer)
    stdin.install(request_input)
    if IPYTHON_SHIM not in sys.path:
        sys.path.append(IPYTHON_SHIM)
    # As in IPython, display() and get_ipython() need no import in a cell.
    builtins.display = display  # type: ignore[attr-defined]
    builtins.get_ipython = get_ipython  # type: ignore[attr-defined]
    os.environ["MPLBACKEND"] = mpl_backend.BACKEND
    # urllib/http.client over XMLHttpRequest in a browser worker (patched when first imported).
    http_hook.install()
    if _shell is None:
        _shell = Shell()
        shell_module.active = _shell
        # tqdm.auto and matplotlib look for IPython in sys.modules (not by importing it).
        import IPython  # noqa: F401  (the stand-in at the end of sys.path)

        register_type_formatter(mpl_backend.is_figure, mpl_backend.figure_png)
        _shell.pre_execute.append(mpl_backend.cell_started)
        _shell.post_execute.append(mpl_backend.flush_figures)
        # Plotly / Altair / Bokeh emit the data types the page renders (hooks only; no import).
        plot_defaults.install()
    return _shell


def get_ipython():
    """The IPython-compatible notebook shell (:mod:`pyloom.ipython_shell`), made on first call;
    None before :func:`start`."""
    from .ipython_shell import shell_instance

    return shell_instance()


def get_shell() -> Shell:
    if _shell is None:
        raise RuntimeError("pyloom.start(emit) has not been called: no shell is running")
    return _shell
