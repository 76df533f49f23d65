"""One line per target that says, in the user's language, how its status was reached."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rules imports this module for Progress.explanation_*
    from indicators.progress.rules import Progress, TargetSpec


# --- wording ------------------------------------------------------------------------------------------------------
def format_number(value: float) -> str:
    """1320 -> '1,320'; 1.3200 -> '1.32'."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _months_text(first_month: str, period: str) -> tuple[str, str]:
    if first_month[:4] == period[:4]:
        zh = f"{int(first_month[5:])}–{int(period[5:])}月" if first_month != period else f"{int(period[5:])}月"
    else:
        zh = f"{first_month[:4]}年{int(first_month[5:])}月–{period[:4]}年{int(period[5:])}月"
    return zh, f"{first_month}..{period}"


def _comparator_zh(spec: TargetSpec) -> str:
    return {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于", "~": "约", "range": ""}.get(spec.comparator, "")


def explain(result: Progress, lang: str = "zh") -> str:
    """The one-line explanation of a result, e.g. "1–6月累计1,320个，应完成1,250个（50%），完成率52.8%"."""
    text = _explain(result, lang)
    if result.reported or result.actual is None or result.actual_period is None:
        return text
    month = min(result.as_of, result.spec.deadline) if result.spec is not None else result.as_of
    if lang == "zh":  # the 未报 rule (DESIGN §9): say which month's report is missing and where the data stops
        return f"{int(month[5:7])}月未报，按{int(result.actual_period[5:7])}月数据判定：{text}"
    return f"{month} not reported; judged at {result.actual_period}: {text}"


def _explain(result: Progress, lang: str) -> str:
    spec, zh = result.spec, lang == "zh"
    if result.actual is None or spec is None:
        return f"截至{result.as_of}尚无上报数据" if zh else f"no value reported up to {result.as_of}"
    actual, period, unit, completion = result.actual, result.actual_period, spec.unit, result.completion
    months_zh, months_en = _months_text(result.window_start, period)
    rate_rule = spec.kind in ("growth", "share") or (spec.comparator in ("<=", "<") and spec.kind != "cap")
    if rate_rule:
        word = {"growth": "同比增长"}.get(spec.kind, "")
        done = "" if completion is None else (f"，完成率{completion:.1%}" if zh else f" ({completion:.1%})")
        target = format_number(spec.value)
        if zh:
            return f"截至{int(period[5:])}月{word}{format_number(actual)}{unit}，目标{_comparator_zh(spec)}{target}{unit}{done}"
        return f"as of {period}: {format_number(actual)} {unit} against a target of {spec.comparator} {target} {unit}{done}"
    if spec.kind == "cap":
        if zh:
            return (f"{months_zh}累计{format_number(actual)}{unit}，按进度不超过{format_number(result.expected)}{unit}，"
                    f"预计全期{format_number(result.projected)}{unit}（上限{format_number(spec.value)}{unit}），使用率{completion:.1%}")
        return (f"{months_en} cumulative {format_number(actual)} {unit}; pro-rata ceiling {format_number(result.expected)}; projected "
                f"{format_number(result.projected)} against the cap of {format_number(spec.value)} ({completion:.1%} used)")
    if spec.kind == "level":
        if zh:
            return (f"{int(period[5:])}月末{format_number(actual)}{unit}，按进度应达到{format_number(result.expected)}{unit}，"
                    f"目标{format_number(spec.value)}{unit}，完成率{completion:.1%}")
        return (f"end of {period}: {format_number(actual)} {unit}; expected {format_number(result.expected)} by now, target "
                f"{format_number(spec.value)} ({completion:.1%})")
    if zh:
        return (f"{months_zh}累计{format_number(actual)}{unit}，应完成{format_number(result.expected)}{unit}（{result.share:.0%}），"
                f"完成率{completion:.1%}")
    return (f"{months_en} cumulative {format_number(actual)} {unit}; expected {format_number(result.expected)} ({result.share:.0%}); "
            f"completion {completion:.1%}")
