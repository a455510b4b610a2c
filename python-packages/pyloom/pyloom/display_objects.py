"""The display classes of ``IPython.display``: HTML, Markdown, Latex, Math, SVG, JSON,
Javascript, Pretty, Image. Each holds data and answers the matching ``_repr_*_`` method, so the
same formatter chain shows them. Their plain-text repr is IPython's (``<IPython.core.display.HTML
object>``), so notebooks saved here match notebooks saved by Jupyter.
"""

from __future__ import annotations

import base64
import json as _json
import os
from typing import Any

_DISPLAY_MODULE = "IPython.core.display"


def _read_url(url: str, binary: bool = False) -> str | bytes:
    """Fetch synchronously: fine in a worker (Pyodide's open_url uses a synchronous request)."""
    try:
        from pyodide.http import open_url  # type: ignore[import-not-found]
    except ImportError as exc:
        raise RuntimeError(f"cannot fetch {url}: no synchronous HTTP outside Pyodide") from exc
    if binary:
        raise ValueError(f"cannot embed binary data from {url} synchronously; pass embed=False or data=")
    return open_url(url).read()


class DisplayObject:
    """Data from ``data``, a ``url`` or a ``filename`` (IPython's DisplayObject)."""

    _read_flags = "r"
    _binary = False

    def __init__(
        self,
        data: Any = None,
        url: str | None = None,
        filename: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(data, str) and url is None and filename is None:
            # IPython's convenience: a lone string that is a URL or an existing file.
            if data.startswith(("http://", "https://")):
                url, data = data, None
            elif len(data) < 4096 and "\n" not in data and os.path.isfile(data):
                filename, data = data, None
        self.data = data
        self.url = url
        self.filename = filename
        self.metadata = dict(metadata) if metadata else {}
        self.reload()

    def reload(self) -> None:
        if self.filename is not None:
            with open(self.filename, "rb" if self._binary else "r") as handle:
                self.data = handle.read()
        elif self.url is not None and self.data is None:
            self.data = _read_url(self.url, binary=self._binary)

    def _data_and_metadata(self) -> Any:
        return (self.data, self.metadata) if self.metadata else self.data

    def __repr__(self) -> str:
        return f"<{_DISPLAY_MODULE}.{type(self).__name__} object>"


class TextDisplayObject(DisplayObject):
    def __init__(
        self, data: Any = None, url: str | None = None, filename: str | None = None, metadata: dict[str, Any] | None = None
    ) -> None:
        if data is not None and not isinstance(data, (str, bytes)) and url is None and filename is None:
            raise TypeError(f"{type(self).__name__} expects text data, got {type(data).__name__}")
        super().__init__(data, url, filename, metadata)
        if isinstance(self.data, bytes):
            self.data = self.data.decode("utf-8")


class HTML(TextDisplayObject):
    def _repr_html_(self) -> Any:
        return self._data_and_metadata()

    def __html__(self) -> str:
        return self.data or ""


class Markdown(TextDisplayObject):
    def _repr_markdown_(self) -> Any:
        return self._data_and_metadata()


class Latex(TextDisplayObject):
    def _repr_latex_(self) -> Any:
        return self._data_and_metadata()


class Math(TextDisplayObject):
    """One display-style formula; ``$`` delimiters are added unless already there."""

    def _repr_latex_(self) -> Any:
        text = (self.data or "").strip()
        if not text.startswith("$"):
            text = f"$\\displaystyle {text}$"
        return (text, self.metadata) if self.metadata else text


class Pretty(TextDisplayObject):
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.data or "")


class Javascript(TextDisplayObject):
    """Code the page runs only in trusted mode (as Jupyter does for untrusted notebooks)."""

    def __init__(self, data: Any = None, url: str | None = None, filename: str | None = None, lib: Any = None, css: Any = None) -> None:
        libs = [lib] if isinstance(lib, str) else list(lib or [])
        styles = [css] if isinstance(css, str) else list(css or [])
        super().__init__(data, url, filename)
        self.lib, self.css = libs, styles

    def _repr_javascript_(self) -> str:
        loaders = "".join(
            f"await new Promise((ok, no) => {{ const s = document.createElement('script'); s.src = {_json.dumps(src)}; "
            "s.onload = ok; s.onerror = no; document.head.append(s); });\n"
            for src in self.lib
        )
        styles = "".join(
            f"{{ const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = {_json.dumps(href)}; document.head.append(l); }}\n"
            for href in self.css
        )
        body = self.data or ""
        return f"{styles}{body}" if not loaders else f"(async () => {{\n{styles}{loaders}{body}\n}})();"


class SVG(DisplayObject):
    """SVG markup; an XML prolog or doctype around the ``<svg>`` element is dropped."""

    def __init__(
        self, data: Any = None, url: str | None = None, filename: str | None = None, metadata: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, url, filename, metadata)
        if isinstance(self.data, bytes):
            self.data = self.data.decode("utf-8")
        if isinstance(self.data, str):
            start = self.data.find("<svg")
            if start > 0:
                self.data = self.data[start:]

    def _repr_svg_(self) -> Any:
        return self._data_and_metadata()


