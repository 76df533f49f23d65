"""What frames every page: the demo banner, status badges, the overview's tiles, Streamlit's own words in the chosen
language (chrome), and times shown in Beijing time."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.language import status_text, tr
from ui.results import demo_in_use


def demo_banner() -> None:
    """The 示例数据 / demo data warning, while synthetic demo data is live."""
    if demo_in_use():
        st.warning(tr("demo_banner"), icon=":material/warning:")


def status_badge(status_key: str) -> str:
    """Coloured status text (the colour is never the only cue: the word is always written)."""
    from indicators.outputs import style

    return f"<span style='background:{style.RAG[status_key]};color:white;padding:2px 8px;border-radius:4px'>" \
           f"{status_text(status_key)}</span>"


def chrome() -> None:
    """Streamlit's own words in the chosen language, where no setting reaches them: the file uploader's instructions
    and button are drawn by CSS from the catalogue; tile values never cut to "72.…" (they wrap instead)."""
    drop, browse = tr("ui_uploader_drop").replace('"', "'"), tr("ui_uploader_browse").replace('"', "'")
    st.html(f"""<style>
    [data-testid="stFileUploaderDropzoneInstructions"] > div > * {{ display: none; }}
    [data-testid="stFileUploaderDropzoneInstructions"] > div::before {{ content: "{drop}"; font-size: 0.9rem; }}
    [data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
    [data-testid="stFileUploaderDropzone"] button > * {{ display: none; }}
    [data-testid="stFileUploaderDropzone"] button::after {{ content: "{browse}"; font-size: 0.9rem; }}
    [data-testid="stMetricValue"] > div {{ overflow: visible; text-overflow: clip; white-space: nowrap; }}
    .st-key-tiles [data-testid="stMetricValue"] {{ font-size: clamp(1.4rem, 2.2vw, 2.25rem); }}
    .st-key-tiles [class*="st-key-tile_"] {{ padding-left: 0.5rem; }}
    .st-key-tiles [data-testid="stMetricLabel"] * {{ white-space: normal; overflow: visible; text-overflow: clip;
                                                    word-break: normal; overflow-wrap: normal; }}
    .st-key-tiles [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; row-gap: 0.75rem; }}
    .st-key-tiles [data-testid="stColumn"] {{ flex: 1 1 calc(20% - 1rem) !important;
                                             min-width: calc(20% - 1rem) !important; }}
    @media (max-width: 640px) {{
      .st-key-tiles [data-testid="stHorizontalBlock"] {{ gap: 0.5rem; }}
      .st-key-tiles [data-testid="stColumn"] {{ flex: 1 1 calc(50% - 0.5rem) !important;
                                               min-width: calc(50% - 0.5rem) !important; }}
      /* a chart's two title lines are set for a page column; on a phone they ran off the right edge. SVG text
         cannot wrap: the title type is set smaller there instead (plotly's inline size is not !important) */
      [data-testid="stPlotlyChart"] .gtitle {{ font-size: 11px !important; }}
    }}
    </style>""")


def tiles(items: list[tuple[str, object, str | None]], link: tuple[str, str] | None = None) -> None:
    """The overview's number tiles: (label, value, status key or None). A status tile carries its colour as a left
    border beside its written label (no second badge); on a phone they run two to a row (see chrome()). ``link``:
    (page file, label) of a page link under the last tile."""
    from indicators.outputs import style

    with st.container(key="tiles"):
        columns = st.columns(len(items))
        for index, (column, (label, value, status)) in enumerate(zip(columns, items, strict=True)):
            colour = style.RAG.get(status or "", "#DDDDDD")
            with column.container(key=f"tile_{index}_{status or 'plain'}"):
                st.html(f"<style>.st-key-tile_{index}_{status or 'plain'} {{ border-left: 6px solid {colour}; }}</style>")
                st.metric(label, value)
                if link is not None and index == len(items) - 1:  # the last tile links on (e.g. 已报 → 报送情况)
                    st.page_link(link[0], label=link[1])


CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+8")


def local_time(moment: dt.datetime | None) -> str:
    """A stored UTC time as Beijing time, e.g. '2023-07-05 09:30' (SQLite hands back naive UTC datetimes)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
