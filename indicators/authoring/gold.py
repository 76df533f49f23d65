"""Score the extractor on real texts against hand-made gold lists (``tests/data/extract/real/*.gold.yaml``).

A gold file names its text (kept outside the repository), the text's source address, its kind of text, its split
(``tuning`` or ``heldout``), every target (verbatim ``quote``, ``value``, ``unit``, ``comparator``, ``kind``) and, for
the other numbers, a ``quote`` and the ``reason`` they are no target. A candidate matches a gold target when its
number lies inside an occurrence of the target's quote and its value (or value_max) equals the target's value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from indicators.authoring.model import Candidate
from indicators.authoring.reader import extract_candidates
from indicators.text.numbers import occurrences

DEFAULT_GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "extract" / "real"


@dataclass(frozen=True)
class GoldTarget:
    """One target a person found in a real text."""

    quote: str
    value: float
    unit: str
    comparator: str
    kind: str
    value_max: float | None = None


@dataclass(frozen=True)
class GoldText:
    """A gold file: which text, where it came from, what kind of text, which half, and its targets."""

    name: str
    file: str
    source: str
    kind: str
    split: str
    targets: tuple[GoldTarget, ...]
    not_targets: tuple[tuple[str, str], ...]  # (quote, reason)


@dataclass
class TextScore:
    """How the extractor did on one text."""

    gold: GoldText
    found: int = 0
    candidates: int = 0
    correct: int = 0
    right_reading: int = 0  # matched candidates whose comparator and kind both equal the gold's
    doubtful_correct: int = 0  # matched candidates that nevertheless carry a doubt
    misses: list[GoldTarget] = field(default_factory=list)
    false_positives: list[tuple[Candidate, str]] = field(default_factory=list)
    wrong_reading: list[tuple[Candidate, GoldTarget]] = field(default_factory=list)


def load_gold(directory: Path = DEFAULT_GOLD_DIR) -> list[GoldText]:
    """Every ``*.gold.yaml`` in ``directory``, sorted by name."""
    result = []
    for path in sorted(Path(directory).glob("*.gold.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        targets = tuple(GoldTarget(quote=str(t["quote"]), value=t["value"], unit=str(t["unit"]),
                                   comparator=str(t["comparator"]), kind=str(t["kind"]),
                                   value_max=t.get("value_max")) for t in data.get("targets") or [])
        not_targets = tuple((str(n["quote"]), str(n["reason"])) for n in data.get("not_targets") or [])
        result.append(GoldText(path.name.removesuffix(".gold.yaml"), data["file"], data["source"], data["kind"],
                               data["split"], targets, not_targets))
    return result


def _values(*values: float | None) -> set[Decimal]:
    return {Decimal(str(abs(v))) for v in values if v is not None}


def _inside(text: str, quote: str, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= s + len(quote) for s in occurrences(text, quote) for start, end in spans)


def score_text(gold: GoldText, text: str) -> TextScore:
    """Run the extractor on ``text`` and compare with ``gold``."""
    score = TextScore(gold)
    candidates = extract_candidates(text, gold.name.split("_", 1)[0])
    score.candidates = len(candidates)
    found: set[int] = set()
    for candidate in candidates:
        spans = [candidate.span] + ([candidate.span_max] if candidate.span_max else [])
        values = _values(candidate.value, candidate.value_max)
        matched = [i for i, t in enumerate(gold.targets)
                   if values & _values(t.value, t.value_max) and _inside(text, t.quote, spans)]
        if not matched:
            reason = next((why for quote, why in gold.not_targets if _inside(text, quote, spans)), "not in the gold list")
            score.false_positives.append((candidate, reason))
            continue
        score.correct += 1
        score.doubtful_correct += bool(candidate.doubt)
        index = next((i for i in matched if i not in found), matched[0])
        found.add(index)
        target = gold.targets[index]
        if candidate.comparator == target.comparator and candidate.kind == target.kind:
            score.right_reading += 1
        else:
            score.wrong_reading.append((candidate, target))
    score.found = len(found)
    score.misses = [t for i, t in enumerate(gold.targets) if i not in found]
    return score


@dataclass
class GoldEvaluation:
    """Scores of every text, with totals per split and per kind of text."""

    scores: list[TextScore]

    @staticmethod
    def _totals(scores: list[TextScore]) -> tuple[int, int, int, int, int]:
        return (sum(len(s.gold.targets) for s in scores), sum(s.found for s in scores),
                sum(s.candidates for s in scores), sum(s.correct for s in scores),
                sum(s.right_reading for s in scores))

    def figures(self, scores: list[TextScore] | None = None) -> dict[str, float | int]:
        """targets, found, candidates, correct, recall, precision and reading (comparator+kind right) accuracy."""
        targets, found, candidates, correct, right = self._totals(self.scores if scores is None else scores)
        return {"texts": len(self.scores if scores is None else scores), "targets": targets, "found": found,
                "candidates": candidates, "correct": correct,
                "recall": found / targets if targets else 1.0,
                "precision": correct / candidates if candidates else 1.0,
                "reading": right / correct if correct else 1.0}

    def doubts(self, scores: list[TextScore] | None = None) -> str:
        """How many false candidates carry a doubt (a reason ranked last), and how many right ones do too."""
        scores = self.scores if scores is None else scores
        false = [c for s in scores for c, _ in s.false_positives]
        correct = sum(s.correct for s in scores)
        flagged = sum(1 for c in false if c.doubt)
        return (f"false candidates carrying a doubt: {flagged}/{len(false)}; "
                f"right candidates carrying a doubt: {sum(s.doubtful_correct for s in scores)}/{correct}")

    def table(self) -> str:
        """Per text, per split, per kind of text and per split × kind, one line each."""
        header = (f"{'':<40} {'texts':>5} {'targets':>7} {'found':>5} {'recall':>7} {'cands':>5} {'correct':>7} "
                  f"{'precision':>9} {'cmp+kind':>8}")
        lines = [header, "-" * len(header)]

        def row(label: str, scores: list[TextScore]) -> str:
            f = self.figures(scores)
            return (f"{label:<40} {f['texts']:>5} {f['targets']:>7} {f['found']:>5} {f['recall']:>7.1%} "
                    f"{f['candidates']:>5} {f['correct']:>7} {f['precision']:>9.1%} {f['reading']:>8.1%}")

        for score in self.scores:
            lines.append(row(f"{score.gold.name} [{score.gold.split[0]}]", [score]))
        lines.append("-" * len(header))
        for split in sorted({s.gold.split for s in self.scores}, reverse=True):
            in_split = [s for s in self.scores if s.gold.split == split]
            lines.append(row(f"{split}", in_split))
            for kind in sorted({s.gold.kind for s in in_split}):
                lines.append(row(f"  {split} · {kind}", [s for s in in_split if s.gold.kind == kind]))
        lines.append(row("all", self.scores))
        return "\n".join(lines)

    def details(self) -> str:
        """Every miss, false positive (with the gold's reason) and wrong reading, one per line."""
        lines = []
        for s in self.scores:
            for target in s.misses:
                lines.append(f"  miss  {s.gold.name}: {target.value:g} {target.unit} · {target.quote}")
            for candidate, why in s.false_positives:
                doubt = f" [doubt: {candidate.doubt_text('en')}]" if candidate.doubt else ""
                lines.append(f"  extra {s.gold.name}: {candidate.printed} {candidate.unit} ({why}){doubt} · "
                             f"{candidate.quote}")
            for candidate, target in s.wrong_reading:
                lines.append(f"  read  {s.gold.name}: {candidate.printed} {candidate.comparator} {candidate.kind} "
                             f"(gold {target.comparator} {target.kind}) · {candidate.quote}")
        return "\n".join(lines)


def evaluate_gold(texts_dir: Path, gold_dir: Path = DEFAULT_GOLD_DIR, split: str | None = None) -> GoldEvaluation:
    """Score the extractor on every text of ``texts_dir`` that has a gold file (only ``split`` when given).

    Raises FileNotFoundError naming the first gold file whose text is missing from ``texts_dir``.
    """
    scores = []
    for gold in load_gold(gold_dir):
        if split and gold.split != split:
            continue
        path = Path(texts_dir) / gold.file
        if not path.is_file():
            raise FileNotFoundError(f"{path} (text of {gold.name}, from {gold.source})")
        scores.append(score_text(gold, path.read_text(encoding="utf-8")))
    return GoldEvaluation(scores)
