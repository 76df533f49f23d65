"""Turn a text's quantities into candidates: the reader holds the text-wide structures and reads each number."""

from __future__ import annotations

import re
from decimal import Decimal

from indicators import months
from indicators.authoring import judgement, naming
from indicators.authoring.geometry import Geometry
from indicators.authoring.model import Candidate, Quantity
from indicators.authoring.normalise import normalise
from indicators.authoring.outline import Outline, plan_period
from indicators.authoring.phrases import PHRASES, YEAR_WORD_RE
from indicators.authoring.quantities import doc_number_spans, find_quantities, is_percent
from indicators.authoring.tense import Tense
from indicators.authoring.words import nearest, nearest_in
from indicators.text.numbers import chinese_to_number, skipped_spans

# a comparator word with an amount written in words after it belongs to that amount ("规模超百亿元的领航企业40户")
_CN_AMOUNT_CUE_RE = re.compile(r"(?:超过|超|突破|达到|过|不低于|不少于)[一二两三四五六七八九十百千万亿]+[万亿]?(?:元|级)")


class Reader:
    """Holds the text-wide structures and turns quantities into candidates."""

    def __init__(self, text: str, plan_id: str):
        self.text = text
        self.plan_id = plan_id
        self.outline = Outline(text)
        self.geometry = Geometry(text, self.outline)
        self.period = plan_period(text)
        implied = False
        if self.period == (None, None):  # a news item or an excerpt: the latest year it names is its year
            years = [int(y) for y in YEAR_WORD_RE.findall(text)]
            self.period = (max(years), max(years)) if years else (None, None)
            implied = "今年" in text
        self.tense = Tense(text, self.outline, self.period, implied)
        first_line = text.split("\n", 1)[0]
        self._title_end = len(first_line) if len(first_line) < len(text.rstrip()) else 0
        skip = skipped_spans(text) + doc_number_spans(text)
        self.quantities = find_quantities(text, skip)
        self.rejected: list[tuple[Quantity, str]] = []
        self.baselines: dict[int, int] = {}  # target quantity start -> baseline quantity start
        self.verbs = sorted({w for words in PHRASES["kind_before"].values() for w in words}
                             | set(PHRASES["scope_verbs"]) | set(PHRASES["extent_verbs"]) | set(PHRASES["extra_verbs"]),
                             key=len, reverse=True)

    def is_title_repeat(self, q: Quantity) -> bool:
        """True for a number in the first line when the same number and unit come again in the body."""
        if q.start >= self._title_end:
            return False
        return any(o.start >= self._title_end and o.value == q.value and o.unit == q.unit for o in self.quantities)

    # --- phrases -----------------------------------------------------------------------------------------------------
    def _segments(self) -> dict[int, tuple[int, int, list[Quantity]]]:
        """For each quantity start: its phrase bounds and the quantities of that phrase."""
        by_bounds: dict[tuple[int, int], list[Quantity]] = {}
        bounds_of: dict[int, tuple[int, int]] = {}
        for q in self.quantities:
            start, end = self.geometry.bounds(q.start)
            start = self.outline.after_heading_number(start)
            if self.geometry.in_quote[q.start]:  # a % inside “项目100%开工、资金100%支付”: the quote is the phrase
                opening = max(self.text.rfind(o, start, q.start) for o, _ in PHRASES["quote_pairs"])
                start = max(start, opening + 1)
                closing = min((i for i in (self.text.find(c, q.end, end) for _, c in PHRASES["quote_pairs"])
                               if i >= 0), default=end)
                end = min(end, closing)
            bounds_of[q.start] = (start, end)
            by_bounds.setdefault((start, end), []).append(q)
        return {s: (b[0], b[1], by_bounds[b]) for s, b in bounds_of.items()}

    def item_start(self, q: Quantity, members: list[Quantity], seg_start: int) -> int:
        """Where this number's list item starts: after the previous number of the phrase and the 、 or 和 after it."""
        previous = [m for m in members if m.end_all <= q.start and m is not q]
        if not previous:
            return seg_start
        start = previous[-1].end_all
        gap = self.text[start:q.start]
        if "、" in gap:
            return start + gap.rindex("、") + 1
        stripped = gap.lstrip(" \t\u3000")
        for connector in sorted(PHRASES["list_connectors"], key=len, reverse=True):
            if stripped.startswith(connector):
                return start + (len(gap) - len(stripped)) + len(connector)
        return start

    # --- judgement ---------------------------------------------------------------------------------------------------
    def read(self) -> list[Candidate]:
        segments = self._segments()
        qualifier_cache: dict[tuple[int, int], set[int]] = {}
        accepted: list[Quantity] = []
        for q in self.quantities:
            seg = segments[q.start]
            if seg[:2] not in qualifier_cache:
                qualifier_cache[seg[:2]] = judgement.qualifiers(self, seg[2])
                judgement.find_baselines(self, seg[2])
            reason = judgement.not_target_reason(self, q, seg, qualifier_cache[seg[:2]])
            if reason:
                self.rejected.append((q, reason))
            else:
                accepted.append(q)
        accepted_starts = {q.start for q in accepted}
        candidates: list[Candidate] = []
        previous_by_sentence: dict[tuple[int, int], Candidate] = {}  # last count/amount, for the kind
        last_by_sentence: dict[tuple[int, int], Candidate] = {}  # last of any kind, for the name
        per_clause: dict[str, int] = {}
        for q in accepted:
            seg_start, seg_end, members = segments[q.start]
            seg = (seg_start, seg_end, [m for m in members if m.start in accepted_starts])
            sentence = self.geometry.bounds(q.start, sentence=True)
            previous = previous_by_sentence.get(sentence)
            candidate = self._candidate(q, seg, previous)
            last = last_by_sentence.get(sentence)
            if last is not None:
                candidate.name = naming.borrow_name(self, candidate, last)
            last_by_sentence[sentence] = candidate
            per_clause[candidate.clause] = per_clause.get(candidate.clause, 0) + 1
            candidate.id = f"{self.plan_id}.t{clause_slug(candidate.clause)}.{per_clause[candidate.clause]}"
            if not is_percent(candidate.unit):
                previous_by_sentence[sentence] = candidate
            candidates.append(candidate)
        return candidates

    def _candidate(self, q: Quantity, seg: tuple[int, int, list[Quantity]], previous: Candidate | None) -> Candidate:
        text = self.text
        seg_start, seg_end, members = seg
        item_start = self.item_start(q, members, seg_start)
        # wording that belongs to a rejected number (超50亿元企业3家: 超 is the threshold's) is masked out
        masked = list(text[seg_start:q.start])
        for other, _ in self.rejected:
            if seg_start <= other.start and other.end_all <= q.start:
                for k in range(max(seg_start, other.start - 3), other.end_all):
                    masked[k - seg_start] = " "
        head = _CN_AMOUNT_CUE_RE.sub(lambda m: " " * len(m.group(0)), "".join(masked))  # 规模超百亿元的企业40户
        local = head[item_start - seg_start:]
        comparator = self._comparator(q, local, head)
        kind, phrase_kind = self._kind(q, local, head, comparator, previous)
        if q.start in self.baselines and kind == "increment":
            kind = phrase_kind = "level"  # 从33个到38个: a level moving from its baseline
        value = plain_number(q.value)
        value_max = plain_number(q.value_max) if q.value_max is not None else None
        unit = "个百分点" if q.unit == "百分点" else q.unit
        downward = nearest_in({"down": PHRASES["percent_kind_before"]["reduction"],
                                "up": PHRASES["percent_kind_before"]["growth"]}, local or head)[0] == "down"
        if phrase_kind == "reduction" or (phrase_kind == "points" and downward):
            comparator = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(comparator, comparator)
            if value_max is not None:
                value, value_max = -value_max, -value
            else:
                value = -value
        clause, chapter, task, leads = self.outline.clause_info(q.start)
        name, quote_end = naming.name_of(self, q, seg, item_start)
        quote = text[item_start:max(quote_end, q.end_all)].strip()
        notes = [n for n in (q.note, "余" if q.approx == "余" else None) if n]
        doubt, doubt_params = self._doubt(q, head)
        baseline = None
        if q.start in self.baselines:
            base = next(b for b in self.quantities if b.start == self.baselines[q.start])
            year = YEAR_WORD_RE.findall(text[max(0, base.start - 12):base.start])
            baseline = {"value": plain_number(base.value), "unit": base.unit,
                        "period": months.make(int(year[-1]), 12) if year else None}
        return Candidate(
            id="",
            plan=self.plan_id,
            clause=clause,
            chapter=chapter,
            task=task,
            name=name,
            kind=kind,
            phrase_kind=phrase_kind,
            comparator=comparator,
            value=value,
            value_max=value_max,
            unit=unit,
            quote=quote,
            span=(q.start, q.end),
            span_max=q.max_span,
            printed=q.printed,
            deadline=self._deadline(q),
            recurrence=self._recurrence(head),
            lead_units=leads,
            baseline=baseline,
            note="；".join(notes) or None,
            doubt=doubt,
            doubt_params=doubt_params,
        )

    def _doubt(self, q: Quantity, head: str) -> tuple[str | None, dict]:
        """Why a reviewer should look twice at a candidate that was kept: a code (doubt.<code> in i18n
        authoring.toml) and its params, or (None, {})."""
        comparison = next((w for w in PHRASES["comparison_words"] if w in head), "")
        if q.start < self._title_end:
            return "in_title", {}
        if comparison:
            return "compares_earlier", {"word": comparison}
        if not self.text[q.end_all:].strip():
            return "cut_off", {}
        if q.chinese:
            return "chinese_numerals", {"number": f"{q.printed}{q.unit}"}
        if q.unit in ("项", "件") and any(w in head for w in ("安排", "共", "确定")):
            return "programme_size", {"number": f"{q.printed}{q.unit}"}
        return None, {}

    def _comparator(self, q: Quantity, local: str, head: str) -> str:
        if q.value_max is not None:
            return "range"
        if q.approx:
            return PHRASES["comparator_between"][q.approx]
        if q.suffix:
            return PHRASES["comparator_after"][q.suffix]
        stripped = local.rstrip(" \t\u3000")
        word, end = nearest(stripped, PHRASES["comparator_before"])
        if end < len(stripped) or end < 0:  # "不超过1.9亿" is 不超过, not 过
            for word, comparator in sorted(PHRASES["comparator_adjacent"].items(), key=lambda kv: -len(kv[0])):
                if stripped.endswith(word):
                    return comparator
        for context in (local, head):
            word, end = nearest(context, PHRASES["comparator_before"])
            if end >= 0:
                return PHRASES["comparator_before"][word]
        return ">="

    def _kind(self, q: Quantity, local: str, head: str, comparator: str,
              previous: Candidate | None) -> tuple[str, str]:
        """(catalogue kind, phrase kind) from the nearest kind word; a bare list item takes its sentence's kind."""
        if q.unit in ("个百分点", "百分点"):
            return "growth", "points"
        if is_percent(q.unit) or q.unit == "倍":
            key = None
            for context in (local, head):
                key, _, _ = nearest_in(PHRASES["percent_kind_before"], context)
                if key:
                    break
            if key in ("reduction", "growth"):
                return "growth", key
            if key == "cap" or q.suffix in PHRASES["cap_after"]:
                return "cap", "cap"
            return "share", "share"
        if q.suffix in PHRASES["cap_after"]:
            return "cap", "cap"
        for context in (local, head):
            if key := nearest_in(PHRASES["kind_before"], context)[0]:
                if key == "level" and any(w in context for w in PHRASES["increment_override"]):
                    return "increment", "increment"  # 新增光伏装机容量80兆瓦
                return key, key
        if previous is not None:
            return previous.kind, previous.phrase_kind
        if comparator in ("<=", "<"):
            return "cap", "cap"
        return "increment", "increment"

    def _deadline(self, q: Quantity) -> str | None:
        """YYYY-MM from "到2025年" / "2023年底前" / "2023年6月底" before the number, else the plan's last year."""
        text = self.text
        sent_start, _ = self.geometry.bounds(q.start, sentence=True)
        best = None
        for match in re.finditer(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?", text[sent_start:q.start]):
            absolute = sent_start + match.start()
            lead = text[max(0, absolute - 2):absolute]
            if any(lead.endswith(w) for w in PHRASES["year_not_after"]) or self.geometry.in_quote[absolute]:
                continue
            if text[sent_start + match.end():sent_start + match.end() + 1] in ("）", ")", "—", "-"):
                continue
            month = int(match.group(2)) if match.group(2) else 12
            best = months.make(int(match.group(1)), month)
        if best:
            return best
        if self.period[1] is not None:
            return months.make(self.period[1], 12)
        return None

    @staticmethod
    def _recurrence(head: str) -> str | None:
        for word in PHRASES["recurrence_words"]:
            for match in re.finditer(word, head):
                before = head[max(0, match.start() - 1):match.start()]
                if not (before and before in PHRASES["recurrence_not_after"]):
                    return "yearly"
        return None


def plain_number(value: Decimal) -> float:
    """A Decimal as the catalogue writes it: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def clause_slug(clause: str) -> str:
    if not clause:
        return "x"
    parts = []
    for token in re.findall(r"[一二三四五六七八九十]+|[0-9]+", clause):
        number = chinese_to_number(token) if not token.isdigit() else Decimal(token)
        parts.append(str(int(number)) if number is not None else token)
    return "-".join(parts) or "x"


def extract_candidates(text: str, plan_id: str = "new-plan") -> list[Candidate]:
    """Candidate catalogue entries for every quantitative target found in ``text``, in text order.

    ``plan_id`` prefixes the suggested ids. Each candidate's ``span`` locates its number in ``text``. Traditional
    characters are read as simplified; spans, printed numbers and quotes are those of ``text`` itself.
    """
    norm = normalise(text)
    candidates = Reader(norm.text, plan_id).read()
    return [norm.restore(c) for c in candidates] if norm.changed else candidates


def ranked(candidates: list[Candidate]) -> list[Candidate]:
    """Confident candidates first, then the doubtful ones (each with its reason), each group in text order."""
    return [c for c in candidates if not c.doubt] + [c for c in candidates if c.doubt]


def rejected_numbers(text: str) -> list[tuple[str, int, str]]:
    """For debugging: (printed number, position, reason) for every number read with a unit but judged no target."""
    reader = Reader(text, "debug")
    reader.read()
    return [(q.printed, q.start, reason) for q, reason in reader.rejected]
