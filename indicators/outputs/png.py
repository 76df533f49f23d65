"""PNG rendering through kaleido and one warm Chromium.

It checks first that Chromium and the CJK font are there, so Chinese never comes out as boxes.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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

# Added to choreographer's own flags (it already passes --no-sandbox, --disable-gpu, --disable-component-update …).
CHROMIUM_FLAGS = (
    # Chromium 15x preloads its omnibox pop-up, a WebUI page in a render process of its own, even headless: measured
    # 1.2–1.5 s of CPU at every start (3.6 → 2.2 s for a browser with one tab) for nothing a chart needs
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
    "--disable-background-networking",  # no update or telemetry fetches (an offline government network waits on them)
)

_logger = logging.getLogger(__name__)


def _chromium_class():
    """choreographer's Chromium with CHROMIUM_FLAGS added to its command line."""
    from choreographer.browsers import Chromium

    class FlaggedChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), *CHROMIUM_FLAGS]

    return FlaggedChromium


def _warm_kaleido(tabs: int):
    """A kaleido browser that draws as soon as its first tab is ready and keeps its tabs loaded between charts.

    kaleido reloads a tab (plotly.js, 3.5 MB of script parsed again) after every chart; measured, that is half the
    time of a warm render (0.60 → 0.32 s a PNG, 30-chart pack 17 → 8 s) while the PNGs come out byte-identical
    (tests/test_export.py checks it); here a tab is reloaded every RELOAD_EVERY renders, which still bounds what a
    long-lived tab accumulates. kaleido also loads every tab before the first chart; a tab costs ~1.4 s of CPU to
    load, so the tabs after the first are loaded in the background and join the queue when ready, while the first
    draws. The DevTools pipe is ours (devtools_pipe: choreographer's misreads the browser's last words). These
    override kaleido's private tab handling, so kaleido is pinned in requirements.txt.
    """
    import choreographer
    import kaleido

    from indicators.outputs.devtools_pipe import DevtoolsPipe

    class WarmKaleido(kaleido.Kaleido):
        _more_tabs: asyncio.Task | None = None

        async def populate_targets(self) -> None:
            await choreographer.Browser.populate_targets(self)  # not kaleido's: it loads every tab first
            if self._total_tabs or self._more_tabs is not None:
                return
            first = list(self.tabs.values())[:1]
            if first:
                await self._conform_tabs(first)
            else:
                await self._create_kaleido_tab()
            if self._n > 1:
                self._more_tabs = asyncio.create_task(self._load_more_tabs(self._n - 1))

        async def _load_more_tabs(self, count: int) -> None:
            try:
                await asyncio.gather(*(self._create_kaleido_tab() for _ in range(count)))
            except Exception:  # the first tab still draws; say why the others are missing
                _logger.exception("could not open more kaleido tabs")

        async def _return_kaleido_tab(self, tab) -> None:
            uses = getattr(tab, "_indicators_uses", 0) + 1
            if uses >= RELOAD_EVERY:
                await tab.reload()
                uses = 0
            tab._indicators_uses = uses
            await self.tabs_ready.put(tab)

        async def close(self) -> None:
            if self._more_tabs is not None and not self._more_tabs.done():
                self._more_tabs.cancel()
                await asyncio.gather(self._more_tabs, return_exceptions=True)
            await super().close()

    channel = {"channel_cls": DevtoolsPipe} if os.name == "posix" else {}
    return WarmKaleido(n=tabs, browser_cls=_chromium_class(), **channel)


class Renderer:
    """One Chromium (a kaleido browser with ``tabs`` tabs) kept open for the life of a process, shared by threads.

    Starting Chromium costs seconds; a chart through a warm tab costs a fraction of one. The browser lives on its own
    asyncio loop in a daemon thread; ``png`` and ``write`` hand their work to that loop and wait, so several Streamlit
    sessions can render at once. ``wait=False`` returns at once while the browser starts (the caller builds its
    figures meanwhile; the first chart waits for it). ``close`` (also run at exit) shuts the browser down cleanly.
    """

    def __init__(self, tabs: int = RENDER_TABS, wait: bool = True):
        check_environment()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-renderer", daemon=True)
        self._thread.start()
        self._closed = False
        self._kaleido = _warm_kaleido(tabs)
        self._opened = asyncio.run_coroutine_threadsafe(self._kaleido.open(), self._loop)
        atexit.register(self.close)
        if wait:
            try:
                self._opened.result()
            except BaseException:
                self.close()
                raise

    @property
    def alive(self) -> bool:
        """False once closed, when the browser failed to start, or when its loop thread has died (the dashboard then
        starts a new one)."""
        failed = self._opened.done() and (self._opened.cancelled() or self._opened.exception() is not None)
        return not self._closed and not failed and self._thread.is_alive()

    def _call(self, coroutine):
        try:
            self._opened.result()
        except BaseException:
            coroutine.close()
            raise
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
        """Close the browser (once it has started, or failed to) and stop the loop (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            concurrent.futures.wait([self._opened])  # never close a browser that is still opening
            asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop.close()
            atexit.unregister(self.close)


@contextmanager
def drawing_with(renderer: Renderer | None) -> Iterator[Renderer]:
    """``renderer``, else a browser started now (it starts while the caller builds its figures) and closed after."""
    if renderer is not None:
        yield renderer
        return
    started = Renderer(wait=False)
    try:
        yield started
    finally:
        started.close()


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
