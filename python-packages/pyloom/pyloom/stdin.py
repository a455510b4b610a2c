"""``input()`` and ``getpass.getpass()`` answered by the page.

The worker blocks (``Atomics.wait``) while the page shows an input box, which needs a
SharedArrayBuffer, so a cross-origin isolated page. As in Jupyter, the prompt and the answer are
echoed to stdout once answered (the answer is not echoed for a password).
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable

NO_ISOLATION = (
    "input() needs a cross-origin isolated page (served with the headers "
    "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), "
    "so that the page can answer while Python waits; `npm start` and `npm run preview` send them"
)

# request(prompt, password) -> the answer; None when interrupted; False when no one answers (EOF).
_request: Callable[[str, bool], str | None | bool] | None = None
_original_input = builtins.input


def _ask(prompt: str, password: bool) -> str:
    if _request is None:
        raise RuntimeError(NO_ISOLATION)
    sys.stdout.flush()
    sys.stderr.flush()
    answer = _request(str(prompt), password)
    if answer is None:
        raise KeyboardInterrupt
    if not isinstance(answer, str):
        raise EOFError("input() got no answer: nothing on this page answers input requests")
    sys.stdout.write(f"{prompt}\n" if password else f"{prompt}{answer}\n")
    return answer


def input(prompt: object = "") -> str:  # noqa: A001 - replaces the builtin on purpose
    return _ask(str(prompt), False)


def getpass(prompt: str = "Password: ", stream: object = None) -> str:
    return _ask(prompt, True)


def install(request: Callable[[str, bool], str | None | bool] | None) -> None:
    global _request
    _request = request
    builtins.input = input
    import getpass as getpass_module

    getpass_module.getpass = getpass
