"""PNG rendering through kaleido and one warm Chromium.

It checks first that Chromium and the CJK font are there, so Chinese never comes out as boxes.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go

from indicators.i18n import CodedError
from indicators.outputs import style

RENDER_TABS = 2  # two tabs of one browser: the machine has two cores, and a tab waits on plotly.js most of the time


class ExportError(CodedError, RuntimeError):
    """PNG export cannot work here: ``code`` (no_chromium, no_cjk_font, renderer_closed) and ``params``;
    ``message(lang)`` (``export_error.<code>``) says what to install."""

    prefix = "export_error"


def font_file_for(family: str = style.FONT_NAME) -> str:
    """The font file fontconfig resolves for ``family`` (fc-match), '' if fontconfig is missing."""
    if shutil.which("fc-match") is None:
        return ""
    out = subprocess.run(["fc-match", "-f", "%{file}|%{family}", family], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


def check_environment() -> None:
    """Raise ExportError unless Chromium and a CJK font are there (Chinese would otherwise render as boxes)."""
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        raise ExportError("no_chromium")
    resolved = font_file_for()
    if "NotoSansCJK" not in resolved.replace(" ", "") and "Noto Sans CJK" not in resolved:
        raise ExportError("no_cjk_font", resolved=resolved or "-")


def _opts(size: str) -> dict:
    width, height = style.SIZES[size]
    return {"format": "png", "width": width, "height": height, "scale": style.SCALE}


RELOAD_EVERY = 50  # renders between reloads of a tab (see _warm_kaleido)


def _warm_kaleido(tabs: int):
    """A kaleido browser whose tabs are reloaded every RELOAD_EVERY renders instead of after each one.

    kaleido reloads a tab (plotly.js, 3.5 MB of script parsed again) after every chart; measured, that is half the
    time of a warm render (0.60 → 0.32 s a PNG, 30-chart pack 17 → 8 s) while the PNGs come out byte-identical
    (tests/test_export.py checks it). An occasional reload still bounds what a long-lived tab accumulates. This
    overrides kaleido's private tab hand-back, so kaleido is pinned in requirements.txt.
    """
    import kaleido

    class WarmKaleido(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            uses = getattr(tab, "_indicators_uses", 0) + 1
            if uses >= RELOAD_EVERY:
                await tab.reload()
                uses = 0
            tab._indicators_uses = uses
            await self.tabs_ready.put(tab)

    return WarmKaleido(n=tabs)


class Renderer:
    """One Chromium (a kaleido browser with ``tabs`` tabs) kept open for the life of a process, shared by threads.

    Starting Chromium costs seconds; a chart through a warm tab costs a fraction of one. The browser lives on its own
    asyncio loop in a daemon thread; ``png`` and ``write`` hand their work to that loop and wait, so several Streamlit
    sessions can render at once. ``close`` (also run at exit) shuts the browser down cleanly.
    """

    def __init__(self, tabs: int = RENDER_TABS):
        check_environment()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-renderer", daemon=True)
        self._thread.start()
        self._kaleido = _warm_kaleido(tabs)
        self._call(self._kaleido.open())
        self._closed = False
        atexit.register(self.close)

    @property
    def alive(self) -> bool:
        """False once closed or when the browser's loop thread has died (the dashboard then starts a new one)."""
        return not self._closed and self._thread.is_alive()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _render(self, fig_dicts: list[dict]) -> bytes | None:
        try:
            if len(fig_dicts) == 1 and "path" not in fig_dicts[0]:
                return await self._kaleido.calc_fig(fig_dicts[0]["fig"], opts=fig_dicts[0]["opts"])
            await self._kaleido.write_fig_from_object(fig_dicts, cancel_on_error=True)
            return None
        finally:
            self._kaleido.profiler.clear()  # kaleido keeps a profile of every call: a long-lived browser would grow

    def png(self, fig: go.Figure, size: str = "slide") -> bytes:
        """One chart as PNG bytes through the warm browser."""
        if self._closed:
            raise ExportError("renderer_closed")
        return self._call(self._render([{"fig": fig, "opts": _opts(size)}]))

    def write(self, items: Sequence[tuple[go.Figure, Path]], size: str = "slide") -> None:
        """Many charts to files, spread over the browser's tabs; the first failure is raised."""
        if self._closed:
            raise ExportError("renderer_closed")
        if items:
            self._call(self._render([{"fig": fig, "path": str(path), "opts": _opts(size)} for fig, path in items]))

    def close(self) -> None:
        """Close the browser and stop the loop (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self._kaleido.close())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop.close()
            atexit.unregister(self.close)


def png_bytes(fig: go.Figure, size: str = "slide", renderer: Renderer | None = None) -> bytes:
    """One chart as PNG bytes: through ``renderer`` (a warm browser), else through a browser started for it."""
    if renderer is not None:
        return renderer.png(fig, size)
    renderer = Renderer(tabs=1)
    try:
        return renderer.png(fig, size)
    finally:
        renderer.close()


def write_pngs(items: Sequence[tuple[go.Figure, Path]], size: str = "slide", renderer: Renderer | None = None) -> None:
    """Render many charts with one browser: ``renderer``, else one started (and closed) for the list."""
    if renderer is not None:
        renderer.write(items, size)
        return
    renderer = Renderer()
    try:
        renderer.write(items, size)
    finally:
        renderer.close()
