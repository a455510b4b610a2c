"""%load and set_next_input: the cell's new text travels in the execute reply's payload."""

from _support import fresh, of_type, plain_traceback, stderr_text, stdout
from test_http import Recorder, patched
from test_magics_files import InTempDir

SCRIPT = """import math


def area(r):
    return math.pi * r ** 2


@staticmethod
def helper():
    pass


class Shape:
    sides = 0
"""


def replaced(reply):
    [payload] = reply["payload"]
    assert payload["source"] == "set_next_input" and payload["replace"] is True
    return payload["text"]


async def test_load_replaces_the_cell_with_the_file_under_a_load_comment():
    shell, events = fresh()
    with InTempDir():
        with open("snippet.py", "w") as f:
            f.write("print('loaded')\n")
        reply = await shell.run_cell("%load snippet.py")
    assert reply["status"] == "ok"
    assert replaced(reply) == "# %load snippet.py\nprint('loaded')\n"
    # Not run, not printed: the code is only put in the cell.
    assert stdout(events) == "" and of_type(events, "error") == []
    # The next cell's reply carries nothing: a payload belongs to its own cell.
    assert (await shell.run_cell("1"))["payload"] == []


async def test_load_finds_name_dot_py_and_drops_the_coding_cookie():
    shell, _ = fresh()
    with InTempDir():
        with open("shapes.py", "w", encoding="latin-1") as f:
            f.write("# -*- coding: latin-1 -*-\nname = 'caf\u00e9'\n")
        text = replaced(await shell.run_cell("%load shapes"))
    assert text == "# %load shapes\nname = 'caf\u00e9'\n"


async def test_load_r_picks_line_ranges_as_ipython():
    shell, _ = fresh()
    with InTempDir():
        with open("shapes.py", "w") as f:
            f.write(SCRIPT)
        # 4-5 includes line 5; 13:15 stops before line 15; a range starting indented is dedented.
        text = replaced(await shell.run_cell("%load -r 4-5,13:15 shapes.py"))
        assert text == "# %load -r 4-5,13:15 shapes.py\ndef area(r):\n    return math.pi * r ** 2\nclass Shape:\n    sides = 0"
        text = replaced(await shell.run_cell("%load -r 5 shapes.py"))
        assert text == "# %load -r 5 shapes.py\nreturn math.pi * r ** 2"


async def test_load_s_picks_functions_and_classes_with_decorators():
    shell, events = fresh()
    with InTempDir():
        with open("shapes.py", "w") as f:
            f.write(SCRIPT)
        text = replaced(await shell.run_cell("%load -s Shape,helper,nothere shapes.py"))
    assert text == "# %load -s Shape,helper,nothere shapes.py\nclass Shape:\n    sides = 0\n\n@staticmethod\ndef helper():\n    pass\n"
    assert "The symbol `nothere` was not found" in stderr_text(events)


async def test_load_from_history_a_variable_and_an_object_with_n():
    shell, _ = fresh()
    await shell.run_cell("a = 1")
    await shell.run_cell("b = a + 1")
    assert replaced(await shell.run_cell("%load 1-2")) == "# %load 1-2\na = 1\nb = a + 1"
    await shell.run_cell("snippet = 'print(42)'")
    assert replaced(await shell.run_cell("%load snippet")) == "# %load snippet\nprint(42)"
    await shell.run_cell("import json")
    text = replaced(await shell.run_cell("%load -n json.dumps"))
    assert text.startswith("# %load -n json.dumps\ndef dumps(")


async def test_load_from_a_url_goes_through_the_http_layer():
    shell, _ = fresh()
    with patched(Recorder(headers="Content-Type: text/x-python\r\n", body=b"x = 'from the web'\n")) as rec:
        reply = await shell.run_cell("%load https://data.example/code/x.py")
    assert replaced(reply) == "# %load https://data.example/code/x.py\nx = 'from the web'\n"
    assert [call["url"] for call in rec.calls] == ["https://data.example/code/x.py"]


async def test_load_of_nothing_found_is_ipythons_value_error():
    shell, events = fresh()
    with InTempDir():
        reply = await shell.run_cell("%load no_such_file.py")
    assert reply["status"] == "error" and reply["payload"] == []
    [error] = of_type(events, "error")
    assert error["ename"] == "ValueError"
    assert error["evalue"] == "'no_such_file.py' was not found in history, as a file, url, nor in the user namespace."
    assert "Cell In[1], line 1" in plain_traceback(error)


async def test_set_next_input_without_replace_and_the_last_one_wins():
    shell, _ = fresh()
    reply = await shell.run_cell("ip = get_ipython()\nip.set_next_input('first')\nip.set_next_input('x = 2  # below')")
    assert reply["payload"] == [{"source": "set_next_input", "text": "x = 2  # below", "replace": False}]
    # An error after the request still sends it, as ipykernel's reply does.
    reply = await shell.run_cell("get_ipython().set_next_input('kept', replace=True)\n1 / 0")
    assert reply["status"] == "error"
    assert reply["payload"] == [{"source": "set_next_input", "text": "kept", "replace": True}]


async def test_payload_manager_pages_help_as_output_and_drops_unknown_sources():
    shell, events = fresh()
    reply = await shell.run_cell(
        "pm = get_ipython().payload_manager\n"
        "pm.write_payload({'source': 'page', 'data': {'text/plain': 'help text'}, 'start': 0})\n"
        "pm.write_payload({'source': 'ask_exit', 'keepkernel': False})\n"
        "pm.write_payload({'source': 'set_next_input', 'text': 'a'}, single=False)\n"
        "pm.write_payload({'source': 'set_next_input', 'text': 'b', 'replace': True}, single=False)\n"
        "len(pm.read_payload())"
    )
    assert reply["payload"] == [
        {"source": "set_next_input", "text": "a", "replace": False},
        {"source": "set_next_input", "text": "b", "replace": True},
    ]
    assert [e["data"] for e in of_type(events, "display_data")] == [{"text/plain": "help text"}]
    assert "'ask_exit' payload is not something this page acts on" in stderr_text(events)
