"""Upload problems as stable codes: ``Issue(code, row, column, params)``; the sentence comes from the i18n catalogue.

Each code's message is ``issue.<code>`` in ``indicators/i18n/{zh,en}/issues.toml``. ``{column}`` in a message is the
template's header of the issue's column in that language (实际值 / value, ``issue_column.<column>``); a list
parameter is joined the language's way; an unknown id's suggestions add ``issue_hint.did_you_mean``. Row 0 (column
"-") means the file as a whole. ``letter`` is the column's letter in the file as Excel shows it (D), filled in by
``locate`` once the header is read: ``where()`` says "第5行 D列（实际值）".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

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

# The internal column names; each has its template header per language as issue_column.<name> in issues.toml
# (messages name the column the way the user's file does), and "-" (the whole file) too.
COLUMN_NAMES = ("target_id", "period", "value", "unit", "basis", "note", "-")
_LIST_SEPARATOR = {"zh": "、", "en": ", "}


@dataclass(frozen=True)
class Issue:
    """One problem with an upload. Row numbers count the header as row 1 (0 = the file as a whole)."""

    code: str
    row: int
    column: str
    params: dict = field(default_factory=dict, hash=False)
    severity: str = "error"  # error | warning
    letter: str = ""  # the column's letter in the file (A, B, ..., AA), "" when unknown (e.g. a missing column)

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
        """'第5行 D列（实际值）' / 'row 5, column D (value)'; without a letter '第 5 行，实际值'; for the file as a whole
        '整个文件' / 'whole file'."""
        from indicators.i18n import t

        if self.row == 0:
            return column_header("-", lang)
        if self.letter:
            return t("issue_where.cell", lang, row=self.row, letter=self.letter,
                     column=column_header(self.column, lang))
        return t("issue_where.row", lang, row=self.row, column=column_header(self.column, lang))

    def column_label(self, lang: str = "zh") -> str:
        """The column as the file shows it: 'D列（实际值）' / 'column D (value)', or the header alone without a letter."""
        from indicators.i18n import t

        header = column_header(self.column, lang)
        return t("issue_where.column", lang, letter=self.letter, column=header) if self.letter else header

    def as_dict(self, lang: str = "zh") -> dict:
        """The JSON of one issue (`import --json`): row, column, code and message."""
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message(lang)}


def column_header(column: str, lang: str = "zh") -> str:
    """The template's header for an internal column name (anything else, e.g. an XLSX cell, as it is)."""
    from indicators.i18n import t

    return t(f"issue_column.{column}", lang) if column in COLUMN_NAMES else column


def column_letter(index: int) -> str:
    """Excel's letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def locate(issues: list[Issue], columns: Mapping[str, int]) -> list[Issue]:
    """The issues with the letter of their column in the file, given the header's {column: index}; a column
    given twice is located at its second, the one to delete. Issues of the whole file, or of a column the file
    lacks, stay as they are."""
    located = []
    for issue in issues:
        index = columns.get(issue.column)
        if issue.code == "duplicate_column":
            index = issue.params["second_index"] - 1
        located.append(issue if issue.row == 0 or index is None or issue.letter
                       else replace(issue, letter=column_letter(index)))
    return located


def _joined(value: object, lang: str) -> object:
    if isinstance(value, (list, tuple)):
        return _LIST_SEPARATOR[lang].join(map(str, value))
    return value


def file_issue(code: str, **params: object) -> Issue:
    """An issue with the file as a whole (row 0)."""
    return Issue(code, 0, "-", params)
