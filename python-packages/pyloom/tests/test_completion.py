"""Tab completion: names, attributes, imports; never inside strings or comments; never runs code."""

import math
import os
import sys
import time

from _support import fresh
from pyloom import completion_items, package_settings
from pyloom.completion import complete


def labels(code: str, namespace: dict | None = None, cursor: int | None = None) -> list[str]:
    result = complete(code, len(code) if cursor is None else cursor, {} if namespace is None else namespace)
    return [item["label"] for item in result["items"]]


def item(code: str, label: str, namespace: dict | None = None) -> dict:
    result = complete(code, len(code), {} if namespace is None else namespace)
    found = [i for i in result["items"] if i["label"] == label]
    assert found, f"{label!r} not offered for {code!r}: {[i['label'] for i in result['items']][:20]}"
    return found[0]


class Gadget:
    LIMIT = 10
    _secret = 1

    def __init__(self) -> None:
        self.size = 3
        self.child = Part()

    def resize(self, width, height=1):
        return width

    @classmethod
    def build(cls, spec):
        return cls()

    @property
    def broken(self):
        raise RuntimeError("getters that raise must not break completion")


class Part:
    def __init__(self) -> None:
        self.label_text = "part"

    def polish(self, amount=1):
        return amount


def test_names_from_namespace_builtins_and_keywords():
    ns = {"my_value": 1, "my_function": lambda x: x, "math": math}
    result = complete("my_", 3, ns)
    assert result == {
        "from": 0,
        "to": 3,
        "items": [
            {"label": "my_function", "type": "function", "detail": "(x)"},
            {"label": "my_value", "type": "variable"},
        ],
    }
    assert item("pri", "print")["type"] == "function"
    assert item("Val", "ValueError")["type"] == "class"
    assert item("whi", "while")["type"] == "keyword"
    assert item("ma", "math", ns)["type"] == "module"
    assert "math" not in labels("ma")  # only names that exist
    # Mid-line, after an operator or an open bracket.
    assert labels("x = (my_v", ns) == ["my_value"]
    assert complete("x = (my_v + 1)", 9, ns)["from"] == 5


def test_attributes_of_a_module():
    ns = {"math": math}
    result = complete("import math; math.sq", 20, ns)
    assert result == {"from": 18, "to": 20, "items": [{"label": "sqrt", "type": "function", "detail": "(x, /)"}]}
    assert item("math.", "pi", ns)["type"] == "variable"
    assert "sqrt" in labels("math.", ns)


def test_chained_attributes_and_their_types():
    ns = {"os": os, "g": Gadget()}
    assert item("os.path.jo", "join", ns)["type"] == "function"
    assert labels("g.child.pol", ns) == ["polish"]
    assert item("g.child.", "label_text", ns)["type"] == "variable"
    resize = item("g.res", "resize", ns)
    assert resize == {"label": "resize", "type": "method", "detail": "(width, height=1)"}  # bound: no self
    assert item("g.bui", "build", ns)["detail"] == "(spec)"
    assert item("g.", "LIMIT", ns)["type"] == "constant"
    assert item("g.", "broken", ns)["type"] == "property"
    assert item("Gadget.res", "resize", {"Gadget": Gadget})["detail"] == "(self, width, height=1)"
    assert item("g.", "size", ns)["type"] == "variable"
    # Methods of builtin types, bound the same way.
    assert item("s.upp", "upper", {"s": "text"}) == {"label": "upper", "type": "method", "detail": "()"}


def test_a_property_whose_getter_raises_does_not_break_completion():
    ns = {"g": Gadget()}
    assert "broken" in labels("g.", ns)
    assert labels("g.broken.", ns) == []
    assert labels("g.broken.x", ns) == []
    assert labels("g.size.real", ns) == ["real"]


def test_nothing_but_attribute_access_runs():
    calls = []

    class Spy:
        def __getattr__(self, name):
            calls.append(name)
            raise AttributeError(name)

        @property
        def watched(self):
            calls.append("watched")
            return 1

    def make():
        calls.append("make")
        return Spy()

    ns = {"make": make, "spy": Spy(), "items": [Spy()], "d": {"k": Spy()}}
    for code in ("make().", "make().wa", "items[0].", "d['k'].", "(spy).", "spy.wa", "spy.", "spy.missing.x"):
        complete(code, len(code), ns)
    assert calls == ["missing"]  # only the dotted name itself was looked up; no getter ran
    assert labels("make().", ns) == []
    assert labels("items[0].", ns) == []
    assert labels("1.", ns) == []
    assert labels("'text'.", ns) == []


def test_dir_errors_are_swallowed():
    class Odd:
        def __dir__(self):
            raise RuntimeError("no listing")

    assert labels("o.", {"o": Odd()}) == []
    assert labels("o", {"o": Odd()})[:6] == ["o", "object", "oct", "open", "or", "ord"]


def test_import_completion():
    assert labels("import jso")[0] == "json"
    assert item("import ma", "math")["type"] == "module"
    assert "path" in labels("import os.pa")
    assert {"etree", "dom", "sax", "parsers"} <= set(labels("import xml."))
    assert "ElementTree" in labels("import xml.etree.")
    assert "os" in labels("import json, o")
    assert "os" in labels("from o")
    assert labels("from json im") == ["import"]
    assert labels("import json a") == ["as"]
    assert labels("import json as j") == []  # a new name
    assert labels("from . import ") == []
    assert labels("x = 1; import jso")[0] == "json"
    assert labels("if True:\n    import jso")[0] == "json"


