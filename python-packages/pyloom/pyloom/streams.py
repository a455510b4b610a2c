"""stdout/stderr as batched nbformat ``stream`` events.

Python running a tight ``print`` loop would otherwise send one message per call and flood the
page. Text is buffered and sent when the last send is at least ``interval`` seconds old or the
buffer reaches ``max_chars``. The first line after a quiet spell therefore goes out at once
(``print("loading…")`` before slow work shows immediately); only bursts are merged. The tail of
a burst goes out at the next write, at the end of the cell (``flush_all``), or from the event
loop when the cell is awaiting something.
"""

from __future__ import annotations

import io
import sys
import time
from typing import Literal

from ._hook import emit_raw, register_pre_emit

_streams: dict[str, BatchedStream] = {}

# Stream text one cell may send before the rest is dropped with a marker: a runaway print loop must
# not exhaust the page's (or the worker's) memory. Reset at the start of every cell.
DEFAULT_CELL_LIMIT = 10_000_000
_limit = {"chars": DEFAULT_CELL_LIMIT, "sent": 0, "truncated": False}


def start_cell() -> None:
    _limit["sent"] = 0
    _limit["truncated"] = False


class BatchedStream(io.TextIOBase):
    def __init__(self, name: Literal["stdout", "stderr"], *, interval: float, max_chars: int) -> None:
        super().__init__()
        self.name = name
        self._stream: Literal["stdout", "stderr"] = name  # typed: TextIOBase declares name as str
        self.interval = interval
        self.max_chars = max_chars
        self._parts: list[str] = []
        self._size = 0
        self._last_send = float("-inf")
        self._timer = None
        self.messages_sent = 0

    # io.TextIOBase API -------------------------------------------------------------
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        # Keep stdout/stderr interleaving as written: the other stream's buffered text goes first.
        for other in _streams.values():
            if other is not self and other._parts:
                other.flush()
        if _limit["truncated"]:
            return len(text)
        room = _limit["chars"] - _limit["sent"]
        if len(text) > room:
            self._parts.append(text[: max(0, room)])
            self._parts.append(
                f"\n… output truncated: this cell printed more than {_limit['chars']:,} characters "
                "(the limit is the runtime option maxOutputChars)\n"
            )
            _limit["truncated"] = True
            _limit["sent"] = _limit["chars"]
            self.flush()
            return len(text)
        _limit["sent"] += len(text)
        self._parts.append(text)
        self._size += len(text)
        now = time.monotonic()
        quiet = now - self._last_send >= self.interval
        if self._size >= self.max_chars or (quiet and "\n" in text):
            self.flush()
        else:
            self._schedule_tail()
        return len(text)

    def flush(self) -> None:
        if not self._parts:
            return
        text = "".join(self._parts)
        self._parts.clear()
        self._size = 0
        self._last_send = time.monotonic()
        self.messages_sent += 1
        emit_raw({"output_type": "stream", "name": self._stream, "text": text})

    # -------------------------------------------------------------------------------
    def _schedule_tail(self) -> None:
        """Ask the event loop to send the tail if the cell yields to it (awaits) before ending."""
        if self._timer is not None:
            return
        try:
            import asyncio

            loop = asyncio.get_event_loop()
        except Exception:  # no loop outside Pyodide's webloop: the end-of-cell flush covers it
            return
        self._timer = loop.call_later(self.interval, self._tail)

    def _tail(self) -> None:
        self._timer = None
        self.flush()


def install_streams(*, interval: float, max_chars: int, cell_limit: int = DEFAULT_CELL_LIMIT) -> None:
    _limit["chars"] = cell_limit
    names: tuple[Literal["stdout", "stderr"], ...] = ("stdout", "stderr")
    for name in names:
        stream = _streams.get(name)
        if stream is None:
            stream = _streams[name] = BatchedStream(name, interval=interval, max_chars=max_chars)
            register_pre_emit(stream.flush)
        stream.flush()
        stream.interval = interval
        stream.max_chars = max_chars
        stream._last_send = float("-inf")  # a (re)installed stream starts quiet
        setattr(sys, name, stream)


def flush_all() -> None:
    for stream in _streams.values():
        stream.flush()
