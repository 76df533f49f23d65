"""The heading structure of a plan: chapters, clause numbers, task titles, lead units and the plan's period."""

from __future__ import annotations

import re

from indicators.authoring.model import Section
from indicators.authoring.phrases import (
    HEADINGS,
    LEAD_GROUP_RE,
    LEAD_LINE_RE,
    PERIOD_SPAN_RE,
    PERIOD_YEAR_RE,
    PLAN_WORDS,
)
from indicators.text.numbers import NUMBER_RE


class Outline:
    """The heading structure of a policy text."""

    def __init__(self, text: str):
        self.text = text
        self.sections: list[Section] = []
        self.heading_lines: set[int] = set()  # start offsets of heading lines
        stack: list[Section] = []
        offset = 0
        for line in text.splitlines(keepends=True):
            stripped = line.rstrip("\r\n")
            heading = self._heading(stripped)
            if heading:
                level, number, rest = heading
                while stack and stack[-1].level >= level:
                    closed = stack.pop()
                    closed.end = offset
                parent = stack[-1] if stack else None
                title = re.split(r"[。]", rest, maxsplit=1)[0].strip().rstrip("：:；;，,")
                section = Section(level, number, title, stripped.strip(), offset,
                                   offset + len(stripped) - len(rest), parent=parent)
                if parent is not None and parent.children_start is None:
                    parent.children_start = offset
                self.sections.append(section)
                self.heading_lines.add(offset)
                stack.append(section)
            offset += len(line)
        for section in stack:
            section.end = len(text)
        for section in self.sections:
            if section.end < 0:
                section.end = len(text)

    @staticmethod
    def _heading(line: str) -> tuple[int, str, str] | None:
        for level, regex in HEADINGS:
            match = regex.match(line)
            if match and match.group(2).strip():
                rest = match.group(2)
                if level == 3 and NUMBER_RE.match(rest):
                    continue
                return level, match.group(1), rest
        return None

    def after_heading_number(self, pos: int) -> int:
        """``pos`` moved past a heading's number ("1．", "（二）") when it points into one."""
        for section in self.sections:
            if section.start <= pos < section.body_start:
                return section.body_start
        return pos

    def section_at(self, pos: int) -> Section | None:
        best = None
        for section in self.sections:
            if section.start <= pos < section.end and (best is None or section.level > best.level
                                                        or section.start > best.start):
                best = section
        return best

    @staticmethod
    def _path(section: Section | None) -> dict[int, Section]:
        path: dict[int, Section] = {}
        while section is not None:
            path.setdefault(section.level, section)
            section = section.parent
        return path

    def clause_info(self, pos: int) -> tuple[str, str, str, list[str]]:
        """(clause, chapter, task, lead_units) for a position in the text."""
        section = self.section_at(pos)
        path = self._path(section)
        l1, l2, l3, l4 = (path.get(i) for i in (1, 2, 3, 4))
        if l3 is not None:
            clause = (f"{l1.number if l1 else ''}（{l2.number}）{ascii_digits(l3.number)}" if l2
                      else ascii_digits(l3.number))
        elif l2 is not None:
            clause = f"{l1.number if l1 else ''}（{l2.number}）"
        elif l1 is not None:
            clause = l1.number
        else:
            clause = ""
        if l4 is not None:
            clause += f"（{ascii_digits(l4.number)}）"
        chapter = re.split(r"[。]", l1.line, maxsplit=1)[0].strip() if l1 else ""
        task = section.title if section is not None else ""
        return clause, chapter, task, self.lead_units(section)

    def lead_units(self, section: Section | None) -> list[str]:
        """Lead units from the clause's trailing parentheses, else from the nearest enclosing heading's."""
        while section is not None:
            own_end = section.children_start if section.children_start is not None else section.end
            units = parse_lead_units(self.text[section.start:own_end])
            if units:
                return units
            section = section.parent
        return []


def parse_lead_units(clause_text: str) -> list[str]:
    """Lead units from the last "(…负责/牵头/配合…)" group of a clause, exactly as printed.

    "（牵头单位：A、B；配合单位：C）" -> [A, B]; "(A牵头,B等部门配合)" -> [A]; "(A、B按职责分工负责)" -> [A, B].
    """
    groups = list(LEAD_GROUP_RE.finditer(clause_text))
    lines = list(LEAD_LINE_RE.finditer(clause_text))
    if lines and (not groups or lines[-1].start() > groups[-1].start()):
        body = lines[-1].group(0).strip()
    elif groups:
        body = groups[-1].group(1).strip()
    else:
        return []
    match = re.search(r"(?:牵头|责任|主责|负责|承办)单位\s*[:：]\s*([^；;。]*)", body)
    if match:
        names = re.split(r"[\u4e00-\u9fff]{2}单位\s*[:：]", match.group(1))[0]
    elif "牵头" in body:
        names = body.split("牵头", 1)[0]
    else:
        names = re.split(r"按职责分工负责|按职责分工|分别负责|等部门负责|等单位负责|共同负责|负责", body)[0]
    result = []
    for name in re.split(r"[、，,；;]", names):
        name = re.sub(r"(等部门|等单位|等)$", "", name.strip())
        if name:
            result.append(name)
    return result


def ascii_digits(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in text)


def plan_period(text: str) -> tuple[int | None, int | None]:
    """(first year, last year) of the plan, read from its title lines."""
    for line in text.splitlines()[:40]:
        if len(line.strip()) > 80 or not any(word in line for word in PLAN_WORDS):  # titles are short lines
            continue
        span = PERIOD_SPAN_RE.search(line)
        if span:
            return int(span.group(1)), int(span.group(2))
        years = PERIOD_YEAR_RE.findall(line)
        if years:
            return int(years[-1]), int(years[-1])
    return None, None


