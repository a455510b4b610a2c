"""Packages for cells: what a cell imports is loaded before it runs, and ``%pip`` installs.

Two sources, one policy:
- packages in Pyodide's lock file (numpy, pandas, …: compiled for Pyodide) load through
  ``pyodide_js.loadPackage`` from the configured package base URL, sha256-checked by the worker;
- anything else is installed by micropip from the configured package indexes (PEP 691 JSON or
  PEP 503 HTML "simple" pages) if a pure-Python wheel exists, its sha256 checked by micropip.

All downloads are ordinary ``fetch`` calls in the worker, so the worker sees (and reports progress
for, and can cache) every package request in one place.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .protocol import InstallResult

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
        for name in names.split(",") if names else [module]:
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
            f"could not load {', '.join(names)} (Pyodide {config.pyodide_version}): "
            + "; ".join(errors)
            + " — check the network and the packageBaseUrl setting"
        )
    return [p.name for p in loaded] if loaded is not None else names


def _js_object(entries: Any) -> Any:
    from js import Object  # type: ignore[import-not-found]

    return Object.fromEntries(entries)


# ---- pure-Python wheels from an index: micropip -------------------------------------------
# micropip and packaging come from the lock like any lock package (fetched on first use, through
# the worker's fetch: progress and the lock's sha256 as for any package). Requirements and
# versions are read by packaging (PEP 440/508); indexes are read and wheels verified by micropip.
_TOOLS = ("micropip", "packaging")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


async def _load_tools() -> None:
    missing = [name for name in _TOOLS if not _importable(name)]
    if missing:
        await load_from_lock(missing)


def _requirement(text: str) -> Any:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise PackageError(f"cannot read the requirement {text!r} ({exc}); use name, name==1.2 or name>=1.0") from None


def satisfies(version: str, specifier: str) -> bool:
    """Does ``version`` meet ``specifier`` (PEP 440, pre-releases allowed: Pyodide pins what it has)?"""
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion

    if not specifier.strip():
        return True
    try:
        return SpecifierSet(specifier).contains(version, prereleases=True)
    except InvalidVersion:
        return False  # a version PEP 440 cannot read meets no constraint


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


async def install(requirements: list[str], *, quiet: bool = False) -> list[str]:
    """Install requirements (``name``, ``name==1.0``…) with their dependencies. Returns what was installed.

    Lock packages load from the package base URL; the rest come from the configured indexes
    through micropip. Raises PackageError with what the user can do when one cannot be had.
    """
    # Plain names that the lock has need neither micropip nor packaging (a self-hosted mirror of
    # lock packages need not host them): only a version constraint or an index install loads them.
    plain = [_PLAIN_NAME.fullmatch(text.strip()) for text in requirements]
    if all(plain):
        entries = [config.lock_entry(text.strip()) or config.lock_entry(config.import_map.get(text.strip(), "")) for text in requirements]
        if all(entry is not None for entry in entries):
            return await load_from_lock([entry["name"] for entry in entries if entry is not None])
    await _load_tools()
    lock_names: list[str] = []
    from_index: list[str] = []
    for text in requirements:
        requirement = _requirement(text)
        entry = config.lock_entry(requirement.name) or config.lock_entry(config.import_map.get(requirement.name, ""))
        if entry is not None:
            if not satisfies(entry["version"], str(requirement.specifier)):
                raise PackageError(
                    f"{requirement.name} {entry['version']} is the version built for Pyodide {config.pyodide_version}; "
                    f"{text} cannot be met (Pyodide ships one version of compiled packages)"
                )
            lock_names.append(entry["name"])
            continue
        version = _installed(requirement.name)
        if version is not None and satisfies(version, str(requirement.specifier)):
            continue  # already installed
        from_index.append(text)
    installed: list[str] = []
    if from_index:
        installed += await _install_from_index(from_index, quiet=quiet)
    if lock_names:
        installed += await load_from_lock(lock_names)
    return installed


def _distributions() -> dict[str, tuple[str, str]]:
    """normalized name -> (name as published, version) of every installed distribution."""
    found: dict[str, tuple[str, str]] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[normalize(name)] = (name, dist.version)
    return found


async def _install_from_index(requirements: list[str], *, quiet: bool) -> list[str]:
    if not config.index_urls:
        names = ", ".join(repr(_requirement(r).name) for r in requirements)
        raise PackageError(
            f"{names} is not in Pyodide {config.pyodide_version} and no package index is configured (set indexUrls); see {FAQ}"
        )
    import micropip

    before = _distributions()
    try:
        # The {package_name} placeholder: micropip fills in the normalized name (PEP 503).
        await micropip.install(requirements, index_urls=[f"{index}{{package_name}}/" for index in config.index_urls])
    except Exception as exc:
        raise PackageError(await _explain(exc, requirements)) from None
    finally:
        importlib.invalidate_caches()
    after = _distributions()
    wanted = [normalize(_requirement(r).name) for r in requirements]
    new = [key for key in after if after[key] != before.get(key)]
    new.sort(key=lambda key: (wanted.index(key) if key in wanted else len(wanted), key))
    if not quiet:
        for key in new:
            print(f"Installed {after[key][0]} {after[key][1]} from {', '.join(config.index_urls)}")
    return [after[key][0] for key in new]


_CHECKSUM = re.compile(r"Invalid checksum: expected ([0-9a-f]{64}), got ([0-9a-f]{64})")
_NOT_FOUND = re.compile(r"Can't fetch metadata for '([^']+)'")
_NO_PURE_WHEEL = re.compile(r"Can't find a pure Python 3 wheel for '([^']+)'")


async def _explain(exc: Exception, requirements: list[str]) -> str:
    """micropip's error, told the way Pyloom tells package errors: what happened, what to do."""
    message = str(exc)
    indexes = ", ".join(config.index_urls)
    if match := _CHECKSUM.search(message):
        return (
            f"refused a wheel for {', '.join(requirements)}: its sha256 is {match.group(2)}, the index says {match.group(1)} "
            f"(the file on {indexes} is not the one the index describes); it was not installed"
        )
    if match := _NO_PURE_WHEEL.search(message):
        return (
            f"{match.group(1)!r} has no pure-Python wheel on {indexes}, only wheels compiled for other platforms; "
            f"it needs a build for Pyodide, see {NEW_PACKAGES}"
        )
    if match := _NOT_FOUND.search(message):
        name = match.group(1)
        for index in config.index_urls:
            problem = await _probe(f"{index}{normalize(name)}/")
            if problem:
                return problem
        asked = next((r for r in requirements if normalize(_requirement(r).name) == normalize(name)), name)
        return f"{name!r} ({asked}) is not in Pyodide {config.pyodide_version} and no pure-Python wheel was found on {indexes}; see {FAQ}"
    return f"could not install {', '.join(requirements)}: {type(exc).__name__}: {message}"


async def _probe(page: str) -> str | None:
    """Why an index page could not be read, when it was not a plain "no such package" (404)."""
    from pyodide.http import pyfetch  # type: ignore[import-not-found]

    try:
        response = await pyfetch(page, headers={"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.5"})
    except Exception as exc:
        return f"could not reach {page}: {exc} (check the network, or configure a reachable index/mirror)"
    if response.status >= 400 and response.status != 404:
        return f"the package index answered HTTP {response.status} for {page}"
    return None


async def install_for_js(names: list[str]) -> InstallResult:
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
