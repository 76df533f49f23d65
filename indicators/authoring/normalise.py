"""A plan's text as the extractor reads it: traditional characters as simplified, pinyin glosses dropped.

The reader works on the normalised text; every position it reports is mapped back, so quotes and printed numbers
stay verbatim from the original ("城鎮新增就業1100萬(wàn)人以上" is read as "城镇新增就业1100万人以上").
Characters are converted with OpenCC (``t2s``); where a phrase conversion would change the length, character by
character, so that positions stay one to one.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from indicators.authoring.model import Candidate
from indicators.i18n import CodedError

# a pinyin gloss pasted after a character by some sites: 報(bào)告, 萬(wàn)人 (lower-case letters with a tone mark)
_PINYIN_GLOSS_RE = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,8}\)")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, of the same length (one character for one)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, _converter().convert(ch)) for ch in text))


@dataclass(frozen=True)
class Normalised:
    """The normalised text and, for each of its characters, the position of that character in the original."""

    original: str
    text: str
    positions: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the normalised text as a span of the original."""
        if end <= start:
            return self.positions[start], self.positions[start]
        return self.positions[start], self.positions[end - 1] + 1

    def restore(self, candidate: Candidate) -> Candidate:
        """The candidate with its span, printed number and quote taken from the original text."""
        span = self.span(*candidate.span)
        span_max = self.span(*candidate.span_max) if candidate.span_max else None
        quote = candidate.quote
        start = self.text.find(quote, max(0, candidate.span[1] - len(quote)))
        if 0 <= start <= candidate.span[0]:
            begin, end = self.span(start, start + len(quote))
            quote = self.original[begin:end]
        else:  # the quote is not around the number (should not happen): quote the number alone
            quote = self.original[span[0]:span[1]]
        return dataclasses.replace(candidate, span=span, span_max=span_max, printed=self.original[span[0]:span[1]],
                                   quote=quote)


def normalise(text: str) -> Normalised:
    """Drop pinyin glosses, then convert traditional characters to simplified, keeping a map of positions."""
    kept: list[str] = []
    positions: list[int] = []
    last = 0
    for match in _PINYIN_GLOSS_RE.finditer(text):
        kept.append(text[last:match.start()])
        positions.extend(range(last, match.start()))
        last = match.end()
    kept.append(text[last:])
    positions.extend(range(last, len(text)))
    positions.append(len(text))
    return Normalised(text, to_simplified("".join(kept)), tuple(positions))


class PlanTextError(CodedError, ValueError):
    """A plan file that is neither UTF-8 text nor a Word .docx: ``code`` not_utf8 or not_docx
    (``plan_text.<code>`` in i18n authoring.toml)."""

    prefix = "plan_text"


def read_plan_text(path: Path) -> str:
    """The text of a plan file: UTF-8 text (a BOM is dropped) or a Word .docx (paragraphs, then table rows);
    PlanTextError when it is neither (OSError when it cannot be read at all)."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        import zipfile

        import docx  # python-docx
        from docx.opc.exceptions import OpcError

        try:
            document = docx.Document(str(path))
        except (OpcError, zipfile.BadZipFile, KeyError) as exc:  # not a Word package, or one without a document
            raise PlanTextError("not_docx") from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            lines += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
        return "\n".join(lines) + "\n"
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanTextError("not_utf8", position=exc.start + 1) from exc  # counted from 1, as a reader does
