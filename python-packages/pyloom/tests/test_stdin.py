"""input() and getpass() answered by the page (the request function stands in for the worker)."""

import builtins
import getpass

from _support import fresh, stdout
from pyloom import stdin


def _with(request):
    stdin.install(request)


async def test_input_and_getpass_are_answered_and_echoed_like_jupyter():
    asked = []

    def request(prompt, password):
        asked.append((prompt, password))
        return "s3cret" if password else "Ada"

    shell, events = fresh(interval=60.0)
    _with(request)
    try:
        await shell.run_cell("name = input('Name? ')\nimport getpass\npw = getpass.getpass()\nname, len(pw)")
    finally:
        stdin.install(None)
    assert asked == [("Name? ", False), ("Password: ", True)]
    assert stdout(events) == "Name? Ada\nPassword: \n"  # the password itself is never echoed
    assert shell.user_ns["name"] == "Ada" and shell.user_ns["pw"] == "s3cret"


async def test_interrupted_no_answer_and_not_isolated():
    shell, events = fresh()
    _with(lambda prompt, password: None)
    assert (await shell.run_cell("input()"))["status"] == "error"
    _with(lambda prompt, password: False)
    await shell.run_cell("input()")
    stdin.install(None)
    await shell.run_cell("input()")
    errors = [(e["ename"], e["evalue"]) for e in events if e["output_type"] == "error"]
    assert errors[0] == ("KeyboardInterrupt", "")
    assert errors[1][0] == "EOFError" and "no answer" in errors[1][1]
    assert errors[2][0] == "RuntimeError" and "cross-origin isolated" in errors[2][1]
    assert builtins.input is stdin.input and getpass.getpass is stdin.getpass
