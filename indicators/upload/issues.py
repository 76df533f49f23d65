"""Upload problems as stable codes: ``Issue(code, row, column, params)``; the sentence comes from the i18n catalogue.

Each code's message is ``issue.<code>`` in ``indicators/i18n/{zh,en}/issues.toml``. ``{column}`` in a message is the
template's header of the issue's column in that language (实际值 / value); a list parameter is joined the language's
way; an unknown id's suggestions add ``issue_hint.did_you_mean``. Row 0 (column "-") means the file as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Every code an upload can report (tests/test_issues.py checks each has a message in both languages).
ERROR_CODES = (
    "empty_file", "too_big", "bad_encoding", "not_a_table", "malformed_csv", "malformed_xlsx", "unsafe_xml",
    "too_many_rows", "too_many_columns", "missing_column", "duplicate_column", "nothing_to_commit",
    "empty_target_id", "unknown_target", "retired_target", "out_of_scope", "may_not_write",
    "bad_period", "period_outside_plan", "duplicate_row", "not_a_number", "non_finite", "too_large", "too_long",
    "formula_without_value", "unit_conflict", "unit_unknown", "unit_mismatch", "negative", "bad_basis",
    "monthly_not_allowed", "missing_previous",
)
WARNING_CODES = ("cumulative_decrease", "over_10x")
CODES = ERROR_CODES + WARNING_CODES

# The template's header of each column, per language: messages name the column the way the user's file does.
COLUMN_HEADERS = {
    "zh": {"target_id": "指标编号", "period": "期间", "value": "实际值", "unit": "单位", "basis": "口径", "note": "备注",
           "-": "整个文件"},
    "en": {"target_id": "target_id", "period": "period", "value": "value", "unit": "unit", "basis": "basis",
           "note": "note", "-": "whole file"},
}
_LIST_SEPARATOR = {"zh": "、", "en": ", "}


@dataclass(frozen=True)
class Issue:
    """One problem with an upload. Row numbers count the header as row 1 (0 = the file as a whole)."""

    code: str
    row: int
    column: str
    params: dict = field(default_factory=dict, hash=False)
    severity: str = "error"  # error | warning

    def message(self, lang: str = "zh") -> str:
        """The sentence for this issue in ``lang``, from the i18n catalogue."""
        from indicators.i18n import t  # i18n reads the catalogues; imported late to keep upload import-light

        lang = "en" if lang == "en" else "zh"
        values = {key: _joined(value, lang) for key, value in self.params.items()}
        values["column"] = column_header(self.column, lang)
        text = t(f"issue.{self.code}", lang, **values)
        if self.params.get("suggestions"):
            text += t("issue_hint.did_you_mean", lang, ids=values["suggestions"])
        return text

    def where(self, lang: str = "zh") -> str:
        """'row 3, 实际值' or, for the file as a whole, '整个文件' / 'whole file'."""
        if self.row == 0:
            return COLUMN_HEADERS[lang if lang == "en" else "zh"]["-"]
        header = column_header(self.column, lang)
        return f"第 {self.row} 行，{header}" if lang != "en" else f"row {self.row}, {header}"

    def as_dict(self, lang: str = "zh") -> dict:
        """The JSON of one issue (`import --json`): row, column, code and message."""
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message(lang)}


def column_header(column: str, lang: str = "zh") -> str:
    """The template's header for an internal column name (anything else, e.g. an XLSX cell, as it is)."""
    return COLUMN_HEADERS["en" if lang == "en" else "zh"].get(column, column)


def _joined(value: object, lang: str) -> object:
    if isinstance(value, (list, tuple)):
        return _LIST_SEPARATOR[lang].join(map(str, value))
    return value


def file_issue(code: str, **params: object) -> Issue:
    """An issue with the file as a whole (row 0)."""
    return Issue(code, 0, "-", params)
