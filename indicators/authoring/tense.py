"""Past or planned? Review sections, paragraphs that report results, and sentences about earlier years.

Government work reports open with a review of the past year (过去一年 / 一、2024年工作回顾) before the year's targets;
progress notices report results (截至6月底, 上半年); news items mix both. The section decides where a sentence alone
cannot: a number inside a review is a result, a sentence with 截至 / 年来 / 共完成 reports results, and so do the
sentences after it in the same paragraph until one speaks of plans again (将, 力争, 计划, 到2025年 …).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from indicators.authoring.outline import Outline
from indicators.authoring.phrases import HEADINGS, PHRASES, YEAR_WORD_RE
from indicators.authoring.words import has_word_not_after

_SENTENCE_END_RE = re.compile(r"[。！？!?；;]")
# "比年度计划高20.3个百分点", "比原计划多2座": a result measured against its plan
_ABOVE_PLAN_RE = re.compile(r"比(?:年度|原)?(?:计划|目标)(?:投资)?(?:高|多|超|增加)|与(?:年度)?计划持平")
# reasons that hold for the whole sentence or line whatever plan words it holds ("比年度计划高…")
_FIRM = ("a line of results", "measured against its plan")
_MARKER_MAX = 40  # a line this short without a full stop reads as a title
# "为年度计划任务的105%", "占年度总任务的112%": the sentence reports how much was done
_COMPLETION_RATE_RE = re.compile(r"[为占][^，,。；;]{0,12}(?:任务|计划|目标)(?:数)?的\s*[0-9.]+%")


def _is_marker(line: str) -> bool:
    stripped = line.strip(" \t\u3000-—\r\n")
    if not stripped:
        return False
    if any(regex.match(line) for level, regex in HEADINGS if level <= 2):
        return True
    return len(stripped) <= _MARKER_MAX and not stripped.endswith(("。", "；", ";", "，", ","))


def _has(text: str, words: tuple[str, ...]) -> str:
    return next((w for w in words if w in text), "")


class Tense:
    """Which parts of a text review the past, and which sentences report results."""

    def __init__(self, text: str, outline: Outline, period: tuple[int | None, int | None], implied_year: bool = False):
        self.text = text
        self.implied_year = implied_year  # no plan title names the year and the text says 今年
        self.outline = outline
        self.first_year = period[0]
        self.zones: list[tuple[int, bool, str]] = []  # (start, is review, the line that opened it)
        self.past_sentences: list[tuple[int, int, str, int]] = []  # (start, end, why, where the cue is)
        self.restated: list[tuple[int, int]] = []  # sentences restating a target right before its result
        offset = 0
        for line in text.splitlines(keepends=True):
            self._read_line(line, offset)
            offset += len(line)
        self._starts = [z[0] for z in self.zones]

    def _read_line(self, line: str, offset: int) -> None:
        body = line.strip(" \t\u3000\r\n")
        if _is_marker(line):
            review, target = _has(body, PHRASES["review_markers"]), _has(body, PHRASES["target_markers"])
            if review:
                self.zones.append((offset, True, body))
            elif target:
                self.zones.append((offset, False, body))
            elif any(regex.match(line) for level, regex in HEADINGS if level == 1) and self.zones:
                self.zones.append((offset, False, body))  # a new chapter ends a review
            return
        label = re.match(r"^[^，,。；;：:]{0,20}?(" + "|".join(PHRASES["review_labels"]) + r")\s*[：:]", body)
        if label:  # "2023年完成情况：…" reports results on this line only
            self.past_sentences.append((offset, offset + len(line), f"a line of results: {label.group(1)}", offset))
            return
        opener = next((w for w in PHRASES["review_openers"] if body.startswith(w)), "")
        lead = re.split(r"[0-9]", body, maxsplit=1)[0]
        if opener:
            self.zones.append((offset, True, opener))
        elif self.zones and self.zones[-1][1] and _has(lead, PHRASES["target_markers"]):
            self.zones.append((offset, False, body[:20]))  # "今年主要目标：新建公园8个。" ends a review
        carry = ""
        start = 0
        full_start = 0
        for match in re.finditer(r"[。！？!?]", line):  # the target, then "上半年，…" its result
            stated = line[full_start:match.end()]
            if not self._past_words(stated)[0] and _has(stated, PHRASES["target_cues"]) and any(
                    line[match.end():].lstrip().startswith(w) for w in PHRASES["result_openers"]):
                self.restated.append((offset + full_start, offset + match.end()))
            full_start = match.end()
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(line)] + [len(line)]
        for end in ends:
            sentence = line[start:end]
            why, at = self._past_words(sentence)
            if carry and sentence.strip() and not why:
                if _has(sentence, PHRASES["future_words"]) or "今年" in sentence or self._current_year(sentence):
                    carry = ""
                else:
                    self.past_sentences.append((offset + start, offset + end, carry, offset + start))
            if why:
                self.past_sentences.append((offset + start, offset + end, why, offset + start + at))
                carry = why
            start = end

    def _past_words(self, sentence: str) -> tuple[str, int]:
        """(why, offset of the word) when the sentence reports results, else ("", -1)."""
        rate = _COMPLETION_RATE_RE.search(sentence) or _ABOVE_PLAN_RE.search(sentence)
        if rate:
            return f"measured against its plan: {rate.group(0)}", 0
        for word in PHRASES["past_sentence_words"]:
            for match in re.finditer(re.escape(word), sentence):
                if not has_word_not_after(sentence[max(0, match.start() - 2):match.end()], (word,),
                                          PHRASES["past_not_after"]):
                    continue
                return f"reports results: {word}", match.start()
        if self.implied_year and not _has(sentence, PHRASES["future_words"]) and re.match(
                r"\s*(?:据[^，,]{0,8}[，,])?(?:19|20)\d{2}\s*年[，,]", sentence):
            return "about an earlier year: the text calls its own year 今年", 0
        if self.first_year is not None:
            years = self._lead_years(sentence)
            if years and max(years) < self.first_year and not _has(sentence.split("，")[0].split(",")[0], PHRASES["future_words"]):
                return f"about an earlier year: {max(years)}年", 0
        return "", -1

    @staticmethod
    def _lead_years(sentence: str) -> list[int]:
        """Years named before the sentence's first quantity, except those compared with (比2023年, 由2024年的)."""
        lead = re.split(r"[0-9](?![0-9]*\s*年)", sentence.lstrip(), maxsplit=1)[0]
        return [int(m.group(1)) for m in YEAR_WORD_RE.finditer(lead)
                if not any(lead[max(0, m.start() - 2):m.start()].endswith(w) for w in PHRASES["year_not_after"])]

    def _current_year(self, sentence: str) -> bool:
        """True when the sentence opens with the plan's own year or a later one ("2024年，完成造林3500亩")."""
        years = self._lead_years(sentence)
        return bool(years) and self.first_year is not None and max(years) >= self.first_year

    def review_zone(self, pos: int) -> str:
        """The line that opened the review section around ``pos``, or ""."""
        index = bisect_right(self._starts, pos) - 1
        if index >= 0 and self.zones[index][1]:
            return self.zones[index][2]
        return ""

    def restates_a_target(self, pos: int) -> bool:
        """True in a sentence that states a target right before its result ("…不少于3个。上半年，引进…")."""
        return any(s <= pos < e for s, e in self.restated)

    def past_reason(self, pos: int) -> str | None:
        """Why the number at ``pos`` reports a result rather than a target, or None."""
        zone = self.review_zone(pos)
        if zone and not self.restates_a_target(pos):
            return f"in a review section ({zone[:20]})"
        for start, end, why, at in self.past_sentences:
            if start <= pos < end and at <= pos:
                between = re.sub(r"(截至|截止)(今年|目前)", "", self.text[at:pos])
                if why.startswith(_FIRM) or not (_has(between, PHRASES["future_words"])
                                                                or "今年" in between):
                    return why
        return None
