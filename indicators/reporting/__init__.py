"""The reporting cycle (DESIGN §9): what is owed by whom and when, the 未报 rule, completeness and timeliness.

schedule (pure: owed months, due dates, on time, reporter), judge (pure: the month a target is judged at), cycle
(pure: expected / reported / on time / late / missing per group and month, completeness, the default month), read
(the same from the store).
"""

from __future__ import annotations

from indicators.reporting.judge import Judgement, judge
from indicators.reporting.schedule import (
    BEIJING,
    FREQUENCIES,
    days_overdue,
    due_date,
    due_moment,
    on_time,
    owed_months,
    owes,
    reporter_of,
    today_in_beijing,
)


def evaluate_reported(spec, frequency: str | None, latest: tuple[str, float] | None,
                      first: tuple[str, float] | None, as_of: str, thresholds=None):
    """progress.evaluate_points with the 未报 rule: judged at the month ``judge`` gives, flagged, reported as of ``as_of``.

    ``latest`` is the target's latest live (month, value) up to ``as_of``; the result's ``as_of`` stays ``as_of``.
    """
    from indicators import progress

    window = progress.target_window(spec, as_of)
    verdict = judge(as_of, latest[0] if latest else None, window,
                    lambda month: owes(month, spec.start, spec.deadline, frequency))
    # past the deadline the period ends in a verdict (issue 15: achieved or missed, never red again), still flagged
    # 未报 when the final month is missing; up to the deadline month the 未报 rule judges at the last reported month
    month = as_of if as_of > window[1] else verdict.month
    result = progress.evaluate_points(spec, latest, first, month, thresholds or progress.Thresholds())
    result.as_of = as_of
    result.reported = verdict.reported
    result.last_reported = verdict.last_reported
    return result


__all__ = ["BEIJING", "FREQUENCIES", "Judgement", "judge", "days_overdue", "due_date", "due_moment", "on_time",
           "owed_months", "owes", "reporter_of", "today_in_beijing", "evaluate_reported"]
