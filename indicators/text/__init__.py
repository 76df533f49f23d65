"""Text: numbers (Arabic and Chinese numerals in text) and units (the pint registry with Chinese units and count dimensions);
English names of units and jurisdictions (names_en.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def _names_en() -> dict:
    with (Path(__file__).resolve().parent / "names_en.toml").open("rb") as handle:
        return tomllib.load(handle)


def unit_label(unit: str, lang: str = "zh") -> str:
    """A unit of measure as the reader says it: 个 in Chinese, 'items' in English (as written when not listed)."""
    return _names_en()["units"].get(unit, unit) if lang == "en" else unit


def jurisdiction_label(name: str, lang: str = "zh") -> str:
    """A jurisdiction in the reader's language: 聊城市 / Liaocheng."""
    return _names_en()["jurisdictions"].get(name, name) if lang == "en" else name
