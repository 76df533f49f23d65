"""Coverage of the sources: every number in a plan's text is a catalogued target or a judged non-target."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from indicators.catalogue.models import Catalogue, Problem
from indicators.text.numbers import find_numbers, numbers_to_account_for, occurrences, to_decimal


def coverage(catalogue: Catalogue, sources: list[str] | None = None) -> list[tuple[str, int, str, str]]:
    """Numbers in the sources that are neither a target's value (inside its quote) nor a listed exclusion.

    Returns (source file name, line number, printed number, the line's text around it) for each uncovered number.
    """
    doc_numbers = tuple(p.doc_number for p in catalogue.plans.values())
    paths = {Path(p.source).name: p.source for p in catalogue.plans.values()}
    paths.update({Path(e).name: e for p in catalogue.plans.values() for e in p.explainers})
    files = sorted(paths) if sources is None else [Path(s).name for s in sources]
    missing = []
    for name in files:
        text = catalogue.source_text(paths.get(name, name))
        covered: list[tuple[int, int, set[Decimal]]] = []
        for target in catalogue.targets:
            if Path(catalogue.quote_source(target)).name != name:
                continue
            allowed = {Decimal(str(abs(v))) for v in (target.value, target.value_max) if v is not None}
            if target.baseline is not None:
                allowed.add(Decimal(str(abs(target.baseline.value))))
            covered += [(s, s + len(target.quote), allowed) for s in occurrences(text, target.quote)]
        for exclusion in catalogue.exclusions:
            if Path(exclusion.source).name != name:
                continue
            allowed = set()
            for printed in exclusion.numbers:
                try:
                    allowed.add(to_decimal(printed))
                except ValueError:
                    continue
            covered += [(s, s + len(exclusion.quote), allowed) for s in occurrences(text, exclusion.quote)]
        for number in numbers_to_account_for(text, doc_numbers):
            if any(s <= number.start and number.end <= e and number.value in allowed for s, e, allowed in covered):
                continue
            line_no = text.count("\n", 0, number.start) + 1
            context = text[max(0, number.start - 20):number.end + 12].replace("\n", " ")
            missing.append((name, line_no, number.printed, context.strip()))
        missing += _uncovered_words(catalogue, name, text)
    return missing


def _uncovered_words(catalogue: Catalogue, name: str, text: str) -> list[tuple[str, int, str, str]]:
    """Quantities written in words (全覆盖, 两位数, 正增长 ...) outside every target's and exclusion's quote: a target
    without a digit must not slip past the number check."""
    from indicators.catalogue.rules import TARGET_WORDS  # rules imports models, as this module does

    spans = [(s, s + len(t.quote)) for t in catalogue.targets if Path(catalogue.quote_source(t)).name == name
             for s in occurrences(text, t.quote)]
    spans += [(s, s + len(e.quote)) for e in catalogue.exclusions if Path(e.source).name == name
              for s in occurrences(text, e.quote)]
    missing = []
    for word in TARGET_WORDS:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(s <= start and end <= e for s, e in spans):
                line_no = text.count("\n", 0, start) + 1
                missing.append((name, line_no, word, text[max(0, start - 20):end + 12].replace("\n", " ").strip()))
            start = text.find(word, end)
    return missing


def exclusion_problems(catalogue: Catalogue) -> list[Problem]:
    """Exclusions whose quote is not verbatim or does not contain the numbers they list."""
    problems = []
    for index, exclusion in enumerate(catalogue.exclusions):
        where = f"{index + 1} ({exclusion.source})"
        try:
            text = catalogue.source_text(exclusion.source)
        except FileNotFoundError:
            problems.append(Problem(where, "source", "source_missing", {"source": exclusion.source}, entry="exclusion"))
            continue
        if exclusion.quote not in text:
            problems.append(Problem(where, "quote", "exclusion_not_verbatim", {"quote": exclusion.quote},
                                    entry="exclusion"))
            continue
        printed = {n.printed for n in find_numbers(exclusion.quote)}
        for number in exclusion.numbers:
            if number not in printed:
                problems.append(Problem(where, "numbers", "number_not_in_quote", {"number": number},
                                        entry="exclusion"))
    return problems
