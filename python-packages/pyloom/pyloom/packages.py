"""Packages for cells: what a cell imports is loaded before it runs, and ``%pip`` installs.

Two sources, one policy:
- packages in Pyodide's lock file (numpy, pandas, …: compiled for Pyodide) load through
  ``pyodide_js.loadPackage`` from the configured package base URL, sha256-checked by Pyodide;
- anything else is looked up on the configured package indexes (PEP 691 JSON or PEP 503 HTML
  "simple" pages) and installed if a pure-Python wheel exists, its sha256 checked here.

All downloads are ordinary ``fetch`` calls in the worker, so the worker sees (and reports progress
for, and can cache) every package request in one place.
"""

from __future__ import annotations

import hashlib
import html.parser
import importlib
import importlib.metadata
import importlib.util
import io
import json
import re
import sys
import sysconfig
import zipfile
from dataclasses import dataclass, field
from typing import Any

FAQ = "https://pyodide.org/en/stable/usage/faq.html#why-can-t-micropip-find-a-pure-python-wheel-for-a-package"
NEW_PACKAGES = "https://pyodide.org/en/stable/development/new-packages.html"


class PackageError(ImportError):
    """A package could not be installed; the message says why and what to do."""


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Config:
    pyodide_version: str = "unknown"
    index_urls: list[str] = field(default_factory=list)
    lock: dict[str, Any] = field(default_factory=dict)
    _imports: dict[str, str] | None = None

    @property
    def import_map(self) -> dict[str, str]:
        """Top-level import name → lock package name."""
        if self._imports is None:
            self._imports = {}
            for name, entry in self.lock.get("packages", {}).items():
                for module in entry.get("imports", []):
                    self._imports.setdefault(module, name)
        return self._imports

    def lock_entry(self, name: str) -> dict[str, Any] | None:
        packages = self.lock.get("packages", {})
        return packages.get(name) or packages.get(normalize(name))


config = Config()


def _load_settings() -> None:
    from . import package_settings

    configure(
        pyodide_version=package_settings.pyodide_version,
        index_urls=list(package_settings.index_urls),
        lock_json=package_settings.lock_json,
    )
# Why an import could not be installed: added as a note to the ModuleNotFoundError it causes.
import_failures: dict[str, str] = {}


def configure(*, pyodide_version: str, index_urls: list[str], lock_json: str | None) -> None:
    config.pyodide_version = pyodide_version
    config.index_urls = [u.rstrip("/") + "/" for u in index_urls]
    config.lock = json.loads(lock_json) if lock_json else {}
    config._imports = None


_load_settings()


# ---- the cell's imports ------------------------------------------------------------------
def find_imports(source: str) -> list[str]:
    """Top-level module names the cell imports (absolute imports only), without running it."""
    if "import" not in source:
        return []  # the common case costs one substring search
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # the shell reports the syntax error when it compiles the cell
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return list(dict.fromkeys(names))


def _importable(module: str) -> bool:
    if module in sys.modules:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


# Lines that look like imports: a cheap first look before parsing the whole cell.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)|from[ \t]+(\w[\w.]*)[ \t]+import)", re.MULTILINE)


def missing_imports(source: str) -> list[str]:
    """What the cell imports that cannot be imported yet: the per-cell cost when nothing is new.

    Usually everything a cell imports is loaded already; the line scan shows that without parsing.
    Only when a candidate is missing is the cell parsed, so a docstring that merely mentions
    ``import x`` on a line of its own cannot trigger a download.
    """
    candidates: set[str] = set()
    for names, module in _IMPORT_LINE.findall(source):
        for name in (names.split(",") if names else [module]):
            candidates.add(name.strip().split(".")[0])
    if all(_importable(name) for name in candidates):
        return []
    return [m for m in find_imports(source) if not _importable(m)]


async def prepare(source: str) -> None:
    """Load what the cell imports and is missing: lock packages, else pure-Python wheels.

    Failures do not stop the cell: the import then fails with a note saying why.
    """
    missing = missing_imports(source)
    if not missing:
        return
    from_lock = sorted({config.import_map[m] for m in missing if m in config.import_map})
    if from_lock:
        try:
            await load_from_lock(from_lock)
        except PackageError as exc:
            for module in missing:
                if config.import_map.get(module) in from_lock:
                    import_failures[module] = str(exc)
    for module in missing:
        if module in config.import_map or not config.index_urls:
            continue
        try:
            await install([module], quiet=True)
        except PackageError as exc:
            import_failures[module] = str(exc)


