"""Every setting, environment variable, path and TOML file, read in one place.

``SETTINGS`` is the one table of settings (name, default, environment variable or file, meaning); README.md lists
them and ``tests/test_docs.py`` fails when one is missing there. Deployment settings are layered: the package's own
file, then ``data/<file>``, then the file named by an environment variable, then an explicit path (tests).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    """One documented setting: where it is read from and what it means."""

    name: str
    default: object
    source: str  # "env" (environment variable) or the TOML file it lives in
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "sqlite:///data/indicators.sqlite", "env",
            "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user:pw@host/db"),
    Setting("INDICATORS_TARGETS", "data/targets.yaml", "env", "the catalogue file"),
    Setting("INDICATORS_NOT_TARGETS", "data/not_targets.yaml", "env", "the judged non-targets file"),
    Setting("INDICATORS_ARCHIVE_DIR", "data/actuals/archive", "env", "where committed uploads are archived by sha256"),
    Setting("INDICATORS_SETTINGS", "data/settings.toml", "env", "a settings.toml overriding the package's"),
    Setting("INDICATORS_THRESHOLDS", "data/thresholds.toml", "env", "a thresholds.toml overriding the package's"),
    Setting("login_required", False, "settings.toml", "true: every page asks for a login; false: reading is open"),
    Setting("INDICATORS_PASSWORD", None, "env",
            "the password of the CLI's --user NAME, for scripts (otherwise it is asked for without echo)"),
    Setting("idle_timeout_hours", 8.0, "settings.toml", "a signed-in session ends after this many idle hours"),
    Setting("due_day", 10, "settings.toml", "a month's report is due by the end of this day of the next month (Beijing time)"),
    Setting("completeness_threshold", 0.80, "settings.toml",
            "the default as-of month is the latest month with at least this share of its due reports in"),
    Setting("approval_required", False, "settings.toml",
            "true: new batches are submitted and count only once an approver (or admin) approves them"),
    Setting("max_upload_rows", 200_000, "settings.toml", "an upload with more rows than this is refused unread"),
    Setting("max_upload_unpacked_mb", 100, "settings.toml",
            "an XLSX upload whose parts unpack to more than this many MB is refused unread"),
    Setting("amber_share_of_expected", 0.80, "thresholds.toml",
            "increment/level: amber when progress is at least this share of the expected progress"),
    Setting("approx_tolerance", 0.05, "thresholds.toml", "comparator ~ (左右/约): met within this relative tolerance"),
    Setting("cap_red_projection", 1.05, "thresholds.toml",
            "cap: red when the projected full-period use exceeds the cap by more than this factor"),
    Setting("rate_amber_tolerance", 0.10, "thresholds.toml",
            "growth/share: amber when within this relative distance of the target"),
    Setting("milestone_max_count", 3, "thresholds.toml",
            "an increment of a count unit up to this value is paced as a milestone, not time-proportionally"),
)
ENVIRONMENT_VARIABLES = tuple(s.name for s in SETTINGS if s.source == "env")


def env(name: str) -> str | None:
    """The value of one of our environment variables (empty counts as unset); the only reader of os.environ."""
    if name not in ENVIRONMENT_VARIABLES:
        raise KeyError(f"{name} is not a documented setting (add it to config.SETTINGS)")
    return os.environ.get(name) or None


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set some of our environment variables for a block (a benchmark's scratch deployment), then restore them."""
    unknown = set(values) - set(ENVIRONMENT_VARIABLES)
    if unknown:
        raise KeyError(f"{', '.join(sorted(unknown))} not documented settings (add them to config.SETTINGS)")
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def database_url() -> str:
    """DATABASE_URL, else the embedded SQLite file under data/."""
    return env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'indicators.sqlite'}"


def targets_path() -> Path:
    """The catalogue file."""
    return Path(env("INDICATORS_TARGETS") or DATA_DIR / "targets.yaml")


def not_targets_path() -> Path:
    """The judged non-targets file."""
    return Path(env("INDICATORS_NOT_TARGETS") or DATA_DIR / "not_targets.yaml")


def archive_dir() -> Path:
    """Where committed uploads are archived."""
    return Path(env("INDICATORS_ARCHIVE_DIR") or DATA_DIR / "actuals" / "archive")


def layered_toml(default_file: Path, env_var: str, path: Path | None = None) -> dict[str, object]:
    """The package's TOML file, overridden by data/<same name>, the file named by ``env_var`` and ``path`` in turn."""
    candidates = [default_file, DATA_DIR / default_file.name]
    if env(env_var):
        candidates.append(Path(env(env_var)))
    if path is not None:
        candidates.append(Path(path))
    values: dict[str, object] = {}
    for candidate in candidates:
        if candidate.is_file():
            with candidate.open("rb") as handle:
                values.update(tomllib.load(handle))
    return values


@dataclass(frozen=True)
class Settings:
    """The deployment's settings.toml (accounts and sessions)."""

    login_required: bool = False  # False: reading is open (intranet); True: every page needs a login
    idle_timeout_hours: float = 8.0
    due_day: int = 10  # a report for month m is due by the end of this day of month m+1, Beijing time
    completeness_threshold: float = 0.80  # share of due reports that makes a month the default as-of month
    approval_required: bool = False  # new batches wait for an approver before they count
    max_upload_rows: int = 200_000  # a year-end file holds about 100,000
    max_upload_unpacked_mb: int = 100  # an XLSX unpacks to several times its size; a bomb to thousands

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_upload_unpacked_mb * 1024 * 1024

    @property
    def max_rows(self) -> int:
        return self.max_upload_rows

    @property
    def idle_timeout(self) -> dt.timedelta:
        return dt.timedelta(hours=self.idle_timeout_hours)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the package file, overridden by data/settings.toml, INDICATORS_SETTINGS and ``path`` in turn."""
    values = layered_toml(PACKAGE_DIR / "settings.toml", "INDICATORS_SETTINGS", path)
    unknown = set(values) - set(Settings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    login_required = values.get("login_required", False)
    hours = values.get("idle_timeout_hours", 8.0)
    if not isinstance(login_required, bool):
        raise ValueError("login_required must be true or false")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not hours > 0:
        raise ValueError("idle_timeout_hours must be a positive number")
    due_day = values.get("due_day", 10)
    threshold = values.get("completeness_threshold", 0.80)
    approval = values.get("approval_required", False)
    if isinstance(due_day, bool) or not isinstance(due_day, int) or not 1 <= due_day <= 28:
        raise ValueError("due_day must be a whole day of the month from 1 to 28")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ValueError("completeness_threshold must be a share above 0 and at most 1")
    if not isinstance(approval, bool):
        raise ValueError("approval_required must be true or false")
    limits = {}
    for name in ("max_upload_rows", "max_upload_unpacked_mb"):
        value = values.get(name, Settings.__dataclass_fields__[name].default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive whole number")
        limits[name] = value
    return Settings(login_required=login_required, idle_timeout_hours=float(hours), due_day=due_day,
                    completeness_threshold=float(threshold), approval_required=approval, **limits)


def upload_limits() -> Settings:
    """The settings that bound the work one upload may cause (rows, unpacked XLSX size)."""
    return load_settings()
