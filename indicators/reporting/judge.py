"""The 未报 rule (DESIGN §6, §9), pure: the month a target is judged at, given what it has reported and what it owes.

As of month m, a target that has reported m is judged at m. One that owes m and has not reported it is judged at its
last reported month against that month's expectation, and flagged not reported: others' reports for m (which move
the default month to m) never make it look worse. One that never reported is no_data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Judgement:
    """When to judge a target as of ``as_of`` and whether its report for that month is in."""

    month: str  # the month whose expectation applies (as_of, or the last reported month)
    reported: bool  # a live value for the month in question, or nothing owed for it
    last_reported: str | None  # the latest month with a live value up to as_of (None: never reported)


def judge(as_of: str, last_reported: str | None, window: tuple[str, str], owes_month) -> Judgement:
    """Where to judge a target as of ``as_of``.

    ``last_reported``: its latest month with a live value up to ``as_of``; ``window``: the (first, last) month of the
    period it is judged over at ``as_of``; ``owes_month(month) -> bool``: its reporting schedule. After the deadline
    the month in question is the deadline month (the final figure is what is owed).
    """
    first, last = window
    month = min(as_of, last)
    if last_reported is not None and last_reported >= month:
        return Judgement(as_of, True, last_reported)
    if not owes_month(month):
        # nothing owed for this month (a quarterly target in October): its latest figure, at its own month
        if last_reported is not None and last_reported >= first:
            return Judgement(last_reported, True, last_reported)
        return Judgement(as_of, True, last_reported)
    if last_reported is None or last_reported < first:
        return Judgement(as_of, False, last_reported)  # nothing in this window: no_data
    return Judgement(last_reported, False, last_reported)
