"""Score the extractor against the catalogue: recall, precision, misses and false positives per plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from indicators import catalogue as cat
from indicators import config
from indicators.authoring.model import Candidate
from indicators.authoring.reader import extract_candidates
from indicators.text.numbers import chinese_to_number, occurrences, to_decimal


@dataclass
class PlanEvaluation:
    """Recall and precision of the extractor on one plan's source text."""

    plan: str
    source: str
    targets: int
    found: int
    candidates: int
    correct: int
    misses: list[cat.Target] = field(default_factory=list)
    false_positives: list[tuple[Candidate, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0


@dataclass
class EvaluationResult:
    """Per-plan and overall recall/precision, with the misses and false positives for debugging."""

    plans: list[PlanEvaluation]

    @property
    def targets(self) -> int:
        return sum(p.targets for p in self.plans)

    @property
    def found(self) -> int:
        return sum(p.found for p in self.plans)

    @property
    def candidates(self) -> int:
        return sum(p.candidates for p in self.plans)

    @property
    def correct(self) -> int:
        return sum(p.correct for p in self.plans)

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0

    def table(self) -> str:
        """A plain-text table: one row per plan and an overall row."""
        header = f"{'plan':<26} {'targets':>7} {'found':>6} {'recall':>7} {'candidates':>10} {'correct':>7} {'precision':>9}"
        rows = [header, "-" * len(header)]
        for p in self.plans + [None]:
            label, t, f, c, k, r, pr = (
                (p.plan, p.targets, p.found, p.candidates, p.correct, p.recall, p.precision) if p else
                ("overall", self.targets, self.found, self.candidates, self.correct, self.recall, self.precision))
            if p is None:
                rows.append("-" * len(header))
            rows.append(f"{label:<26} {t:>7} {f:>6} {r:>7.1%} {c:>10} {k:>7} {pr:>9.1%}")
        return "\n".join(rows)

    def details(self) -> str:
        """Every missed target and every false positive, one per line."""
        lines = []
        for p in self.plans:
            for target in p.misses:
                lines.append(f"  miss  {p.plan} {target.id}: {target.value:g} {target.unit} · {target.quote}")
            for candidate, why in p.false_positives:
                lines.append(f"  extra {p.plan} @{candidate.span[0]} {candidate.printed} {candidate.unit} "
                             f"({why}) · {candidate.quote}")
        return "\n".join(lines)




def _spans_of(candidate: Candidate) -> list[tuple[int, int]]:
    return [candidate.span] + ([candidate.span_max] if candidate.span_max else [])


def _values_of(candidate: Candidate) -> set[Decimal]:
    return {Decimal(str(abs(v))) for v in (candidate.value, candidate.value_max) if v is not None}


def evaluate(catalogue: cat.Catalogue) -> EvaluationResult:
    """Run the extractor on every plan's source and score it against the catalogue and its exclusions.

    A candidate matches a target when its number span lies inside an occurrence of the target's quote in the source
    and its value equals the target's value or value_max. A candidate whose number is listed in an exclusion (inside
    the exclusion's quote) is a false positive, as is any candidate matching no target. Targets quoted from another
    file than the plan's source (the explainer) are not counted.
    """
    results = []
    for plan_id, plan in catalogue.plans.items():
        source_name = Path(plan.source).name
        try:
            text = catalogue.source_text(plan.source)
        except FileNotFoundError:
            continue
        targets = [t for t in catalogue.targets if t.plan == plan_id and Path(catalogue.quote_source(t)).name
                   == source_name]
        exclusions = [e for e in catalogue.exclusions if Path(e.source).name == source_name]
        candidates = extract_candidates(text, plan_id)
        target_spans = [(t, [(s, s + len(t.quote)) for s in occurrences(text, t.quote)],
                         {Decimal(str(abs(v))) for v in (t.value, t.value_max) if v is not None}) for t in targets]
        excluded_spans = []
        for exclusion in exclusions:
            numbers = set()
            for printed in exclusion.numbers:
                try:
                    numbers.add(to_decimal(printed))
                except ValueError:
                    continue
            excluded_spans += [(s, s + len(exclusion.quote), numbers, exclusion.reason)
                               for s in occurrences(text, exclusion.quote)]
        found: set[str] = set()
        correct = 0
        false_positives: list[tuple[Candidate, str]] = []
        for candidate in candidates:
            start, end = candidate.span
            excluded = next((reason for s, e, numbers, reason in excluded_spans
                             if s <= start and end <= e and to_decimal_safe(candidate.printed) in numbers), None)
            if excluded is not None:
                false_positives.append((candidate, f"excluded: {excluded}"))
                continue
            values = _values_of(candidate)
            matched = [t for t, spans, allowed in target_spans
                       if values & allowed and any(s <= cs and ce <= e for s, e in spans
                                                   for cs, ce in _spans_of(candidate))]
            if matched:
                correct += 1
                found.update(t.id for t in matched)
            else:
                false_positives.append((candidate, "not in the catalogue"))
        misses = [t for t in targets if t.id not in found]
        results.append(PlanEvaluation(plan_id, source_name, len(targets), len(targets) - len(misses),
                                      len(candidates), correct, misses, false_positives))
    return EvaluationResult(results)


def to_decimal_safe(printed: str) -> Decimal | None:
    """The value of a printed Arabic number, or of a Chinese numeral; None when it is neither."""
    try:
        return to_decimal(printed)
    except ValueError:
        return chinese_to_number(printed)


def load_catalogue(targets: Path | None = None, exclusions: Path | None = None) -> cat.Catalogue:
    """The catalogue to evaluate against (default: the deployment's targets and judged non-targets)."""
    targets = Path(targets) if targets else config.targets_path()
    exclusions = Path(exclusions) if exclusions else config.not_targets_path()
    return cat.load(targets, exclusions if exclusions.exists() else None)



