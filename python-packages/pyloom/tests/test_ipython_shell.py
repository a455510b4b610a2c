"""get_ipython(): the shell surface libraries and notebooks call, and user-defined magics."""

import sys

from _support import fresh, of_type, plain_traceback, results, stderr_text, stdout


async def test_get_ipython_is_a_builtin_and_in_ipython_and_is_the_same_shell():
    shell, events = fresh()
    reply = await shell.run_cell(
        "import IPython\nfrom IPython.core.getipython import get_ipython as core_get\n"
        "ip = get_ipython()\n"
        "ip is IPython.get_ipython() is core_get(), ip.user_ns is globals(), ip.user_global_ns is globals(), ip.execution_count"
    )
    assert reply["status"] == "ok", of_type(events, "error")
    assert results(events) == ["(True, True, True, 1)"]


async def test_the_notebook_probes_libraries_use():
    shell, events = fresh()
    await shell.run_cell(
        "ip = get_ipython()\n"
        "from IPython.terminal.interactiveshell import TerminalInteractiveShell\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "('IPKernelApp' in ip.config,"  # tqdm.auto
        " 'zmq' in str(type(ip)).lower(),"  # pandas in_ipython_frontend
        " isinstance(ip, TerminalInteractiveShell),"  # sympy, plotly
        " isinstance(ip, InteractiveShell), InteractiveShell.initialized(), InteractiveShell.instance() is ip,"
        " ip.kernel, hasattr(ip, 'kernel'))"
    )
    assert results(events) == ["(True, True, False, True, True, True, None, True)"]


async def test_events_register_trigger_and_unregister():
    shell, events = fresh()
    await shell.run_cell(
        "log = []\nip = get_ipython()\n"
        "def pre(): log.append('pre_execute')\n"
        "def pre_cell(info): log.append(('pre_run_cell', info.raw_cell))\n"
        "def post(): log.append('post_execute')\n"
        "def post_cell(result): log.append(('post_run_cell', result.success))\n"
        "for name, f in [('pre_execute', pre), ('pre_run_cell', pre_cell), ('post_execute', post), ('post_run_cell', post_cell)]:\n"
        "    ip.events.register(name, f)"
    )
    await shell.run_cell("1 / 0")
    await shell.run_cell("ip.events.unregister('post_execute', post)\nlog[:]")
    log = shell.user_ns["log"]
    assert log[:4] == [("post_execute"), ("post_run_cell", True), "pre_execute", ("pre_run_cell", "1 / 0")]
    assert log[4:6] == ["post_execute", ("post_run_cell", False)]
    await shell.run_cell("try:\n    ip.events.register('no_such_event', pre)\nexcept KeyError as e:\n    print('KeyError', e)")
    assert "KeyError 'Unknown event no_such_event" in stdout(events)


async def test_a_failing_callback_is_reported_and_the_cell_still_runs():
    shell, events = fresh()
    await shell.run_cell("def bad():\n    raise RuntimeError('callback broke')\nget_ipython().events.register('pre_execute', bad)")
    reply = await shell.run_cell("'still runs'")
    assert reply["status"] == "ok" and results(events) == ["'still runs'"]
    assert "Error in callback" in stderr_text(events)


async def test_display_formatter_for_type_wins_and_plain_text_printers_get_p_and_cycle():
    shell, events = fresh()
    await shell.run_cell(
        "class Point:\n    def __init__(self, x): self.x = x\n    def _repr_html_(self): return '<i>own</i>'\n"
        "f = get_ipython().display_formatter.formatters\n"
        "f['text/latex'].for_type(Point, lambda p: f'$p_{{{p.x}}}$')\n"
        "f['text/html'].for_type(Point, lambda p: '<b>registered</b>')\n"
        "f['text/plain'].for_type(Point, lambda obj, p, cycle: p.text(f'Point({obj.x})'))\n"
        "Point(3)"
    )
    (result,) = of_type(events, "execute_result")
    assert result["data"] == {"text/latex": "$p_{3}$", "text/html": "<b>registered</b>", "text/plain": "Point(3)"}
    await shell.run_cell(
        "f['text/plain'].for_type_by_name('collections', 'OrderedDict', lambda o, p, c: p.text('OD!'))\nimport collections\ncollections.OrderedDict()"
    )
    assert results(events)[-1] == "OD!"
    await shell.run_cell(
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance().display_formatter.format(Point(4))[0]['text/plain']"
    )
    assert results(events)[-1] == "'Point(4)'"
    from pyloom import formatters

    formatters.type_printer_hook = None


async def test_user_defined_magics_with_the_decorators():
    shell, events = fresh()
    reply = await shell.run_cell(
        "from IPython.core.magic import register_line_magic, register_cell_magic, register_line_cell_magic\n"
        "@register_line_magic\ndef shout(line):\n    return line.upper()\n"
        "@register_cell_magic('count_lines')\ndef counter(line, cell):\n    return (line, len(cell.splitlines()))\n"
        "@register_line_cell_magic\ndef both(line, cell=None):\n    return 'cell' if cell is not None else 'line'\n"
    )
    assert reply["status"] == "ok", of_type(events, "error")
    await shell.run_cell("%shout hello")
    await shell.run_cell("%%count_lines arg\na\nb\nc")
    await shell.run_cell("%both")
    await shell.run_cell("%%both\nx")
    assert results(events) == ["'HELLO'", "('arg', 3)", "'line'", "'cell'"]


async def test_magics_classes_and_register_magic_function():
    shell, events = fresh()
    reply = await shell.run_cell(
        "from IPython.core.magic import Magics, magics_class, line_magic, cell_magic\n"
        "@magics_class\nclass Mine(Magics):\n"
        "    @line_magic\n    def greet(self, line):\n        return f'hello {line} from {type(self.shell).__name__}'\n"
        "    @cell_magic('rev')\n    def reverse(self, line, cell):\n        return cell[::-1]\n"
        "get_ipython().register_magics(Mine)\n"
        "get_ipython().register_magic_function(lambda line: int(line) * 2, 'line', 'twice')\n"
    )
    assert reply["status"] == "ok", of_type(events, "error")
    await shell.run_cell("%greet you")
    await shell.run_cell("%%rev\nabc")
    await shell.run_cell("x = %twice 21\nx")
    await shell.run_cell("get_ipython().run_line_magic('twice', '5'), get_ipython().run_cell_magic('rev', '', 'xy')")
    assert results(events) == ["'hello you from ZMQInteractiveShell'", "'cba'", "42", "(10, 'yx')"]


async def test_load_ext_calls_load_ipython_extension():
    import os
    import tempfile

    shell, events = fresh()
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "my_ext_mod.py"), "w") as f:
            f.write("def load_ipython_extension(ip):\n    ip.user_ns['loaded_by_ext'] = type(ip).__name__\n")
        sys.path.insert(0, folder)
        try:
            await shell.run_cell("%load_ext my_ext_mod")
            await shell.run_cell("%load_ext my_ext_mod")
            await shell.run_cell("%load_ext json")
        finally:
            sys.path.remove(folder)
    assert shell.user_ns["loaded_by_ext"] == "ZMQInteractiveShell"
    assert stdout(events) == (
        "The my_ext_mod extension is already loaded. To reload it, use:\n  %reload_ext my_ext_mod\n"
        "The json module is not an IPython extension.\n"
    )


