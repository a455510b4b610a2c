"""pyloom.import_hooks: code that runs right after a module is first imported."""

from __future__ import annotations

import sys
import tempfile

from pyloom import import_hooks


def _module_dir(name: str, source: str) -> str:
    folder = tempfile.mkdtemp()
    with open(f"{folder}/{name}.py", "w") as file:
        file.write(source)
    sys.path.insert(0, folder)
    return folder


def test_hook_runs_after_the_module_executed_and_only_once():
    folder = _module_dir("pyloom_hooked_a", "VALUE = 41\n")
    seen = []
    try:
        import_hooks.when_imported("pyloom_hooked_a", lambda module: seen.append(module.VALUE + 1))
        assert seen == []
        import pyloom_hooked_a  # noqa: F401

        assert seen == [42]
        del sys.modules["pyloom_hooked_a"]
        import pyloom_hooked_a  # noqa: F401,F811

        assert seen == [42]
    finally:
        sys.path.remove(folder)


def test_hook_for_an_imported_module_runs_at_once():
    seen = []
    import_hooks.when_imported("json", lambda module: seen.append(module.__name__))
    assert seen == ["json"]


def test_a_failing_hook_is_reported_and_the_import_still_works(capsys=None):
    folder = _module_dir("pyloom_hooked_b", "VALUE = 1\n")
    import contextlib
    import io

    errors = io.StringIO()
    try:
        import_hooks.when_imported("pyloom_hooked_b", lambda module: 1 / 0)
        with contextlib.redirect_stderr(errors):
            import pyloom_hooked_b

        assert pyloom_hooked_b.VALUE == 1
        assert "pyloom: could not wire pyloom_hooked_b: ZeroDivisionError" in errors.getvalue()
    finally:
        sys.path.remove(folder)
