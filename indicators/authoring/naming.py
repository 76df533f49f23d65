"""A short indicator name for a target, from the words around its number."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indicators.authoring.model import Candidate, Quantity
from indicators.authoring.phrases import PHRASES
from indicators.authoring.words import nearest

if TYPE_CHECKING:
    from indicators.authoring.reader import Reader


def borrow_name(reader: Reader, candidate: Candidate, last: Candidate) -> str:
    """Complete a name the text leaves implicit from the previous target of the sentence.

    "新建5G基站3100个，累计达到10000个" -> 5G基站; "营业收入突破3000亿元，年均增长8%" -> 营业收入年均增长;
    "比重提高3个百分点，达到32%" -> 比重.
    """
    growth_words = PHRASES["percent_kind_before"]["growth"] + PHRASES["percent_kind_before"]["reduction"]
    subject = strip_verb(last.name, reader.verbs)
    changed = True
    while changed:
        changed = False
        for word in sorted(growth_words + tuple(PHRASES["comparator_before"]), key=len, reverse=True):
            if subject.endswith(word) and len(subject) > len(word):
                subject, changed = subject[: -len(word)], True
    if not candidate.name:
        return subject
    bare = re.sub(r"^(年均|同比|比上年|较上年)", "", candidate.name)
    if bare in growth_words and subject and not subject.endswith(candidate.name):
        return subject + candidate.name
    return candidate.name



def ends_with_verb(reader: Reader, text: str) -> bool:
    return any(text.endswith(v) for v in reader.verbs)



def name_of(reader: Reader, q: Quantity, seg: tuple[int, int, list[Quantity]], item_start: int) -> tuple[str, int]:
    """A short name for what is counted, and where the quote should end.

    The thing counted is written before the number ("新增高新技术企业100家") or after it ("推动200家企业对接合作",
    "新增不少于20家城市书房"); in a list, an item without its own verb borrows the phrase's ("新增A2家、B3家").
    """
    text = reader.text
    seg_start, seg_end, members = seg
    raw_before = text[item_start:q.start]
    if q.start in reader.baselines:  # 工业用地亩均税收由2024年的18万元提高到 -> 工业用地亩均税收
        cut = max(raw_before.rfind(m) for m in PHRASES["baseline_from"])
        raw_before = raw_before[:cut] if cut > 0 else raw_before
    before = clean_name(raw_before)
    later = [m for m in members if m.start > q.start]
    tail_end = seg_end
    if later:
        gap = text[q.end_all:later[0].start]
        tail_end = q.end_all + (gap.rindex("、") if "、" in gap else len(gap))
    tail_raw = re.sub(r"^[（(][^（）()]{0,6}[)）]", "", text[q.end_all:tail_end])  # 300台（套）
    if any(tail_raw.lstrip().startswith(c) for c in PHRASES["list_connectors"]):
        tail_raw = ""  # 完成老旧小区改造28个、涉及居民3600户
    if "、" in tail_raw and "等" in tail_raw[tail_raw.index("、"):]:  # 六场X活动、Y会、Z会等: the item ends at 、
        tail_raw = tail_raw[:tail_raw.index("、")]
    tail = clean_name(tail_raw, strip_fillers=False)
    quote_end = q.end_all
    cue_before = nearest(raw_before.rstrip(), PHRASES["comparator_before"])[1] == len(raw_before.rstrip())
    if len(tail) >= 2 and (not before or ends_with_verb(reader, before) or not cue_before):
        before = before + tail
        quote_end = q.end_all + len(tail_raw.rstrip(" \t\u3000\r\n，,。；;"))
    if item_start > seg_start and before and not any(before.startswith(v) for v in reader.verbs):
        head = drop_fillers(text[seg_start:item_start])
        head_verb = next((v for v in reader.verbs if head.startswith(v)), "")
        if head_verb:
            before = head_verb + before
    paired = paired_name(reader, q, seg)
    return (paired or before or clean_name(text[seg_start:q.start]) or ""), quote_end



def paired_name(reader: Reader, q: Quantity, seg: tuple[int, int, list[Quantity]]) -> str | None:
    """"A和B数量达到20家和25家" -> "A数量" for 20, "B数量" for 25."""
    text = reader.text
    members = seg[2]
    index = members.index(q)
    low = high = index
    while low > 0 and text[members[low - 1].end_all:members[low].start].strip() in ("和", "、", "及", "与"):
        low -= 1
    while (high + 1 < len(members)
           and text[members[high].end_all:members[high + 1].start].strip() in ("和", "、", "及", "与")):
        high += 1
    group = members[low:high + 1]
    if len(group) < 2:
        return None
    subject = clean_name(text[seg[0]:group[0].start])
    tail_word = next((t for t in PHRASES["name_tails"] if subject.endswith(t)), "")
    subject = subject[: len(subject) - len(tail_word)]
    parts = re.split(r"[和、及与]", subject)
    if len(parts) != len(group):
        return None
    return parts[group.index(q)] + tail_word



def drop_fillers(text: str) -> str:
    """Drop words in front of an indicator's name: 力争, 全市, 到2025年, 其中 ..."""
    text = text.strip(" \t\u3000\r\n")
    fillers = sorted(PHRASES["name_fillers"], key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        year = re.match(r"(?:到|至|在)?\s*(?:19|20)\d{2}\s*年(?:度|底|末)?(?:前|内)?\s*[，,]?\s*", text)
        if year and year.end() < len(text):
            text, changed = text[year.end():], True
        for filler in fillers:
            if text.startswith(filler) and len(text) > len(filler):
                text = text[len(filler):].lstrip(" \t\u3000")
                changed = True
    return text


def clean_name(text: str, strip_fillers: bool = True) -> str:
    """The indicator name inside a phrase: fillers in front, comparator words behind, brackets' contents removed."""
    text = re.sub(r"[\s\u3000]+", "", text)
    text = re.sub(r"[（(][^（）()]*[)）]", lambda m: "" if (len(m.group(0)) > 10 or re.search(r"\d", m.group(0)))
                  else m.group(0), text)
    for word in PHRASES["name_drop"]:
        text = text.replace(word, "")
    if strip_fillers:
        text = drop_fillers(text)
    removable = sorted(list(PHRASES["comparator_before"]) + list(PHRASES["comparator_adjacent"])
                       + list(PHRASES["comparator_after"]) + ["为", "是", "实现", "累计", "共"], key=len, reverse=True)
    changed = True
    while changed and text:
        changed = False
        for word in removable:
            if text.endswith(word):
                text = text[: -len(word)]
                changed = True
                break
    text = text.strip("，,、；;：:。 ")
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    return text


def strip_verb(name: str, verbs: list[str]) -> str:
    for verb in verbs:
        if name.startswith(verb) and len(name) > len(verb):
            return name[len(verb):]
    return name


