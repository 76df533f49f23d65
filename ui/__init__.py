"""The UI layer: what every page shares, in small modules, one job each. Pages ``import ui`` and use the names below.

- ``language``   the chosen language; ``tr`` (labels from the i18n catalogues), names, units, targets, months in it
- ``resources``  the engine, the catalogue, the PNG renderer (once per process); the data version (once per run)
- ``results``    library results cached until the data changes (status, derived roll-ups, charts, series, cycle)
- ``filters``    the shared sidebar (plan, jurisdiction, month, language) and the ``Filters`` it returns
- ``login``      the optional login, the signed-in user and their write scope
- ``frame``      the demo banner, status badges, tiles, Streamlit's own words in the chosen language, local time
- ``navigation`` ``run_app`` (sidebar + st.navigation over pages/) and ``run_page`` (a page body with the filters)

Caching lives here, never in ``indicators/``: ``st.cache_resource`` for the engine, the catalogue and results,
``st.cache_data`` for small values, keyed on the database's data-version counter.
"""

from ui.filters import Filters, sidebar
from ui.frame import CHINA_TIME, chrome, demo_banner, local_time, status_badge, tiles
from ui.language import (
    COMPARATOR_KEYS,
    departments_text,
    explanation,
    jurisdiction_text,
    lang,
    month_option,
    pick,
    status_text,
    target_text,
    tr,
    unit_text,
)
from ui.login import current_user, login_box, login_required, write_scope
from ui.navigation import PAGE_FILES, PAGES, run_app, run_page
from ui.resources import clear_caches, data_version, engine, get_catalogue, png_renderer, thresholds
from ui.results import (
    chart_set,
    compute_status,
    cycle_summary,
    demo_in_use,
    derived,
    derived_later,
    has_data,
    observed_months,
    reporting_cycle,
    series,
)

__all__ = [
    "CHINA_TIME", "COMPARATOR_KEYS", "PAGES", "PAGE_FILES", "Filters", "chart_set", "chrome", "clear_caches",
    "compute_status",
    "current_user", "cycle_summary", "data_version", "demo_banner", "demo_in_use", "departments_text", "derived",
    "derived_later",
    "engine", "explanation", "get_catalogue", "has_data", "jurisdiction_text", "lang", "local_time", "login_box",
    "login_required", "month_option", "observed_months", "pick", "png_renderer", "reporting_cycle", "run_app",
    "run_page", "series", "sidebar", "status_badge", "status_text", "target_text", "thresholds", "tiles", "tr",
    "unit_text", "write_scope",
]