# ---- lock packages ------------------------------------------------------------------------
async def load_from_lock(names: list[str]) -> list[str]:
    import pyodide_js  # type: ignore[import-not-found]
    from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

    errors: list[str] = []
    on_error = create_proxy(lambda message: errors.append(str(message)))
    on_message = create_proxy(lambda message: None)
    try:
        loaded = await pyodide_js.loadPackage(
            to_js(names),
            to_js({"errorCallback": on_error, "messageCallback": on_message, "checkIntegrity": True}, dict_converter=_js_object),
        )
    finally:
        on_error.destroy()
        on_message.destroy()
    importlib.invalidate_caches()
    if errors:
        raise PackageError(
            f"could not load {', '.join(names)} (Pyodide {config.pyodide_version}): " + "; ".join(errors)
            + " — check the network and the packageBaseUrl setting"
        )
    return [p.name for p in loaded] if loaded is not None else names


def _js_object(entries: Any) -> Any:
    from js import Object  # type: ignore[import-not-found]

    return Object.fromEntries(entries)


# ---- pure-Python wheels from an index -----------------------------------------------------
_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*?)\s*(?:;\s*(.*))?$")


def parse_requirement(text: str) -> tuple[str, list[tuple[str, str]], str | None]:
    match = _REQ.match(text)
    if not match:
        raise PackageError(f"cannot read the requirement {text!r}; use name, name==1.2 or name>=1.0")
    name, spec, marker = match.groups()
    spec = spec.strip().strip("()")
    clauses = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        op = re.match(r"(===|==|!=|<=|>=|~=|<|>)\s*(.+)", part)
        if not op:
            raise PackageError(f"cannot read the version constraint {part!r} in {text!r}")
        clauses.append((op.group(1), op.group(2).strip()))
    return name, clauses, marker


def version_key(version: str) -> tuple:
    """Orders release versions; a pre-release (1.0rc1) sorts before its release (1.0)."""
    match = re.match(r"^v?(\d+(?:\.\d+)*)(.*)$", version.strip())
    if not match:
        return (0,) * 6 + (-1, version)
    numbers = tuple(int(n) for n in match.group(1).split("."))[:6]
    numbers += (0,) * (6 - len(numbers))
    return numbers + ((0 if not match.group(2) else -1), match.group(2))


def satisfies(version: str, clauses: list[tuple[str, str]]) -> bool:
    key = version_key(version)
    for op, wanted in clauses:
        if wanted.endswith(".*") and op in ("==", "!="):
            prefixed = (version + ".").startswith(wanted[:-1])
            if prefixed != (op == "=="):
                return False
            continue
        other = version_key(wanted)
        if op == "~=":
            # ~=1.4.2 means >=1.4.2 and ==1.4.*
            release = wanted.split(".")
            if key < other or key[: len(release) - 1] != other[: len(release) - 1]:
                return False
            continue
        ok = {
            "==": key == other,
            "===": version == wanted,
            "!=": key != other,
            ">=": key >= other,
            "<=": key <= other,
            ">": key > other,
            "<": key < other,
        }[op]
        if not ok:
            return False
    return True


@dataclass
class Candidate:
    filename: str
    url: str
    sha256: str | None
    version: str


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links.append((self._href, data.strip()))
            self._href = None


async def _fetch(url: str, *, json_accept: bool = False) -> tuple[int, str, bytes]:
    from pyodide.http import pyfetch  # type: ignore[import-not-found]

    headers = {"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.5"} if json_accept else {}
    try:
        response = await pyfetch(url, headers=headers)
    except Exception as exc:
        raise PackageError(f"could not reach {url}: {exc} (check the network, or configure a reachable index/mirror)") from None
    return response.status, response.headers.get("content-type", ""), await response.bytes()


async def find_candidates(name: str, index: str) -> list[Candidate]:
    from urllib.parse import urljoin

    page = f"{index}{normalize(name)}/"
    status, content_type, body = await _fetch(page, json_accept=True)
    if status == 404:
        return []
    if status >= 400:
        raise PackageError(f"the package index answered HTTP {status} for {page}")
    files: list[tuple[str, str, str | None]] = []
    if "json" in content_type:
        for entry in json.loads(body).get("files", []):
            files.append((entry["filename"], urljoin(page, entry["url"]), entry.get("hashes", {}).get("sha256")))
    else:
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        for href, text in parser.links:
            url, _, fragment = href.partition("#")
            sha = fragment[len("sha256="):] if fragment.startswith("sha256=") else None
            files.append((text or url.rsplit("/", 1)[-1], urljoin(page, url), sha))
    candidates = []
    for filename, url, sha in files:
        if not filename.endswith(".whl"):
            continue
        parts = filename[:-4].split("-")
        if len(parts) < 5:
            continue
        candidates.append(Candidate(filename, url, sha, parts[1]))
    return candidates


def _pure(candidate: Candidate) -> bool:
    return candidate.filename.endswith("-none-any.whl") and "py3" in candidate.filename.split("-")[-3]


