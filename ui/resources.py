"""Process-wide resources, each made once per server process: the engine, the catalogue, the PNG renderer; and the
database's data-version counter, read once per script run (every cached result is keyed on it)."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from indicators import catalogue as cat
from indicators import config, progress, store


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    engine = store.make_engine(url)
    store.migrate(engine)
    return engine


def get_catalogue() -> cat.Catalogue:
    """The catalogue (data/targets.yaml, or the files the settings name), loaded once per server process."""
    return _catalogue(str(config.targets_path()), str(config.not_targets_path()))


@st.cache_resource(show_spinner=False)
def _catalogue(targets_path: str, not_targets_path: str) -> cat.Catalogue:
    # keyed on the files: a process that serves another deployment's settings (a benchmark, a test) never gets the
    # first one's catalogue, nor syncs it into the other's database (that retired every target the other one lacked)
    return cat.load(Path(targets_path), Path(not_targets_path))


@st.cache_resource(show_spinner=False)
def _synced(url: str, targets_path: str) -> bool:
    """Sync the catalogue into the database once per process and catalogue file (init-db does the same from the
    command line)."""
    store.sync_catalogue(_engine(url), get_catalogue())
    return True


@st.cache_resource(show_spinner=False, validate=lambda renderer: renderer.alive)
def png_renderer():
    """One warm Chromium per server process for every PNG, pack and Word briefing (closed at exit by the renderer)."""
    from indicators.outputs import png

    return png.Renderer()


def engine():
    """The engine of the configured database, migrated and synced with the catalogue."""
    url = store.database_url()
    _synced(url, str(config.targets_path()))
    return _engine(url)


# The data version of the script run under way: (run context, version). Each session's runs happen on its own script
# thread; run_app() forgets the value when a run starts, so an upload made by the previous run (or by a callback
# before this one) is seen, while the dozen cached look-ups of one rerun share one query.
_RUN = threading.local()


def new_run() -> None:
    """Forget the data version read by an earlier run (called as every script run starts)."""
    _RUN.memo = None


def data_version() -> int:
    """The database's data-change counter, queried once per script run (outside a script run: every call)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return store.current_version(engine())
    memo = getattr(_RUN, "memo", None)
    if memo is None or memo[0] is not ctx:
        memo = (ctx, store.current_version(engine()))
        _RUN.memo = memo
    return memo[1]


def clear_caches() -> None:
    """Drop every cached resource and result: after the catalogue itself changed (a plan was added), which the
    data version does not cover (the catalogue is loaded once per process)."""
    st.cache_resource.clear()
    st.cache_data.clear()
    new_run()


def thresholds() -> progress.Thresholds:
    """The status thresholds (progress/thresholds.toml with the deployment's overrides)."""
    return progress.load_thresholds()
