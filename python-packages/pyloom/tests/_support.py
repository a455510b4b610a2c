"""Helpers for pyloom's tests (run in Pyodide by test/unit/python-package.test.ts).

Tests are plain functions (``async def`` allowed) with bare asserts, so they read like pytest
tests; the harness imports each module and calls every ``test_*`` function.
"""

from __future__ import annotations

import json
import sys
import unittest

import pyloom
from pyloom import _hook, streams
from pyloom.shell import Shell


def fresh(*, interval: float = 0.05, max_chars: int = 65536, cell_limit: int = streams.DEFAULT_CELL_LIMIT) -> tuple[Shell, list[dict]]:
    """A new shell with its own namespace and a list that collects every emitted event."""
    events: list[dict] = []
    _hook.set_emitter(lambda text: events.append(json.loads(text)))
    streams.install_streams(interval=interval, max_chars=max_chars, cell_limit=cell_limit)
    if pyloom.IPYTHON_SHIM not in sys.path:
        sys.path.append(pyloom.IPYTHON_SHIM)
    import builtins

    builtins.get_ipython = pyloom.get_ipython  # as pyloom.start does
    return Shell(namespace={}), events


def skip(reason: str) -> None:
    """End the test as skipped (reported by the harness with this reason, never as passed)."""
    raise unittest.SkipTest(reason)


def require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        skip(f"{module} is not installed in this Pyodide (it loads from a package mirror; see README)")


def of_type(events: list[dict], output_type: str) -> list[dict]:
    return [e for e in events if e["output_type"] == output_type]


def stdout(events: list[dict]) -> str:
    return "".join(e["text"] for e in events if e["output_type"] == "stream" and e["name"] == "stdout")


def stderr_text(events: list[dict]) -> str:
    return "".join(e["text"] for e in events if e["output_type"] == "stream" and e["name"] == "stderr")


def results(events: list[dict]) -> list[str]:
    return [e["data"]["text/plain"] for e in of_type(events, "execute_result")]


def plain_traceback(error: dict) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error["traceback"]))
