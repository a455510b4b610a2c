"""File magics and shell escapes on the in-memory file system: %%writefile, %run, %load, %cd, !ls…"""

import json
import os
import tempfile

from _support import fresh, of_type, plain_traceback, results, stderr_text, stdout


class InTempDir:
    """Run inside a fresh folder and come back (the shell's cwd is process-wide)."""

    def __enter__(self):
        self.old = os.getcwd()
        self.tmp = tempfile.TemporaryDirectory()
        os.chdir(self.tmp.name)
        return self.tmp.name

    def __exit__(self, *exc):
        os.chdir(self.old)
        self.tmp.cleanup()


async def test_writefile_then_import_the_module():
    shell, events = fresh()
    with InTempDir():
        await shell.run_cell("%%writefile hello_mod_a.py\ndef hi():\n    return 'hi there'")
        await shell.run_cell("%%writefile hello_mod_a.py\ndef hi():\n    return 'hi again'")
        await shell.run_cell("%%writefile -a hello_mod_a.py\nEXTRA = 1")
        assert stdout(events) == "Writing hello_mod_a.py\nOverwriting hello_mod_a.py\nAppending to hello_mod_a.py\n"
        reply = await shell.run_cell("import hello_mod_a\nhello_mod_a.hi(), hello_mod_a.EXTRA")
        assert reply["status"] == "ok", of_type(events, "error")
        assert results(events) == ["('hi again', 1)"]


async def test_ls_and_friends_see_files_a_cell_wrote():
    shell, events = fresh()
    with InTempDir():
        await shell.run_cell("open('b.csv', 'w').write('x,y\\n1,2\\n3,4\\n')\nopen('a.txt', 'w').write('one two\\n')\n!mkdir -p sub/deep")
        events.clear()
        await shell.run_cell("!ls")
        assert stdout(events) == "a.txt\nb.csv\nsub\n"
        events.clear()
        await shell.run_cell("files = !ls\nfiles, files.s")
        assert results(events) == ["(['a.txt', 'b.csv', 'sub'], 'a.txt b.csv sub')"]
        events.clear()
        await shell.run_cell("!head -n 2 b.csv\n!tail -1 b.csv\n!wc -l b.csv\n!cat a.txt")
        assert stdout(events) == "x,y\n1,2\n3,4\n3 b.csv\none two\n"
        events.clear()
        await shell.run_cell("!cp a.txt sub/c.txt\n!mv b.csv sub/\n!rm a.txt\n!ls -F sub")
        assert stdout(events) == "b.csv\nc.txt\ndeep/\n"
        events.clear()
        await shell.run_cell("!ls nothing_here\n_exit_code")
        assert stderr_text(events) == "ls: cannot access 'nothing_here': No such file or directory\n"
        assert results(events) == ["2"]


async def test_other_commands_give_one_clear_line():
    shell, events = fresh()
    reply = await shell.run_cell("!curl https://example.org/data.csv")
    assert reply["status"] == "ok"
    text = stderr_text(events)
    assert text.count("\n") == 1
    assert text.startswith("!curl: there is no shell in the browser") and "urllib.request" in text and "pyodide.http" in text
    events.clear()
    await shell.run_cell("!git clone x")
    assert "!git:" in stderr_text(events) and "!pip (= %pip)" in stderr_text(events)


async def test_cd_pwd_and_ls_magics():
    shell, events = fresh()
    with InTempDir() as folder:
        os.mkdir("inner")
        await shell.run_cell("%cd inner")
        assert os.getcwd() == os.path.join(os.path.realpath(folder), "inner") or os.getcwd().endswith("/inner")
        await shell.run_cell("%pwd")
        assert results(events) == [repr(os.getcwd())]
        await shell.run_cell("%cd -")
        assert os.path.realpath(os.getcwd()) == os.path.realpath(folder)
        reply = await shell.run_cell("%cd does_not_exist")
        assert reply["status"] == "error" and of_type(events, "error")[0]["ename"] == "UsageError"
        events.clear()
        await shell.run_cell("%ls")
        assert stdout(events) == "inner\n"


