"""Package settings from the page, kept here (no imports) so that setting them at boot does not
load the package machinery; :mod:`pyloom.packages` reads them when a cell first needs it."""

pyodide_version = "unknown"
index_urls: list[str] = []
lock_json: str | None = None
