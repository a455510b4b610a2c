"""IPython's cell syntax turned into Python, line for line (pyloom.inputtransform)."""

from pyloom.inputtransform import transform_cell


def lines_of(source):
    out = transform_cell(source)
    assert out.count("\n") == source.count("\n"), (source, out)
    return out.split("\n")


def test_plain_python_is_returned_unchanged_and_as_the_same_object():
    for source in ("x = 1\nprint(x)", "a != b", "'%d' % 3", "d = {'a': 1}\nd['a']", "x = y % 2  # 50%"):
        assert transform_cell(source) is source


def test_line_magic_anywhere_a_statement_stands_including_indented():
    assert lines_of("%time f()") == ["get_ipython().run_line_magic('time', 'f()')"]
    assert lines_of("for i in range(2):\n    %who\n    x = i") == [
        "for i in range(2):",
        "    get_ipython().run_line_magic('who', '')",
        "    x = i",
    ]


def test_assignments_from_a_magic_and_from_a_shell_command():
    assert lines_of("x = %time f()") == ["x = get_ipython().run_line_magic('time', 'f()')"]
    assert lines_of("files = !ls -l") == ["files = get_ipython().getoutput('ls -l')"]
    assert lines_of("a, b = %who_ls") == ["a, b = get_ipython().run_line_magic('who_ls', '')"]


def test_shell_escapes_and_pip():
    assert lines_of("!ls data") == ["get_ipython().system('ls data')"]
    assert lines_of("!!ls") == ["get_ipython().getoutput('ls')"]
    assert lines_of("!pip install tqdm") == ['await __import__("pyloom.packages", fromlist=["pip"]).pip(\'install tqdm\')']
    assert lines_of("%pip install tqdm") == lines_of("!pip install tqdm")


def test_help_forms():
    assert lines_of("len?") == ["get_ipython().run_line_magic('pinfo', 'len')"]
    assert lines_of("os.path.join??") == ["get_ipython().run_line_magic('pinfo2', 'os.path.join')"]
    assert lines_of("?len") == ["get_ipython().run_line_magic('pinfo', 'len')"]
    assert lines_of("%timeit?") == ["get_ipython().run_line_magic('pinfo', '%timeit')"]


def test_cell_magic_takes_the_whole_cell_and_keeps_the_line_count():
    source = "%%time\nx = 1\nx + 1"
    out = lines_of(source)
    assert out[0] == "get_ipython().run_cell_magic('time', '', 'x = 1\\nx + 1')"
    assert out[1:] == ["", ""]
    # Leading blank lines are allowed, as IPython strips them.
    assert lines_of("\n%%writefile -a f.py\nbody")[1] == "get_ipython().run_cell_magic('writefile', '-a f.py', 'body')"


def test_magics_in_strings_comments_and_continuations_are_left_alone():
    sources = [
        's = """\n%time f()\n!ls\n"""',
        "x = 1  # %time f()\n# !ls",
        "call(a,\n     %b)",
        "t = ('a',\n!x)",
        "s = '''\nlen?\n'''",
        "x = 1 \\\n%time",
    ]
    for source in sources:
        assert transform_cell(source) == source, source


def test_magic_after_a_multiline_string_is_transformed():
    out = lines_of('s = """\n%not\n"""\n%who')
    assert out[1] == "%not" and out[3] == "get_ipython().run_line_magic('who', '')"


def test_backslash_continued_magic_keeps_the_lines_after_it_in_place():
    out = lines_of("%timeit -n 1 \\\n  sum(range(3))\nx = 1")
    assert out == ["get_ipython().run_line_magic('timeit', '-n 1  sum(range(3))')", "", "x = 1"]


def test_quotes_inside_a_magic_line_do_not_open_a_string():
    out = lines_of('!echo "it\'s"\n%who')
    assert out[1] == "get_ipython().run_line_magic('who', '')"


def test_the_pip_call_the_shell_looks_for_is_what_the_transformer_writes():
    from pyloom import shell
    from pyloom.inputtransform import PIP_CALL

    assert shell._PIP_CALL == PIP_CALL
