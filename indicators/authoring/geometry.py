"""Where quotation marks are, and where the phrase and sentence around a position begin and end."""

from __future__ import annotations

import re

from indicators.authoring.outline import Outline
from indicators.authoring.phrases import CLOSE_PARENS, OPEN_PARENS, PHRASES, SEGMENT_BREAKS, SENTENCE_BREAKS

_CJK_SPACE_RE = re.compile(r"[\u4e00-\u9fff%）)\]][ \u3000]+(?:[\u4e00-\u9fff\-—\[]|\[\d)|(?:[\u4e00-\u9fff ])\[\d")


class Geometry:
    """Where quotes are, and where the phrase (segment) and sentence around a position begin and end."""

    def __init__(self, text: str, outline: Outline):
        self.text = text
        self.in_quote = [False] * len(text)
        for opening, closing in PHRASES["quote_pairs"] + (('"', '"'),):  # ASCII quotes open and close alike
            start = None
            for i, char in enumerate(text):
                if char == closing and start is not None:
                    for k in range(start, i + 1):
                        self.in_quote[k] = True
                    start = None
                elif char == opening and start is None:
                    start = i
                elif char == "\n":
                    start = None
        # a newline ends a phrase when the line before it ends a sentence or is a heading, or a heading follows
        self.hard_newlines: set[int] = set()
        # (a page break inside a sentence, "重点技改项\n\n目 1000 个", is not a break)
        heading_starts = outline.heading_lines
        lines = text.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        next_content: list[tuple[int, str] | None] = [None] * (len(lines) + 1)
        for index in range(len(lines) - 1, -1, -1):
            next_content[index] = (offsets[index], lines[index]) if lines[index].strip() else next_content[index + 1]
        last_content, last_start = "", -1
        for index, line in enumerate(lines):
            offset = offsets[index]
            end = offset + len(line.rstrip("\r\n"))
            if line.strip():
                last_content, last_start = line.strip(), offset
            following = next_content[index + 1]
            if (not last_content or last_content[-1] in "。；;！？!?：:）)”" or last_start in heading_starts
                    or len(last_content) < 20 or following is None or following[0] in heading_starts
                    or following[1][:1] in " \t\u3000"):
                self.hard_newlines.add(end)

    def _is_break(self, i: int, breaks: set[str]) -> bool:
        char = self.text[i]
        if char == "\n" or char == "\r":
            return i in self.hard_newlines
        if char in " \u3000[" and _CJK_SPACE_RE.match(self.text, max(0, i - 1)):
            return True  # "挡墙13.46千米 道路8.72千米", "… [1] …": a summary written with spaces between items
        if char not in breaks:
            return False
        if char == ".":  # an ASCII full stop ends a phrase in carelessly typed text, a decimal point does not
            before, after = self.text[i - 1:i], self.text[i + 1:i + 2]
            return not (before.isdigit() or before.isascii() and before.isalpha()) or not after
        if char in ",，" and 0 < i < len(self.text) - 3:  # thousands separator 1,320
            before, after = self.text[i - 1], self.text[i + 1:i + 4]
            if before.isdigit() and after.isdigit() and len(after) == 3:
                return False
        return True

    def bounds(self, pos: int, sentence: bool = False) -> tuple[int, int]:
        """Start and end of the phrase (or sentence) around ``pos``; parentheses are opaque, an open one is a bound."""
        breaks = SENTENCE_BREAKS if sentence else SEGMENT_BREAKS
        text = self.text
        depth, i = 0, pos - 1
        while i >= 0:
            char = text[i]
            if char in CLOSE_PARENS:
                depth += 1
            elif char in OPEN_PARENS:
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and self._is_break(i, breaks):
                break
            i -= 1
        start = i + 1
        depth, j = 0, pos
        while j < len(text):
            char = text[j]
            if char in OPEN_PARENS:
                depth += 1
            elif char in CLOSE_PARENS:
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and self._is_break(j, breaks):
                break
            j += 1
        while start < j and text[start] in " \t\u3000\r\n●▶•■◆★-—":  # bullets open a line, they are no words
            start += 1
        return start, j


