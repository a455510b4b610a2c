"""Libraries that ask IPython whether they run in a notebook take their notebook branch.

tqdm, ipywidgets (with traitlets and comm) run from the genuine wheels in ../shared/wheels, which
the test harness unpacks into $PYLOOM_TEST_WHEELS; pandas, sympy and matplotlib are not
available offline for this Pyodide, so their tests skip with the reason when absent (Plotly, Altair
and Bokeh: test_plot_defaults).
"""

import os
import sys

from _support import fresh, of_type, require, results, skip

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def use_shared_wheels(*modules):
    folder = os.environ.get("PYLOOM_TEST_WHEELS", "")
    missing = os.environ.get("PYLOOM_TEST_WHEELS_MISSING", "")
    if not folder or not os.path.isdir(folder):
        skip("the shared test wheels were not unpacked (run through test/unit/python-package.test.ts)")
    if folder not in sys.path:
        sys.path.append(folder)
    for module in modules:
        try:
            __import__(module)
        except ImportError as exc:
            skip(f"{module} is not available: {exc}; missing wheels: {missing or 'none'}")


async def started_shell():
    shell, events = fresh()
    import IPython  # noqa: F401  (pyloom.start imports the stand-in; libraries look in sys.modules)

    await shell.run_cell("pass")
    return shell, events


async def test_tqdm_auto_takes_the_notebook_widget_branch():
    shell, events = await started_shell()
    use_shared_wheels("ipywidgets", "tqdm")
    reply = await shell.run_cell("from tqdm.auto import tqdm, trange\ntotal = sum(trange(3))\ntqdm.__module__, total")
    assert reply["status"] == "ok", of_type(events, "error")
    # tqdm.auto is tqdm.asyncio over tqdm.autonotebook's choice: the notebook class in its bases.
    assert "tqdm.notebook" in [c.__module__ for c in shell.user_ns["tqdm"].__mro__]
    assert results(events)[-1] == "('tqdm.auto', 3)"
    assert any(WIDGET_VIEW in e["data"] for e in of_type(events, "display_data"))


async def test_ipywidgets_8_imports_and_registers_its_comm_targets():
    shell, events = await started_shell()
    use_shared_wheels("traitlets", "comm", "ipywidgets")
    reply = await shell.run_cell(
        "import ipywidgets, comm\n"
        "slider = ipywidgets.IntSlider(value=3)\n"
        "sorted(t for t in comm.get_comm_manager().targets if t.startswith('jupyter.widget')), ipywidgets.__version__.split('.')[0]"
    )
    assert reply["status"] == "ok", of_type(events, "error")
    assert results(events)[-1] == "(['jupyter.widget', 'jupyter.widget.control'], '8')"
    await shell.run_cell("slider")
    assert WIDGET_VIEW in of_type(events, "execute_result")[-1]["data"]
    # A failing widget callback is shown through get_ipython().showtraceback(), as in Jupyter.
    await shell.run_cell(
        "def bad(change):\n    raise ValueError('in callback')\nslider.observe(bad, 'value')\nout = ipywidgets.Output()\nwith out:\n    raise KeyError('inside output')\n'continued'"
    )
    assert results(events)[-1] == "'continued'"
    assert of_type(events, "error")[-1]["ename"] == "KeyError"


async def test_pandas_sees_a_notebook_frontend():
    shell, events = await started_shell()
    require("pandas")
    await shell.run_cell("from pandas.io.formats.console import in_ipython_frontend\nin_ipython_frontend()")
    assert results(events)[-1] == "True"


async def test_sympy_init_printing_uses_latex_in_the_notebook():
    shell, events = await started_shell()
    require("sympy")
    await shell.run_cell("import sympy\nsympy.init_printing()\nsympy.Symbol('x')**2")
    data = of_type(events, "execute_result")[-1]["data"]
    assert "text/latex" in data and "x^{2}" in data["text/latex"]


async def test_matplotlib_registers_its_post_execute_hook():
    shell, events = await started_shell()
    require("matplotlib")
    await shell.run_cell("import matplotlib.pyplot as plt\nplt.ion()\nplt.install_repl_displayhook()")
    callbacks = shell.user_ns["get_ipython"]().events.callbacks["post_execute"]
    assert any(getattr(c, "__name__", "") == "_draw_all_if_interactive" for c in callbacks)
