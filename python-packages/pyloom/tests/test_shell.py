"""Cell execution semantics: what Jupyter users expect from a cell."""

from _support import fresh, of_type, results, stdout


async def test_last_expression_is_the_result():
    shell, events = fresh()
    reply = await shell.run_cell("x = 20\nx + 22")
    assert reply == {"status": "ok", "execution_count": 1, "payload": []}
    assert of_type(events, "execute_result") == [
        {"output_type": "execute_result", "execution_count": 1, "data": {"text/plain": "42"}, "metadata": {}}
    ]


async def test_trailing_semicolon_suppresses_the_result():
    shell, events = fresh()
    await shell.run_cell("1 + 1;")
    await shell.run_cell("1 + 1;  # a comment after the semicolon\n\n")
    assert results(events) == []
    # The value is still computed: only the display is suppressed.
    await shell.run_cell("s = [];\ns.append(1); s")
    assert results(events) == ["[1]"]


async def test_semicolon_inside_a_string_does_not_suppress():
    shell, events = fresh()
    await shell.run_cell("'a;'")
    assert results(events) == ["'a;'"]


async def test_none_and_statements_show_nothing():
    shell, events = fresh()
    await shell.run_cell("None")
    await shell.run_cell("y = 3")
    await shell.run_cell("for i in range(2):\n    i")
    assert results(events) == []


async def test_top_level_await():
    shell, events = fresh()
    reply = await shell.run_cell(
        "import asyncio\nasync def twice(v):\n    await asyncio.sleep(0.01)\n    return 2 * v\nr = await twice(4)\nawait twice(r)"
    )
    assert reply["status"] == "ok"
    assert results(events) == ["16"]
    assert shell.user_ns["r"] == 8


async def test_async_for_and_with_at_top_level():
    shell, events = fresh()
    await shell.run_cell(
        "import contextlib\n"
        "@contextlib.asynccontextmanager\n"
        "async def ctx():\n"
        "    yield 5\n"
        "async def gen():\n"
        "    for i in range(3):\n"
        "        yield i\n"
        "async with ctx() as v:\n"
        "    total = v\n"
        "async for i in gen():\n"
        "    total += i\n"
        "total"
    )
    assert results(events) == ["8"]


async def test_execution_counts_count_errors_but_not_blank_cells():
    shell, events = fresh()
    assert (await shell.run_cell("1"))["execution_count"] == 1
    assert (await shell.run_cell("1/0"))["execution_count"] == 2
    assert (await shell.run_cell("   \n\n"))["execution_count"] is None
    assert (await shell.run_cell("x = (")) == {"status": "error", "execution_count": 3, "payload": []}
    assert (await shell.run_cell("'last'"))["execution_count"] == 4
    assert [e["execution_count"] for e in of_type(events, "execute_result")] == [1, 4]


async def test_history_variables_like_ipython():
    shell, events = fresh()
    await shell.run_cell("10")
    await shell.run_cell("20")
    await shell.run_cell("30")
    await shell.run_cell("(_, __, ___, _1, Out[2], In[3])")
    assert results(events)[-1] == "(30, 20, 10, 10, 20, '30')"


async def test_print_becomes_stream_output_in_order_with_results():
    shell, events = fresh()
    await shell.run_cell("import sys\nprint('a')\nprint('err', file=sys.stderr)\nprint('b')\n7")
    kinds = [(e["output_type"], e.get("name")) for e in events]
    assert kinds == [
        ("stream", "stdout"),
        ("stream", "stderr"),
        ("stream", "stdout"),
        ("execute_result", None),
    ]
    assert stdout(events) == "a\nb\n"


async def test_namespace_is_shared_between_cells_and_is_main():
    shell, events = fresh()
    await shell.run_cell("def f(x):\n    return x * 3")
    await shell.run_cell("f(5), __name__")
    assert results(events) == ["(15, '__main__')"]


async def test_inspect_getsource_sees_cell_code():
    shell, events = fresh()
    await shell.run_cell("def documented():\n    return 'body'")
    await shell.run_cell("import inspect\nprint(inspect.getsource(documented))")
    assert "return 'body'" in stdout(events)


async def test_long_containers_are_pretty_printed():
    shell, events = fresh()
    await shell.run_cell("list(range(40))")
    await shell.run_cell("[1, 2]")
    long, short = results(events)
    assert long.count("\n") > 5
    assert short == "[1, 2]"


async def test_a_broken_repr_does_not_kill_the_cell():
    shell, events = fresh()
    reply = await shell.run_cell("class Bad:\n    def __repr__(self):\n        raise ValueError('nope')\nBad()")
    assert reply["status"] == "ok"
    assert "repr() raised ValueError: nope" in results(events)[0]


async def test_sys_displayhook_shows_a_result():
    shell, events = fresh()
    await shell.run_cell("import sys\nsys.displayhook('shown')")
    assert results(events) == ["'shown'"]


async def test_keyboard_interrupt_and_system_exit_end_the_cell_not_the_shell():
    shell, events = fresh()
    assert (await shell.run_cell("raise KeyboardInterrupt"))["status"] == "error"
    assert (await shell.run_cell("import sys\nsys.exit(3)"))["status"] == "error"
    assert [e["ename"] for e in of_type(events, "error")] == ["KeyboardInterrupt", "SystemExit"]
    assert (await shell.run_cell("'alive'"))["status"] == "ok"
