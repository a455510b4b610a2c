"""The magics a Jupyter notebook uses, run through the shell as a cell would run them."""

import os
import re

from _support import fresh, of_type, plain_traceback, results, stderr_text, stdout

# Pyodide has no CPU clock (os.times() is all zeros, process_time() counts sleeps): the CPU line
# says so; test_cpu_times_line_* checks the figures where a platform has them.
CPU_WALL = re.compile(r"^CPU times: user n/a, sys: n/a, total: n/a \(WebAssembly has no CPU clock\)\nWall time: [\d.]+ (s|ms|µs|ns)\n$")
TIMEIT = re.compile(r"^[\d.]+ (s|ms|µs|ns) ± [\d.]+ (s|ms|µs|ns) per loop \(mean ± std\. dev\. of (\d+) runs?, ([\d,]+) loops? each\)$")


async def test_time_prints_cpu_and_wall_time_then_the_value():
    shell, events = fresh()
    reply = await shell.run_cell("%time sum(range(10**5))")
    assert reply["status"] == "ok"
    assert CPU_WALL.match(stdout(events)), stdout(events)
    assert results(events) == ["4999950000"]


def test_cpu_times_line_reports_user_and_sys_where_the_platform_counts_them():
    from pyloom.magics.execution import cpu_times_line

    before = os.times_result((1.0, 0.25, 0.0, 0.0, 1000.0))
    after = os.times_result((2.5, 0.75, 0.0, 0.0, 1002.0))
    assert cpu_times_line(before, after) == "CPU times: user 1.5 s, sys: 500 ms, total: 2 s"
    nothing = os.times_result((0.0, 0.0, 0.0, 0.0, 0.0))
    assert cpu_times_line(nothing, nothing).startswith("CPU times: user n/a, sys: n/a, total: n/a")


async def test_time_of_a_sleep_does_not_call_the_sleep_cpu_time():
    shell, events = fresh()
    await shell.run_cell("import time\n%time time.sleep(0.05)")
    text = stdout(events)
    assert CPU_WALL.match(text), text
    value, unit = text.splitlines()[1].split()[2:4]
    assert float(value) * {"s": 1, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}[unit] >= 0.05


async def test_assignment_from_time_keeps_the_value():
    shell, events = fresh()
    await shell.run_cell("def f():\n    return 41 + 1\nx = %time f()")
    assert shell.user_ns["x"] == 42
    assert results(events) == []
    assert CPU_WALL.match(stdout(events))


async def test_cell_time_runs_the_body_and_shows_its_last_value():
    shell, events = fresh()
    await shell.run_cell("%%time\ny = 5\ny * 2")
    assert shell.user_ns["y"] == 5
    assert results(events) == ["10"]
    assert CPU_WALL.match(stdout(events))


async def test_timeit_with_n_and_r_prints_ipythons_line():
    shell, events = fresh()
    await shell.run_cell("%timeit -n 10 -r 2 sum(range(100))")
    match = TIMEIT.match(stdout(events).strip())
    assert match, stdout(events)
    assert match.group(3) == "2" and match.group(4) == "10"


async def test_cell_timeit_o_returns_the_result_object_and_uses_its_setup_line():
    shell, events = fresh()
    reply = await shell.run_cell("%%timeit -n 3 -r 4 -o data = list(range(50))\nsum(data)")
    assert reply["status"] == "ok"
    out = results(events)[0]
    assert out.startswith("<TimeitResult : ") and "of 4 runs, 3 loops each" in out
    result = shell.user_ns["_"]
    assert (result.loops, result.repeat, len(result.all_runs)) == (3, 4, 4)
    assert result.best <= result.average <= result.worst


async def test_timeit_q_o_prints_nothing():
    shell, events = fresh()
    await shell.run_cell("r = %timeit -q -o -n 2 -r 2 1 + 1")
    assert stdout(events) == ""
    assert shell.user_ns["r"].loops == 2


async def test_indented_magics_inside_blocks_and_functions():
    shell, events = fresh()
    reply = await shell.run_cell("def f(v):\n    w = %time v * 2\n    return w\nfor i in range(2):\n    %time k = i\nf(21) + k")
    assert reply["status"] == "ok", of_type(events, "error")
    assert results(events) == ["43"]
    assert stdout(events).count("Wall time") == 3


async def test_traceback_after_a_magic_line_points_at_the_cells_own_line():
    shell, events = fresh()
    await shell.run_cell("x = 1\n%time y = 2\n!echo hi\n\n1 / 0")
    tb = plain_traceback(of_type(events, "error")[0])
    assert "Cell In[1], line 5" in tb and "---->   5 1 / 0" in tb


async def test_traceback_inside_a_timed_cell_body_names_the_body_line():
    shell, events = fresh()
    await shell.run_cell("%%time\na = 1\nb = a / 0")
    tb = plain_traceback(of_type(events, "error")[0])
    assert "Cell In[1], line 3" in tb and "b = a / 0" in tb
    assert "pyloom/magics" not in tb and "ipython_shell" not in tb  # no machinery frames


