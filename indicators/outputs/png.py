"""PNG rendering through kaleido and one warm Chromium.

It checks first that Chromium and the CJK font are there, so Chinese never comes out as boxes.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go

from indicators.outputs import style

RENDER_TABS = 2


class ExportError(RuntimeError):
    """PNG export cannot work here; the message says what to install."""


def font_file_for(family: str = style.FONT_NAME) -> str:
    """The font file fontconfig resolves for ``family`` (fc-match), '' if fontconfig is missing."""
    if shutil.which("fc-match") is None:
        return ""
    out = subprocess.run(["fc-match", "-f", "%{file}|%{family}", family], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


def check_environment() -> None:
    """Raise ExportError unless Chromium and a CJK font are there (Chinese would otherwise render as boxes)."""
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        raise ExportError("找不到 Chromium 浏览器，无法导出图片。请安装：apt-get install chromium / "
                          "Chromium is missing: install it with `apt-get install chromium` (or run `make run`).")
    resolved = font_file_for()
    if "NotoSansCJK" not in resolved.replace(" ", "") and "Noto Sans CJK" not in resolved:
        raise ExportError("找不到中文字体 Noto Sans CJK，导出的中文会显示为方框。请安装：apt-get install fonts-noto-cjk / "
                          f"the CJK font is missing (fontconfig resolves it to {resolved or 'nothing'}): "
                          "install it with `apt-get install fonts-noto-cjk`.")


def _opts(size: str) -> dict:
    width, height = style.SIZES[size]
    return {"format": "png", "width": width, "height": height, "scale": style.SCALE}


def png_bytes(fig: go.Figure, size: str = "slide") -> bytes:
    """One chart as PNG bytes (starts a browser: use write_pngs for several)."""
    import kaleido

    check_environment()
    return kaleido.calc_fig_sync(fig, opts=_opts(size))


def write_pngs(items: Sequence[tuple[go.Figure, Path]], size: str = "slide") -> None:
    """Render many charts with one browser: the whole list goes to one kaleido session."""
    import kaleido

    check_environment()
    # two tabs of the one browser: the machine has two cores, and a tab waits on plotly.js layout most of the time
    kaleido.write_fig_from_object_sync([{"fig": fig, "path": str(path), "opts": _opts(size)} for fig, path in items],
                                       kopts={"n": RENDER_TABS})