async def test_run_cell_system_getoutput_showtraceback():
    shell, events = fresh()
    await shell.run_cell("r = get_ipython().run_cell('%time z = 6 * 7')\nr.success, z")
    assert results(events) == ["(True, 42)"]
    events.clear()
    await shell.run_cell("get_ipython().system('echo via system')\nget_ipython().getoutput('echo a b')")
    assert stdout(events) == "via system\n" and results(events) == ["['a b']"]
    events.clear()
    reply = await shell.run_cell("try:\n    1 / 0\nexcept ZeroDivisionError:\n    get_ipython().showtraceback()\n'after'")
    assert reply["status"] == "ok" and results(events) == ["'after'"]
    error = of_type(events, "error")[0]
    assert error["ename"] == "ZeroDivisionError" and "Cell In[" in plain_traceback(error)


async def test_ipython_modules_libraries_import():
    shell, events = fresh()
    reply = await shell.run_cell(
        "from IPython.core.magic import Magics, magics_class, line_magic, cell_magic, line_cell_magic, needs_local_scope, no_var_expand\n"
        "from IPython.core.error import UsageError\n"
        "from IPython.core.formatters import BaseFormatter, DisplayFormatter\n"
        "from IPython.core.pylabtools import backend2gui\n"
        "from IPython.core.interactiveshell import InteractiveShell, ExecutionResult\n"
        "import IPython\n"
        "IPython.version_info[0] >= 8, backend2gui"
    )
    assert reply["status"] == "ok", of_type(events, "error")
    assert results(events) == ["(True, {})"]


async def test_has_trait_and_display_pub():
    shell, events = fresh()
    await shell.run_cell(
        "ip = get_ipython()\nip.display_pub.publish({'text/plain': 'published'})\nip.has_trait('kernel'), ip.has_trait('nope')"
    )
    assert of_type(events, "display_data")[0]["data"] == {"text/plain": "published"}
    assert results(events) == ["(True, False)"]


def test_the_builtin_magics_table_matches_what_the_classes_define():
    import importlib

    from pyloom.magics import BUILTIN

    for module, (cls, kinds) in BUILTIN.items():
        declared = getattr(importlib.import_module(f"pyloom.magics.{module}"), cls).magics
        for kind in ("line", "cell"):
            assert sorted(kinds.get(kind, ())) == sorted(declared[kind]), (module, kind)


async def test_a_user_magic_with_a_builtin_name_wins_over_the_builtin():
    shell, events = fresh()
    await shell.run_cell("get_ipython().register_magic_function(lambda line: 'mine', 'line', 'who')")
    await shell.run_cell("%who")
    await shell.run_cell("%whos")  # loads the namespace magics; %who stays the user's
    await shell.run_cell("%who")
    assert results(events) == ["'mine'", "'mine'"]