async def install(requirements: list[str], *, quiet: bool = False, _seen: set[str] | None = None) -> list[str]:
    """Install requirements (``name``, ``name==1.0``…) with their dependencies. Returns what was installed."""
    seen = _seen if _seen is not None else set()
    installed: list[str] = []
    lock_names: list[str] = []
    for requirement in requirements:
        name, clauses, _marker = parse_requirement(requirement)
        key = normalize(name)
        if key in seen:
            continue
        seen.add(key)
        entry = config.lock_entry(key) or config.lock_entry(config.import_map.get(name, ""))
        if entry is not None:
            if clauses and not satisfies(entry["version"], clauses):
                raise PackageError(
                    f"{name} {entry['version']} is the version built for Pyodide {config.pyodide_version}; "
                    f"{requirement} cannot be met (Pyodide ships one version of compiled packages)"
                )
            lock_names.append(entry["name"])
            continue
        try:
            if satisfies(importlib.metadata.version(name), clauses):
                continue  # already installed
        except importlib.metadata.PackageNotFoundError:
            pass
        installed += await _install_from_index(name, clauses, requirement, quiet=quiet, seen=seen)
    if lock_names:
        installed += await load_from_lock(lock_names)
    return installed


async def _install_from_index(name: str, clauses: list[tuple[str, str]], requirement: str, *, quiet: bool, seen: set[str]) -> list[str]:
    if not config.index_urls:
        raise PackageError(
            f"{name!r} is not in Pyodide {config.pyodide_version} and no package index is configured "
            f"(set indexUrls); see {FAQ}"
        )
    binary_only: list[str] = []
    for index in config.index_urls:
        candidates = [c for c in await find_candidates(name, index) if satisfies(c.version, clauses)]
        pure = [c for c in candidates if _pure(c)]
        if not pure:
            binary_only += [c.filename for c in candidates]
            continue
        best = max(pure, key=lambda c: version_key(c.version))
        status, _, data = await _fetch(best.url)
        if status >= 400:
            raise PackageError(f"could not download {best.filename}: HTTP {status} from {best.url}")
        if best.sha256 and hashlib.sha256(data).hexdigest() != best.sha256:
            raise PackageError(
                f"refused {best.filename}: its sha256 is {hashlib.sha256(data).hexdigest()}, the index says {best.sha256} "
                f"(the file at {best.url} is not the one the index describes); nothing was installed"
            )
        dependencies = _unpack(data)
        if not quiet:
            print(f"Installed {name} {best.version} from {index}")
        importlib.invalidate_caches()
        return [name] + await install(dependencies, quiet=quiet, _seen=seen)
    indexes = ", ".join(config.index_urls)
    if binary_only:
        raise PackageError(
            f"{name!r} has no pure-Python wheel on {indexes}, only wheels compiled for other platforms "
            f"({', '.join(sorted(binary_only)[:3])}…); it needs a build for Pyodide, see {NEW_PACKAGES}"
        )
    raise PackageError(
        f"{name!r} ({requirement}) is not in Pyodide {config.pyodide_version} and no pure-Python wheel "
        f"was found on {indexes}; see {FAQ}"
    )


def _unpack(data: bytes) -> list[str]:
    """Unpack a wheel into site-packages; returns its unconditional Requires-Dist."""
    site = sysconfig.get_path("purelib")
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        metadata = next((n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")), None)
        requires: list[str] = []
        if metadata:
            for line in wheel.read(metadata).decode("utf-8", "replace").splitlines():
                if line.startswith("Requires-Dist:"):
                    requirement = line.split(":", 1)[1].strip()
                    # Extras are not installed (no `pkg[extra]` support): skip what only they need.
                    if "extra ==" not in requirement.replace('"', " ").replace("'", " "):
                        requires.append(requirement.split(";")[0].strip())
        wheel.extractall(site)
    return requires


async def install_for_js(names: list[str]) -> dict[str, Any]:
    """``runtime.installPackages``: the outcome as data (a PackageError is the user's to act on)."""
    try:
        return {"status": "ok", "installed": await install(list(names), quiet=True)}
    except PackageError as exc:
        return {"status": "error", "message": str(exc)}


# ---- %pip -----------------------------------------------------------------------------------
async def pip(line: str) -> None:
    """``%pip install name[==version] …`` and ``%pip list``."""
    import shlex

    words = shlex.split(line)
    if not words or words[0] not in ("install", "list"):
        print("usage: %pip install NAME[==VERSION] …  |  %pip list")
        return
    if words[0] == "list":
        rows = sorted((d.metadata["Name"], d.version) for d in importlib.metadata.distributions() if d.metadata["Name"])
        width = max([len(n) for n, _ in rows] + [7])
        print(f"{'Package':<{width}} Version\n{'-' * width} -------")
        for name, version in rows:
            print(f"{name:<{width}} {version}")
        return
    names = [w for w in words[1:] if not w.startswith("-")]
    if not names:
        print("usage: %pip install NAME[==VERSION] …")
        return
    installed = await install(names)
    print(f"Successfully installed {', '.join(installed)}" if installed else "Requirement already satisfied: " + ", ".join(names))