class JSON(DisplayObject):
    """Data shown as a collapsible tree (``application/json``)."""

    def __init__(
        self,
        data: Any = None,
        url: str | None = None,
        filename: str | None = None,
        expanded: bool = False,
        metadata: dict[str, Any] | None = None,
        root: str = "root",
        **kwargs: Any,
    ) -> None:
        self.expanded = expanded
        self.root = root
        super().__init__(data, url, filename, {**(metadata or {}), **kwargs})
        if isinstance(self.data, (str, bytes)) and (filename is not None or url is not None or isinstance(data, (str, bytes))):
            self.data = _json.loads(self.data)

    def _repr_json_(self) -> Any:
        return self.data, {"expanded": self.expanded, "root": self.root, **self.metadata}


_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_IMAGE_MIME = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def image_format(data: bytes) -> str | None:
    for magic, name in _IMAGE_MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class Image(DisplayObject):
    """A PNG, JPEG, GIF or WebP image, embedded as base64, or linked by URL (``embed=False``)."""

    _binary = True

    def __init__(
        self,
        data: Any = None,
        url: str | None = None,
        filename: str | None = None,
        format: str | None = None,
        embed: bool | None = None,
        width: int | str | None = None,
        height: int | str | None = None,
        retina: bool = False,
        unconfined: bool = False,
        metadata: dict[str, Any] | None = None,
        alt: str | None = None,
    ) -> None:
        if isinstance(data, str) and url is None and filename is None:
            if data.startswith(("http://", "https://", "data:")):
                url, data = data, None
            else:
                filename, data = data, None
        if embed is None:
            embed = url is None  # a URL is linked unless asked otherwise, as in IPython
        self.embed = embed
        self.width, self.height, self.retina, self.unconfined, self.alt = width, height, retina, unconfined, alt
        if url is not None and not embed:
            self.data, self.url, self.filename, self.metadata = None, url, None, dict(metadata or {})
        else:
            super().__init__(data, url, filename, metadata)
        if isinstance(self.data, str):
            raise TypeError("Image(data=...) takes bytes; pass a file name as filename= or a URL as url=")
        name = (format or "").lower() or (image_format(self.data) if self.data else None)
        if name is None and (filename or url):
            name = os.path.splitext(filename or url or "")[1].lstrip(".").lower()
        if self.embed and name not in _IMAGE_MIME:
            raise ValueError(f"cannot display image format {name!r}; supported: png, jpeg, gif, webp")
        self.format = _IMAGE_MIME.get(name or "", "image/png")
        if retina and self.format == "image/png" and self.data and self.width is None:
            size = _png_size(self.data)
            if size:
                self.width, self.height = size[0] // 2, size[1] // 2

    def _metadata(self) -> dict[str, Any]:
        md: dict[str, Any] = {}
        if self.width:
            md["width"] = self.width
        if self.height:
            md["height"] = self.height
        if self.unconfined:
            md["unconfined"] = True
        if self.alt:
            md["alt"] = self.alt
        return {**md, **self.metadata}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        if not self.embed:
            import html

            attrs = "".join(
                f' {k}="{html.escape(str(v))}"' for k, v in (("width", self.width), ("height", self.height), ("alt", self.alt)) if v
            )
            return {"text/html": f'<img src="{html.escape(self.url or "")}"{attrs}/>'}
        if not isinstance(self.data, bytes):
            raise ValueError("Image has no data to embed: pass data=, filename=, or url= with embed=False")
        bundle = {self.format: base64.b64encode(self.data).decode("ascii")}
        md = self._metadata()
        return (bundle, {self.format: md}) if md else bundle


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


class IFrame:
    """An embedded page (``<iframe>``); the page decides how untrusted HTML may be shown."""

    def __init__(self, src: str, width: int | str, height: int | str, extras: list[str] | None = None, **kwargs: Any) -> None:
        from urllib.parse import urlencode

        self.src, self.width, self.height = src, width, height
        self.extras = extras or []
        self.params = kwargs
        self._query = ("?" + urlencode(kwargs)) if kwargs else ""

    def _repr_html_(self) -> str:
        import html

        extras = " ".join(self.extras)
        return (
            f'<iframe width="{html.escape(str(self.width))}" height="{html.escape(str(self.height))}" '
            f'src="{html.escape(self.src + self._query)}" frameborder="0" allowfullscreen {extras}></iframe>'
        )

    def __repr__(self) -> str:
        return f"<IPython.lib.display.IFrame at {id(self):#x}>"


__all__ = ["HTML", "IFrame", "JSON", "Image", "Javascript", "Latex", "Markdown", "Math", "Pretty", "SVG", "DisplayObject"]
