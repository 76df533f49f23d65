"""Every user-visible string, in Chinese (default) and English, read from the catalogues in i18n/zh and i18n/en.

Each language is a folder of TOML files by subject (labels.toml, and e.g. issues.toml for upload problem codes); a
key means the same in both. Code carries keys and parameters, never sentences: ``t("as_of_title", lang, year=...)``.
``tests/test_i18n.py`` checks that both languages have the same keys and the same {placeholders}.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from indicators import months

LANGS = ("zh", "en")
CATALOGUE_DIR = Path(__file__).resolve().parent


def _flat(table: dict, prefix: str = "") -> dict[str, str]:
    """TOML dotted keys (status.red = "滞后") become one flat key each ("status.red")."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of one language, from all its TOML files; a key defined twice is an error."""
    merged: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / lang).glob("*.toml")):
        with path.open("rb") as handle:
            entries = _flat(tomllib.load(handle))
        twice = set(entries) & set(merged)
        if twice:
            raise ValueError(f"{path}: keys defined in another file too: {', '.join(sorted(twice))}")
        merged.update(entries)
    return merged


MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The label ``key`` in ``lang`` ('zh' or 'en'), with {placeholders} filled."""
    text = catalogue("en" if lang == "en" else "zh")[key]
    return text.format(**values) if values else text


class CodedError(Exception):
    """The one shape of a coded refusal: ``code`` and ``params``, the sentence ``message(lang)`` from the catalogues
    (``<prefix>.<code>``), and ``str()`` in both languages for logs and the command line. Subclasses set ``prefix``
    (and add ValueError / RuntimeError where callers catch those)."""

    prefix = ""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(code)

    def message(self, lang: str = "zh") -> str:
        """The sentence in ``lang`` ('' for an empty code: the refusal was already said elsewhere)."""
        return t(f"{self.prefix}.{self.code}", lang, **self.params) if self.code else ""

    def __str__(self) -> str:
        # built when shown, not when raised: some are raised per bad cell of a big upload and caught unseen
        return f"{self.message('zh')} / {self.message('en')}" if self.code else ""


def pick(zh: str, en: str | None, lang: str = "zh") -> str:
    """A catalogue field in the chosen language: the English one in English when it is filled in, else the Chinese."""
    return en if lang == "en" and en else zh


def status_label(status: str, lang: str = "zh") -> str:
    """The status word of a status key, e.g. red -> 滞后 / Behind."""
    return t(f"status.{status}", lang)


def as_of_label(as_of: str, lang: str = "zh") -> str:
    """'2023-06' -> '截至2023年6月' / 'as of Jun 2023'."""
    year, month = months.year_month(as_of)
    return t("as_of_title", lang, year=year, month=month, month_name=MONTH_EN[month - 1])
