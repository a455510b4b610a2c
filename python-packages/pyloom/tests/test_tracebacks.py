"""Errors look like IPython's: ename, evalue, and a traceback pointing at cell lines."""

import re

from _support import fresh, of_type, plain_traceback, stdout


async def test_runtime_error_points_at_cell_lines_and_hides_pyloom_frames():
    shell, events = fresh()
    await shell.run_cell("def f():\n    return 1 / 0\n")
    await shell.run_cell("x = 1\nf()")
    [error] = of_type(events, "error")
    assert error["ename"] == "ZeroDivisionError"
    assert error["evalue"] == "division by zero"
    text = plain_traceback(error)
    assert "Cell In[2], line 2" in text
    assert "----> " in text and "f()" in text
    # The frame inside f comes from the first cell, with its own line number.
    assert "Cell In[1], line 2, in f()" in text
    assert "return 1 / 0" in text
    assert "pyloom" not in text and "shell.py" not in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")


async def test_library_frames_called_by_the_user_stay():
    shell, events = fresh()
    await shell.run_cell("import json\njson.loads('{not json')")
    [error] = of_type(events, "error")
    text = plain_traceback(error)
    assert error["ename"] == "JSONDecodeError"
    assert "Cell In[1], line 2" in text
    assert "json/" in text and "decoder.py" in text


async def test_syntax_error_has_location_and_caret():
    shell, events = fresh()
    await shell.run_cell("a = 1\nb = (2 +\n")
    [error] = of_type(events, "error")
    assert error["ename"] == "SyntaxError"
    text = plain_traceback(error)
    assert "Cell In[1], line 2" in text
    assert "b = (2 +" in text
    assert "^" in text
    assert "Traceback" not in text


async def test_syntax_error_caret_is_under_the_offending_token():
    shell, events = fresh()
    await shell.run_cell("x = 1 +* 2")
    [error] = of_type(events, "error")
    lines = plain_traceback(error).splitlines()
    source = next(line for line in lines if "x = 1 +* 2" in line)
    caret = next(line for line in lines if "^" in line)
    assert source[caret.index("^")] == "*"


async def test_indentation_error():
    shell, events = fresh()
    await shell.run_cell("if True:\nprint(1)")
    [error] = of_type(events, "error")
    assert error["ename"] == "IndentationError"
    assert "Cell In[1], line 2" in plain_traceback(error)


async def test_chained_exceptions_show_both():
    shell, events = fresh()
    await shell.run_cell("try:\n    {}['k']\nexcept KeyError as e:\n    raise ValueError('bad key') from e")
    [error] = of_type(events, "error")
    text = plain_traceback(error)
    assert error["ename"] == "ValueError"
    assert text.index("KeyError") < text.index("direct cause") < text.index("ValueError: bad key")


async def test_syntax_error_raised_at_run_time_shows_frames_and_location():
    shell, events = fresh()
    await shell.run_cell("exec('y = = 2')")
    [error] = of_type(events, "error")
    text = plain_traceback(error)
    assert "Traceback" in text and "Cell In[1], line 1" in text
    assert "y = = 2" in text and "SyntaxError" in text


async def test_exception_notes_are_shown():
    shell, events = fresh()
    await shell.run_cell("e = ValueError('v')\ne.add_note('try a smaller value')\nraise e")
    [error] = of_type(events, "error")
    assert "try a smaller value" in plain_traceback(error)


FAILING = "scale = 10\ndef f(x):\n    y = x - 1\n    return scale / y\n\nf(1)"


async def _error_after_xmode(mode):
    shell, events = fresh()
    await shell.run_cell(f"%xmode {mode}")
    assert stdout(events) == f"Exception reporting mode: {mode}\n"
    reply = await shell.run_cell(FAILING)
    assert reply["status"] == "error"
    [error] = of_type(events, "error")
    assert (error["ename"], error["evalue"]) == ("ZeroDivisionError", "division by zero")
    return shell, events, plain_traceback(error)


async def test_xmode_minimal_shows_only_the_exception_line():
    _, _, text = await _error_after_xmode("Minimal")
    assert text == "ZeroDivisionError: division by zero"


async def test_xmode_plain_shows_one_line_per_frame_without_context():
    _, _, text = await _error_after_xmode("Plain")
    assert text.splitlines() == [
        "Traceback (most recent call last):",
        "",
        "  Cell In[2], line 6",
        "    f(1)",
        "",
        "  Cell In[2], line 4 in f",
        "    return scale / y",
        "",
        "ZeroDivisionError: division by zero",
    ]
    # A library frame is IPython's ``File <path>, line N in <name>``.
    shell, events = fresh()
    await shell.run_cell("%xmode Plain")
    await shell.run_cell("import json\njson.loads('{')")
    lines = plain_traceback(of_type(events, "error")[0]).splitlines()
    assert lines[2:4] == ["  Cell In[2], line 2", "    json.loads('{')"]
    assert any(re.fullmatch(r"  File /\S+/json/__init__\.py, line \d+ in loads", line) for line in lines), lines


async def test_xmode_verbose_adds_arguments_and_the_values_on_the_failing_line():
    _, _, text = await _error_after_xmode("Verbose")
    assert "Cell In[2], line 4, in f(x=1)" in text
    lines = text.splitlines()
    failing = lines.index("---->   4     return scale / y")
    assert lines[failing + 1 : failing + 3] == ["        global scale = 10", "        y = 0"]
    # The context lines around the failing one stay, as in Context mode.
    assert "        3     y = x - 1" in lines


async def test_xmode_context_is_the_default_and_comes_back():
    shell, events, _ = await _error_after_xmode("Verbose")
    events.clear()
    await shell.run_cell("%xmode Context")
    await shell.run_cell("f(1)")
    text = plain_traceback(of_type(events, "error")[0])
    assert "in f()" in text and "y = 0" not in text and "        3     y = x - 1" in text
    # A new session starts in Context again.
    shell, events = fresh()
    await shell.run_cell(FAILING)
    assert "---->   4     return scale / y" in plain_traceback(of_type(events, "error")[0])


async def test_xmode_cycles_and_refuses_unknown_modes():
    shell, events = fresh()
    await shell.run_cell("%xmode")
    await shell.run_cell("%xmode")
    assert stdout(events) == "Exception reporting mode: Verbose\nException reporting mode: Minimal\n"
    await shell.run_cell("%xmode Fancy")
    assert of_type(events, "error")[0]["evalue"] == "Valid modes: Plain, Context, Verbose, Minimal, Docs"
