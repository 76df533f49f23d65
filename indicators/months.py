"""Every YYYY-MM helper: month numbers for arithmetic, and back."""

from __future__ import annotations

from functools import lru_cache


# --- months ---------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_of(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