def test_import_completion_lists_lock_packages_not_installed_yet():
    saved = package_settings.lock_json
    package_settings.lock_json = '{"packages": {"fake-dist": {"imports": ["fakepkg_from_lock"]}}}'
    try:
        assert item("import fakepkg_from", "fakepkg_from_lock")["type"] == "module"
    finally:
        package_settings.lock_json = saved
    assert labels("import fakepkg_from") == []


def test_from_import_lists_names_of_imported_modules_only():
    import json

    assert json.__name__ in sys.modules
    assert labels("from json import lo") == ["load", "loads"]
    assert labels("from json import (dumps,\n    lo") == ["load", "loads"]
    assert item("from json import ", "decoder")["type"] == "module"
    assert item("from json import JSONDecoder, JSONDecodeE", "JSONDecodeError")["type"] == "class"
    assert labels("from json import loads as l") == []
    # Not imported: only its submodules, read from disk; completing does not import it.
    assert "wsgiref.handlers" not in sys.modules
    offered = labels("from wsgiref import ")
    assert {"handlers", "simple_server"} <= set(offered)
    assert "BaseHandler" not in offered
    assert labels("import wsgiref.hand") == ["handlers"]
    assert "wsgiref" not in sys.modules and "wsgiref.handlers" not in sys.modules


def test_no_completion_inside_strings_and_comments():
    ns = {"math": math}
    for code in (
        'x = "math.sq',
        "x = 'ma",
        'x = "it\\"s math.sq',
        "x = '''a'' math.sq",
        "x = 'a\\\nmath.sq",  # a backslash-newline continues the string
        "x = 'a\\",
        'x = f"{math.sq',
        '"""doc\nmath.sq',
        "d['ke",
        "# math.sq",
        "x = 1  # ma",
        "import json  # jso",
        "def ma",
        "class Ma",
    ):
        assert complete(code, len(code), ns)["items"] == [], code
    # …and completion resumes after the string or comment ends.
    assert labels("x = 'a # b'; math.sq", ns) == ["sqrt"]
    assert labels('"""doc\n"""\nmath.sq', ns) == ["sqrt"]
    assert labels("# comment\nmath.sq", ns) == ["sqrt"]
    assert labels("x = 'it\\'s'; math.sq", ns) == ["sqrt"]
    assert labels("x = 'a\nmath.sq", ns) == ["sqrt"]  # an unclosed one-line string ends at its line


def test_private_names_only_after_an_underscore():
    ns = {"g": Gadget(), "_hidden": 1, "shown": 2}
    assert "_secret" not in labels("g.", ns)
    assert "__init__" not in labels("g.", ns)
    assert labels("g._s", ns) == ["_secret"]
    assert labels("g.__in", ns) == ["__init__", "__init_subclass__"]
    assert labels("_hid", ns) == ["_hidden"]
    assert "_hidden" not in labels("", ns)
    # After "_": public-looking names cannot match, single-underscore names come before dunders.
    after_underscore = labels("g._", ns)
    assert after_underscore[0] == "_secret" and after_underscore[1].startswith("__")


def test_order_prefix_then_public_then_alphabetical_and_a_cap():
    ns = {"Alpha": 1, "alpha_two": 2, "alpha": 3, "ALPHA_MAX": 4, "beta": 5}
    assert labels("al", ns) == ["all", "alpha", "alpha_two", "Alpha", "ALPHA_MAX"]
    many = {f"name_{i:04}": i for i in range(2000)}
    result = complete("name_", 5, many)
    assert len(result["items"]) == completion_items.MAX_ITEMS
    assert result["items"][0]["label"] == "name_0000"
    # Signatures only for the first items: the rest are listed without one.
    funcs = {f"f_{i:03}": (lambda a: a) for i in range(100)}
    details = [i.get("detail") for i in complete("f_", 2, funcs)["items"]]
    assert details[: completion_items.MAX_DETAILS] == ["(a)"] * completion_items.MAX_DETAILS
    assert set(details[completion_items.MAX_DETAILS :]) == {None}


def test_offsets_are_code_points():
    ns = {"math": math}
    code = "s = '😀é'; math.sq"
    result = complete(code, len(code), ns)
    assert result["from"] == len(code) - 2 and result["to"] == len(code)
    assert [i["label"] for i in result["items"]] == ["sqrt"]
    # The cursor need not be at the end: only the text before it counts.
    code = "math.sq + 1"
    sqrt = {"label": "sqrt", "type": "function", "detail": "(x, /)"}
    assert complete(code, 7, ns) == {"from": 5, "to": 7, "items": [sqrt]}
    assert complete("x", 99, {})["to"] == 1  # clamped


async def test_the_shell_completes_from_the_namespace_its_cells_run_in():
    shell, _ = fresh()
    await shell.run_cell("zebra_count = 3\nclass Zoo:\n    def feed(self, animal): ...\nzoo = Zoo()")
    assert shell.complete("zebra_c", 7)["items"] == [{"label": "zebra_count", "type": "variable"}]
    assert shell.complete("zoo.fe", 6)["items"] == [{"label": "feed", "type": "method", "detail": "(animal)"}]


def test_cost_per_keystroke():
    ns = {"math": math, "os": os, **{f"var_{i}": i for i in range(300)}}
    complete("import o", 8, ns)  # the first import completion scans sys.path (once)
    runs = 50
    timings = {}
    for code in ("pr", "math.", "os.path.", "import o", ""):
        start = time.perf_counter()
        for _ in range(runs):
            complete(code, len(code), ns)
        timings[code or "(empty)"] = (time.perf_counter() - start) / runs
    figures = ", ".join(f"{code!r} {seconds * 1e3:.2f} ms" for code, seconds in timings.items())
    sys.__stdout__.write(f"completion per call: {figures}\n")
    assert max(timings.values()) < 1  # a sanity bound only (seconds); the figures above matter