async def test_run_a_script_keeps_its_variables_and_sets_argv():
    shell, events = fresh()
    with InTempDir():
        with open("script.py", "w") as f:
            f.write("import sys\nARGS = sys.argv[1:]\nNAME = __name__\ndef double(v):\n    return 2 * v\nprint('ran')\n")
        reply = await shell.run_cell("%run script.py a b\ndouble(21), ARGS, NAME")
        assert reply["status"] == "ok", of_type(events, "error")
        assert stdout(events) == "ran\n"
        assert results(events) == ["(42, ['a', 'b'], '__main__')"]


async def test_run_i_sees_the_notebooks_variables():
    shell, events = fresh()
    with InTempDir():
        with open("uses.py", "w") as f:
            f.write("result = base * 2\n")
        await shell.run_cell("base = 5")
        reply = await shell.run_cell("%run uses.py")
        assert reply["status"] == "error" and of_type(events, "error")[0]["ename"] == "NameError"
        await shell.run_cell("%run -i uses.py\nresult")
        assert results(events) == ["10"]


async def test_run_a_notebook_cell_by_cell_with_its_magics():
    shell, events = fresh()
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# title"},
            {"cell_type": "code", "metadata": {}, "source": ["x = 20\n", "print('first')"], "outputs": [], "execution_count": None},
            {"cell_type": "code", "metadata": {}, "source": "%time y = x + 22", "outputs": [], "execution_count": None},
        ],
    }
    with InTempDir():
        with open("other.ipynb", "w") as f:
            json.dump(notebook, f)
        reply = await shell.run_cell("%run other.ipynb\ny")
        assert reply["status"] == "ok", of_type(events, "error")
        assert stdout(events).startswith("first\nCPU times:")
        assert results(events) == ["42"]


async def test_run_errors_name_the_file():
    shell, events = fresh()
    with InTempDir():
        with open("bad.py", "w") as f:
            f.write("a = 1\nraise ValueError('from the script')\n")
        await shell.run_cell("%run bad.py")
        tb = plain_traceback(of_type(events, "error")[0])
        assert "bad.py:2" in tb and "from the script" in tb
        await shell.run_cell("%run missing.py")
        assert of_type(events, "error")[1]["evalue"].startswith("File `'missing.py'` not found")


async def test_pinfo_shows_signature_type_docstring_and_source():
    shell, events = fresh()
    await shell.run_cell("len?")
    text = plain_traceback({"traceback": [of_type(events, "display_data")[0]["data"]["text/plain"]]})
    assert text.splitlines() == [
        "Signature: len(obj, /)",
        "Docstring: Return the number of items in a container.",
        "Type:      builtin_function_or_method",
    ]
    events.clear()
    await shell.run_cell("def add(a, b=1):\n    '''Add two numbers.'''\n    return a + b")
    await shell.run_cell("add??")
    text = plain_traceback({"traceback": [of_type(events, "display_data")[0]["data"]["text/plain"]]})
    assert text.startswith("Signature: add(a, b=1)\nSource:\ndef add(a, b=1):\n    '''Add two numbers.'''")
    assert text.rstrip().endswith("Type:      function")
    events.clear()
    await shell.run_cell("?nothing_named_so")
    assert stdout(events) == "Object `nothing_named_so` not found.\n"


async def test_bash_cell_runs_each_line_through_the_emulated_shell():
    shell, events = fresh()
    with InTempDir():
        await shell.run_cell("%%bash\n# make a folder\nmkdir data\necho made > data/x.txt\ncat data/x.txt\nls")
        # No redirections: `>` is an argument to echo, as the emulation says.
        assert stdout(events) == "made > data/x.txt\ndata\n"
        assert "cat: data/x.txt: No such file or directory" in stderr_text(events)
        await shell.run_cell("%sx ls")
        assert results(events) == ["['data']"]