async def test_unknown_magic_is_ipythons_usage_error():
    shell, events = fresh()
    reply = await shell.run_cell("%nosuchmagic 1")
    assert reply["status"] == "error"
    (error,) = of_type(events, "error")
    assert error["ename"] == "UsageError"
    assert plain_traceback(error) == "UsageError: Line magic function `%nosuchmagic` not found."
    await shell.run_cell("%%nosuchcell\nx")
    assert of_type(events, "error")[1]["evalue"] == "Cell magic `%%nosuchcell` not found."


async def test_matplotlib_magic_never_fails_without_matplotlib_and_explains_other_backends():
    shell, events = fresh()
    assert (await shell.run_cell("%matplotlib inline"))["status"] == "ok"
    assert (await shell.run_cell("%matplotlib widget"))["status"] == "ok"
    assert "inline only" in stderr_text(events)
    assert os.environ["MPLBACKEND"] == "module://pyloom.mpl_backend"


async def test_config_figure_format_reaches_the_inline_backend():
    from pyloom import mpl_backend

    shell, events = fresh()
    try:
        await shell.run_cell("%config InlineBackend.figure_format = 'retina'")
        assert mpl_backend._formats == ["retina"]
        assert get_ipython().config.InlineBackend.figure_format == "retina"  # noqa: F821
        reply = await shell.run_cell("%config InlineBackend.figure_format = 'gif'")
        assert reply["status"] == "error" and "supported: png, retina" in of_type(events, "error")[0]["evalue"]
    finally:
        mpl_backend.set_figure_formats("png")


async def test_who_whos_who_ls_and_reset():
    shell, events = fresh()
    await shell.run_cell("alpha = 1\nbeta = 'two'\n_hidden = 3")
    await shell.run_cell("%who")
    assert stdout(events).split() == ["alpha", "beta"]
    events.clear()
    await shell.run_cell("%whos")
    lines = stdout(events).splitlines()
    assert lines[0].split() == ["Variable", "Type", "Data/Info"]
    assert lines[2].split() == ["alpha", "int", "1"] and lines[3].split() == ["beta", "str", "two"]
    events.clear()
    await shell.run_cell("%who_ls int")
    assert results(events) == ["['alpha']"]
    await shell.run_cell("%reset -f")
    assert "alpha" not in shell.user_ns and "In" in shell.user_ns
    events.clear()
    await shell.run_cell("%who")
    assert stdout(events) == "Interactive namespace is empty.\n"


async def test_env_sets_reads_and_lists():
    shell, events = fresh()
    await shell.run_cell("%env PYLOOM_X=1")
    assert stdout(events) == "env: PYLOOM_X=1\n" and os.environ["PYLOOM_X"] == "1"
    await shell.run_cell("%env PYLOOM_X")
    await shell.run_cell("e = %env\ntype(e).__name__, e['PYLOOM_X']")
    assert results(events) == ["'1'", "('dict', '1')"]


async def test_html_markdown_latex_svg_and_javascript_cells_display_their_type():
    shell, events = fresh()
    for magic, mime in (
        ("html", "text/html"),
        ("markdown", "text/markdown"),
        ("latex", "text/latex"),
        ("svg", "image/svg+xml"),
        ("javascript", "application/javascript"),
        ("js", "application/javascript"),
    ):
        events.clear()
        await shell.run_cell(f"%%{magic}\ncontent of {magic}")
        (shown,) = of_type(events, "display_data")
        assert shown["data"] == {mime: f"content of {magic}"}


async def test_capture_keeps_output_in_a_variable():
    shell, events = fresh()
    await shell.run_cell("%%capture cap\nprint('hidden')\nfrom IPython.display import HTML, display\ndisplay(HTML('<b>x</b>'))")
    assert stdout(events) == "" and of_type(events, "display_data") == []
    await shell.run_cell("cap.stdout, [o.data['text/html'] for o in cap.outputs]")
    assert results(events) == ["('hidden\\n', ['<b>x</b>'])"]
    await shell.run_cell("cap.show()")
    assert stdout(events) == "hidden\n"


async def test_precision_formats_floats_and_resets():
    shell, events = fresh()
    await shell.run_cell("%precision 3")
    await shell.run_cell("3.14159265")
    await shell.run_cell("%precision")
    await shell.run_cell("3.14159265")
    assert results(events) == ["'%.3f'", "3.142", "'%r'", "3.14159265"]


async def test_xmode_lsmagic_magic_and_conda():
    shell, events = fresh()
    await shell.run_cell("%xmode Minimal")
    assert stdout(events) == "Exception reporting mode: Minimal\n"
    events.clear()
    await shell.run_cell("%lsmagic")
    text = stdout(events)
    for name in ("%time", "%timeit", "%run", "%who", "%%writefile", "%%capture", "%%html"):
        assert name in text
    events.clear()
    await shell.run_cell("%magic")
    assert "%timeit:" in stdout(events)
    await shell.run_cell("%conda install numpy")
    assert "conda is not available in Pyloom" in stderr_text(events) and "%pip install" in stderr_text(events)


async def test_variable_expansion_in_magics_but_not_in_time():
    shell, events = fresh()
    await shell.run_cell("name = 'PYLOOM_Y'\n%env $name=expanded")
    assert os.environ["PYLOOM_Y"] == "expanded"
    events.clear()
    await shell.run_cell("v = 3\n!echo {v * 2} $v $NOT_A_PY_VAR")
    assert stdout(events) == "6 3 $NOT_A_PY_VAR\n"
