"""Looking up phrase-table words near a number."""

from __future__ import annotations

import re
from collections.abc import Iterable

from indicators.authoring.phrases import CJK_RE


def nearest(text: str, words: Iterable[str]) -> tuple[str, int]:
    """The word of ``words`` that ends nearest the end of ``text`` (longest at the same place); ("", -1) if none."""
    best, best_end = "", -1
    for word in words:
        index = text.rfind(word)
        if index < 0:
            continue
        end = index + len(word)
        if end > best_end or (end == best_end and len(word) > len(best)):
            best, best_end = word, end
    return best, best_end


def nearest_in(table: dict[str, Iterable[str]], text: str) -> tuple[str | None, str, int]:
    best_key, best_word, best_end = None, "", -1
    for key, words in table.items():
        word, end = nearest(text, words)
        if end > best_end or (end == best_end and end >= 0 and len(word) > len(best_word)):
            best_key, best_word, best_end = key, word, end
    return best_key, best_word, best_end


def has_word_not_after(text: str, words: Iterable[str], not_after: Iterable[str]) -> bool:
    for word in words:
        for match in re.finditer(re.escape(word), text):
            before = text[max(0, match.start() - 2):match.start()]
            if not any(before.endswith(n) for n in not_after):
                return True
    return False


def starts_noun(text: str) -> bool:
    """True when ``text`` begins with a word (not punctuation, not a list connector, not a bracket)."""
    stripped = text.lstrip(" \t\u3000")
    if not stripped:
        return False
    first = stripped[0]
    if first in "“‘《「":
        return True
    if not CJK_RE.match(first) and not first.isalpha():
        return False
    return not any(stripped.startswith(c) for c in ("和", "及", "与", "或", "以及", "、"))


