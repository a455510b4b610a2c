"""Package helpers: the import scan, requirements and versions, the %pip rewrite."""

import time

from _support import require
from pyloom.packages import find_imports, missing_imports
from pyloom.shell import transform_magics


def test_find_imports_sees_top_level_names_only():
    source = (
        "import numpy as np, os.path\nfrom pandas.io import json\nfrom . import local\ndef f():\n    import scipy.stats\nx = 'import fake'"
    )
    assert find_imports(source) == ["numpy", "os", "pandas", "scipy"]
    assert find_imports("x = 1") == []
    assert find_imports("import (") == []  # a syntax error is the shell's to report


def test_missing_imports_and_its_cost_when_nothing_is_new():
    source = "import math, json, sys\nfrom collections import OrderedDict\nimport asyncio\n" + "x = 1\n" * 200
    assert missing_imports(source) == []
    assert missing_imports("import surely_not_installed_pkg") == ["surely_not_installed_pkg"]
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        missing_imports(source)
    per_cell = (time.perf_counter() - start) / runs
    no_import = time.perf_counter()
    for _ in range(runs):
        missing_imports("x = 1\n" * 200)
    per_plain_cell = (time.perf_counter() - no_import) / runs
    import sys

    sys.__stdout__.write(
        f"import scan, cell with 5 imports already loaded + 200 lines: {per_cell * 1e6:.0f} µs; "
        f"cell without imports: {per_plain_cell * 1e6:.1f} µs\n"
    )
    assert per_cell < 1  # a sanity bound only (seconds); the figure above is what matters


def test_requirements_and_versions():
    # packaging is the genuine wheel from ../shared/wheels (the runner puts it on sys.path).
    require("packaging")
    from pyloom.packages import PackageError, _requirement, satisfies

    requirement = _requirement("Foo_Bar[extra]>=1.0,<2 ; python_version>'3.8'")
    assert (requirement.name, {str(s) for s in requirement.specifier}, requirement.extras) == ("Foo_Bar", {">=1.0", "<2"}, {"extra"})
    assert satisfies("1.0rc1", "<1.0.1") and satisfies("1.0", "<1.0.1") and satisfies("1.10", ">1.9")
    assert not satisfies("1.0rc1", "<1.0")  # PEP 440: <V excludes V's own pre-releases
    assert satisfies("1.4.5", "~=1.4.2") and not satisfies("1.5.0", "~=1.4.2")
    assert satisfies("2.0.0", ">=1.0,<3") and not satisfies("3.0", "<3")
    assert satisfies("1.2.9", "==1.2.*") and not satisfies("1.3", "==1.2.*")
    assert satisfies("2.0", "==2") and not satisfies("2.0", "!=2.0.0")
    # Post-releases, local versions and epochs (the hand-written resolver got these wrong).
    assert satisfies("1.0.post1", ">=1.0") and not satisfies("1.0.post1", "<=1.0") and satisfies("1.0.post1", "==1.0.post1")
    assert not satisfies("1.0.post1", ">1.0")  # PEP 440: >V excludes V's own post-releases
    assert satisfies("1.0+local", "==1.0") and satisfies("1.0+cpu.2", "<=1.0") and not satisfies("1.0+local", ">1.0")
    assert satisfies("1!1.0", ">2.0") and not satisfies("1!1.0", "<2.0") and satisfies("2.0", "<1!0.1")
    assert satisfies("anything", "") and not satisfies("not a version", ">=1")
    try:
        _requirement("bad name !!")
    except PackageError as exc:
        assert "cannot read the requirement" in str(exc)
    else:
        raise AssertionError("a malformed requirement was accepted")


def test_pip_magic_rewrite_keeps_lines():
    source = "x = 1\n%pip install pandas==2.0 'b>1'\n  !pip list\ny = 2"
    out = transform_magics(source)
    lines = out.splitlines()
    assert len(lines) == 4 and lines[0] == "x = 1" and lines[3] == "y = 2"
    assert lines[1] == 'await __import__("pyloom.packages", fromlist=["pip"]).pip("install pandas==2.0 \'b>1\'")'
    assert lines[2].startswith('  await __import__("pyloom.packages"') and lines[2].endswith(".pip('list')")
    assert transform_magics("print('%pip')") == "print('%pip')"
