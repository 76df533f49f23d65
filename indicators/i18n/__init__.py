"""Every user-facing label in Chinese (default) and English, in one table so both languages stay complete."""

from __future__ import annotations

from indicators.progress import STATUS_EN, STATUS_ZH

LANGS = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # key: (中文, English)
    "app_title": ("指标目标—实绩监测看板", "Policy target monitoring dashboard"),
    "overview": ("总览", "Overview"),
    "indicator": ("指标详情", "Indicator"),
    "upload": ("数据上报", "Upload"),
    "catalogue": ("指标目录", "Catalogue"),
    "export": ("图表导出", "Export"),
    "audit": ("审计日志", "Audit log"),
    "plans": ("计划", "Plans"),
    "all_plans": ("全部计划", "All plans"),
    "jurisdiction": ("辖区", "Jurisdiction"),
    "all_jurisdictions": ("全部辖区", "All jurisdictions"),
    "as_of": ("截至月份", "As of"),
    "language": ("语言 / Language", "语言 / Language"),
    "demo_banner": ("示例数据 / demo data：当前显示的实绩为系统生成的示例数据，并非真实统计。",
                    "示例数据 / demo data: the actuals shown are generated demo values, not real statistics."),
    "targets_tracked": ("跟踪指标", "Targets tracked"),
    "mean_completion": ("平均完成率", "Mean completion"),
    "by_sector": ("分领域进展", "Progress by sector"),
    "by_unit": ("分牵头单位进展", "Progress by lead unit"),
    "by_jurisdiction": ("分辖区进展", "Progress by jurisdiction"),
    "heatmap": ("领域×状态分布", "Sector × status"),
    "summary": ("目标进展概况", "Progress summary"),
    "trajectory": ("完成进度", "Trajectory"),
    "attention": ("需要关注", "Needs attention"),
    "targets": ("指标数", "Targets"),
    "sector": ("领域", "Sector"),
    "lead_units": ("牵头单位", "Lead units"),
    "status": ("状态", "Status"),
    "completion": ("完成率", "Completion"),
    "actual": ("实际值", "Actual"),
    "expected": ("按进度应完成", "Expected by now"),
    "target": ("目标值", "Target"),
    "cap": ("上限", "Cap"),
    "month": ("月份", "Month"),
    "name": ("指标名称", "Indicator"),
    "explanation": ("说明", "Explanation"),
    "source_line": ("目标来源：{docs}；数据来源：各单位月度上报", "Targets: {docs}; data: monthly reports of the units"),
    "demo_source": ("（示例数据，非真实统计）", " (demo data, not real statistics)"),
    "as_of_title": ("截至{year}年{month}月", "as of {month_name} {year}"),
    "empty_state": ("数据库中还没有实绩数据。请在“数据上报”页上传月度数据，或运行 `python -m indicators demo` 载入示例数据。",
                    "No actuals yet. Upload a monthly file on the Upload page, or run `python -m indicators demo` "
                    "to load the demo data."),
    "no_targets": ("所选范围内没有指标。", "No targets in the selection."),
}

MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The label ``key`` in ``lang`` ('zh' or 'en'), with {placeholders} filled."""
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def status_label(status: str, lang: str = "zh") -> str:
    return (STATUS_ZH if lang == "zh" else STATUS_EN)[status]


def as_of_label(as_of: str, lang: str = "zh") -> str:
    """'2023-06' -> '截至2023年6月' / 'as of Jun 2023'."""
    year, month = as_of[:4], int(as_of[5:7])
    return t("as_of_title", lang, year=year, month=month, month_name=MONTH_EN[month - 1])
