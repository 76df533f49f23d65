"""Is a quantity a target? Attributes, qualifiers, baselines, names, the past: each "no" with its reason."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indicators.authoring.model import Quantity
from indicators.authoring.naming import drop_fillers
from indicators.authoring.phrases import PAST_LE_RE, PHRASES, YEAR_WORD_RE
from indicators.authoring.quantities import dimension, is_count, is_percent
from indicators.authoring.words import has_word_not_after, nearest, nearest_in, starts_noun

if TYPE_CHECKING:
    from indicators.authoring.reader import Reader


def not_target_reason(reader: Reader, q: Quantity, seg: tuple[int, int, list[Quantity]],
                       qualifiers: set[int]) -> str | None:
    text = reader.text
    seg_start, seg_end, members = seg
    if not q.unit:
        return "no unit"
    if reader.geometry.in_quote[q.start] and not is_percent(q.unit) and not _quoted_target(text, q):
        return "inside quotation marks (a name)"
    if dimension(q.unit) in PHRASES["attribute_dimensions"]:
        return "attribute (voltage)"
    after_unit = text[q.unit_end:q.unit_end + 1]
    after_all = text[q.end_all:q.end_all + 1]
    before_seg = text[seg_start:q.start]
    if after_unit and after_unit in PHRASES["attribute_after_unit"] and after_unit != "的":
        return f"attribute ({after_unit} after the unit)"
    if (after_all == "的" or (after_unit == "的" and not q.suffix)) and not _counts_a_task(reader, q, seg):
        if not (is_percent(q.unit) and nearest(before_seg, PHRASES["comparator_before"])[1] >= 0):
            return "qualifier (… 的)"
    if q.unit in PHRASES["attribute_units_before_noun"] and starts_noun(text[q.end_all:]):
        return "attribute (15分钟生活圈, 24小时服务)"
    if q.suffix in ("以下", "及以下") and starts_noun(text[q.end_all:]):
        return "qualifier (… 以下 + noun)"
    if q.suffix in ("以上", "及以上") and starts_noun(text[q.end_all:]) and not is_count(q.unit):
        return "qualifier (amount 以上 + noun)"
    if q.start in reader.baselines.values():
        return "baseline (由X提高到Y: X is where the target starts from)"
    if q.start in qualifiers:
        return "qualifier (threshold of a counted thing, or size of a group whose total is the target)"
    if q.unit in PHRASES["name_units"]:
        after = re.split(r"[，,。；;、”)）]", text[q.end_all:q.end_all + 10])[0]
        if any(after.endswith(s) or after.startswith(s) for s in PHRASES["name_suffixes"]):
            return "programme or policy name (N条措施)"
        if q.start > 0 and text[q.start - 1] in PHRASES["name_prefix_chars"]:
            return "programme or policy name (新政N条)"
    if (is_percent(q.unit) and any(before_seg.endswith(w) for w in PHRASES["completion_rate_before"])
            and re.search(r"[为占]", before_seg)):
        return "completion rate of a task (…任务的N%)"
    if any(before_seg.rstrip().endswith(w) for w in PHRASES["reference_before"]) and q.start not in reader.baselines:
        return "reference or agent (这N项, 由N名…), not a commitment"
    if is_count(q.unit) and (before_seg.rstrip().endswith("共") or _composition_in_parentheses(reader, q)):
        return "size or composition of a programme (共N个, (项目6个，其中…))"
    if is_count(q.unit) and _listed_or_pooled(text, q, seg_start, seg_end):
        return "count of items listed or chosen from (N个…如下, 从N个…中)"
    if reader.is_title_repeat(q):
        return "headline repeating a figure of the text"
    uncommitted = _uncommitted_count(reader, q, seg)
    if uncommitted:
        return uncommitted
    item = text[reader.item_start(q, members, seg_start):q.start]
    attribute_words = PHRASES["attribute_before"]
    if any(drop_fillers(before_seg).rstrip(" 约") == w for w in attribute_words) or (
            any(drop_fillers(item).rstrip(" 约") == w for w in attribute_words)
            and any(drop_fillers(before_seg).startswith(w) for w in attribute_words)):  # 全长470米、宽30米
        return "attribute of a project (总投资, 全长, 受益灌面 … N)"
    if _slogan_series(reader, q):
        return "numbered slogan (一条红线、两个产业、三项改革)"
    after_number = re.split(r"的", text[q.end_all:seg_end], maxsplit=1)
    if has_word_not_after(text[seg_start:q.start], PHRASES["past_words"], PHRASES["past_not_after"]) or (
            len(after_number) == 1 and any(w in after_number[0] for w in PHRASES["past_after_words"])):
        return "statement about the past"
    le = list(PAST_LE_RE.finditer(text, seg_start, q.start))
    if le and not any(w in text[le[-1].end():q.start] for w in PHRASES["future_words"]):
        return "statement about the past (… 了 N)"
    if in_past_section(reader, q.start) and not reader.tense.restates_a_target(q.start):
        return "in a section about past results"
    past = reader.tense.past_reason(q.start)
    if past:
        return past
    sent_start, _ = reader.geometry.bounds(q.start, sentence=True)
    if reader.period[0] is not None:  # the latest year written before the number decides
        years = [m for m in YEAR_WORD_RE.finditer(text, sent_start, q.start)
                 if not any(text[max(0, m.start() - 2):m.start()].endswith(w)
                            for w in PHRASES["year_not_after"] + PHRASES["deadline_before"])]  # 到2022年 is a deadline
        if years and int(years[-1].group(1)) < reader.period[0]:
            return "statement about an earlier year"
    verbs = {**PHRASES["kind_before"], "scope": PHRASES["scope_verbs"], "extent": PHRASES["extent_verbs"]}
    key, _, _ = nearest_in(verbs, text[reader.item_start(q, members, seg_start):q.start])
    if key is None:
        key, _, _ = nearest_in(verbs, before_seg)
    if key == "scope" and starts_noun(text[q.end_all:seg_end]):
        return "scope (支持/依托/围绕 … N)"
    if key == "extent":
        return "extent of another target (涉及/惠及 … N)"
    return None



def in_past_section(reader: Reader, pos: int) -> bool:
    """True inside a heading about results already achieved ("2023年工作成效", "发展基础")."""
    section = reader.outline.section_at(pos)
    while section is not None:
        if any(word in section.title for word in PHRASES["past_headings"]):
            return True
        years = [int(y) for y in YEAR_WORD_RE.findall(section.title)]
        if reader.period[0] is not None and years and max(years) < reader.period[0]:
            return True
        section = section.parent
    return False



def find_baselines(reader: Reader, members: list[Quantity]) -> None:
    """"由2024年的18万元提高到25万元": 18万元 is the baseline of the target 25万元."""
    text = reader.text
    for q, nxt in zip(members, members[1:], strict=False):
        if not q.unit or not nxt.unit or dimension(q.unit) != dimension(nxt.unit):
            continue
        before = re.split(r"[、和]", text[max(0, q.start - 12):q.start])[-1]
        gap = text[q.end_all:nxt.start]
        if (any(m in before for m in PHRASES["baseline_from"])
                and any(_YEAR_TAIL_RE.sub("", gap.rstrip()).endswith(w) for w in PHRASES["baseline_to"])):
            reader.baselines[nxt.start] = q.start



def qualifiers(reader: Reader, members: list[Quantity]) -> set[int]:
    """Starts of quantities that qualify a later one in the same phrase (thresholds, group sizes)."""
    text = reader.text
    result: set[int] = set()
    for index in range(len(members) - 1, -1, -1):
        q = members[index]
        if not q.unit:
            continue
        following = members[index + 1] if index + 1 < len(members) else None
        # a list of thresholds shares the status of its last member: 10亿元、20亿元、100亿元以上的大项目
        if following is not None and following.unit == q.unit:
            gap = text[q.end_all:following.start].strip()
            if gap in ("、", "和", "或", "及") and (following.start in result or (
                    text[following.end_all:following.end_all + 1] == "的"
                    and not _counts_a_task(reader, following, (members[0].start, len(text), members)))):
                result.add(q.start)
                continue
        later = [o for o in members[index + 1:] if o.unit and o.start not in result]
        if not later:
            continue
        nxt = later[0]
        gap = text[q.end_all:nxt.start]
        if not starts_noun(gap) or "、" in gap or any(c in gap for c in "，,；;"):
            continue
        if is_count(nxt.unit) and not is_count(q.unit) and not is_percent(q.unit):
            result.add(q.start)  # 投资500万元以上技术改造项目600个, 过1000亿元企业集团1家
        elif is_count(q.unit) and any(w in gap for w in PHRASES["group_total_words"]):
            result.add(q.start)  # 6个集群规模突破2000亿元
    return result

# --- reading -----------------------------------------------------------------------------------------------------


def _counts_a_task(reader: Reader, q: Quantity, seg: tuple[int, int, list[Quantity]]) -> bool:
    """"完成21.05万亩的植树造林任务", "实施100件左右的民生实事": the 的 does not make the number a qualifier."""
    text = reader.text
    rest = re.split(r"[，,。；;、\n]", text[q.end_all + 1:seg[1]], maxsplit=1)[0]
    if any(rest.endswith(w) for w in ("任务", "目标", "规模", "工作量")):
        return True
    head = text[reader.item_start(q, seg[2], seg[0]):q.start]
    return is_count(q.unit) and any(head.rstrip().endswith(v) for v in PHRASES["kind_before"]["increment"])


def _uncommitted_count(reader: Reader, q: Quantity, seg: tuple[int, int, list[Quantity]]) -> str | None:
    """A count whose thing follows it with no verb committing to it: 其中8个项目完成…, 三家基础电信企业为…."""
    text = reader.text
    if not is_count(q.unit) or not starts_noun(text[q.end_all:seg[1]]):
        return None
    head = text[reader.geometry.bounds(q.start, sentence=True)[0]:q.start]
    if any(m in text[seg[0]:q.start] for m in PHRASES["object_markers"]):
        return None  # 对18个老旧小区进行综合改造: the verb comes after
    verbs = [w for key in ("increment", "level") for w in PHRASES["kind_before"][key]]
    verb, verb_end = nearest(head, verbs)
    document_verb, document_end = nearest(head, PHRASES["document_verbs"])
    if document_end > verb_end:
        return f"count of items in a document ({document_verb} N…)"
    own = re.sub(r"(?:19|20)\d{2}\s*年(?:度|底|末)?", "", text[seg[0]:q.start]).strip(" \t\u3000,，")
    if own in ("其中", "另有", "共有"):
        own = ""  # 其中8个项目… (but 全市8500名就业困难人员再就业 is a target)
    if verb_end >= 0 or own:
        return None
    return "count with no verb committing to it (N个X as a subject or a document's count)"


_SERIES_RE = re.compile(r"([一二两三四五六七八九])[个条项大种方点]")


def _slogan_series(reader: Reader, q: Quantity) -> bool:
    """A Chinese numeral in a run 一…、两…、三… within one sentence: a slogan, not counts."""
    if not q.chinese:
        return False
    start, end = reader.geometry.bounds(q.start, sentence=True)
    values = [{"一": 1, "二": 2, "两": 2}.get(m.group(1), 0) or "三四五六七八九".index(m.group(1)) + 3
              for m in _SERIES_RE.finditer(reader.text, start, end)]
    return any(values[i:i + 3] == [1, 2, 3] or values[i:i + 3] == [2, 3, 4] for i in range(len(values)))


def _composition_in_parentheses(reader: Reader, q: Quantity) -> bool:
    """"一、科教惠民工程(项目6个，其中基建类5个)": the make-up of a programme heading; but in "抓好85个重点项目
    (省重大实施类项目27个、…)" a verb commits to the parts too."""
    text, pos = reader.text, q.start
    line_start = text.rfind("\n", 0, pos) + 1
    opened = max(text.rfind("（", line_start, pos), text.rfind("(", line_start, pos))
    if opened < 0 or any(c in text[opened:pos] for c in "）)"):
        return False
    head = text[reader.geometry.bounds(opened, sentence=True)[0]:opened]
    verbs = [w for key in ("increment", "level") for w in PHRASES["kind_before"][key]]
    return nearest(head, verbs)[1] < 0


_YEAR_TAIL_RE = re.compile(r"(?:19|20)\d{2}\s*年(?:底|末)?的?$")  # 增长至2025年的 -> 增长至


def _quoted_target(text: str, q: Quantity) -> bool:
    """“植树造林90万亩”年度任务目标: a target quoted by name is still a target."""
    close = min((i for i in (text.find("”", q.end_all), text.find("\"", q.end_all)) if i >= 0), default=-1)
    return 0 <= close - q.end_all <= 2 and any(text[close + 1:close + 8].find(w) >= 0 for w in ("目标", "任务"))


def _listed_or_pooled(text: str, q: Quantity, seg_start: int, seg_end: int) -> bool:
    after = text[q.end_all:seg_end]
    if re.match(r"[^，,。；;]{0,14}(?:具体如下|如下|分别是|分别为)", after):
        return True
    return "从" in text[max(seg_start, q.start - 30):q.start] and re.match(r"[^，,。；;]{0,12}中", after) is not None
