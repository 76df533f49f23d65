"""Find candidate quantitative targets in a Chinese policy text (DESIGN §3, §7 ``extract``).

The extractor reads a plan such as "新增高新技术企业100家以上，科技型中小企业入库800家以上" and proposes one catalogue
entry per committed number: clause, chapter, task title, verbatim quote, kind, comparator, value (and value_max for
ranges), unit, lead units from the clause's trailing parentheses and a suggested indicator name. A human reviews the
YAML it prints before anything enters ``data/targets.yaml``.

How it works, in four steps:

1. **Outline.** Headings (一、 / （一） / 1. / （1）) give each position its chapter, clause number and task title; the
   clause's trailing parentheses give the lead units ("（牵头单位：A、B）", "(A牵头,B配合)", "(A、B分别负责)").
2. **Quantities.** Every Arabic number (ASCII or full-width, with separators and decimals) and every Chinese numeral
   followed by a count word (两个, 三处, 十项) is read with its unit (any unit of the project's pint registry, with
   万/亿 multipliers), a range partner (3至5个, 5—8家) and the comparator word after it (以上, 左右, 以内 ...).
   Clause numbers, years, dates and document numbers are skipped with :func:`indicators.text.numbers.skipped_spans`.
3. **Judgement.** Numbers that are not targets are dropped: names in quotes (“人才新政35条”), technology and programme
   names (5G, 50强, 11+4), attributes and thresholds (投资500万元以上的项目, 110千伏变电站, 500亿级产业, 3岁以下),
   the size of a group whose total is the target (6个集群规模突破2000亿元), scope words (支持3家园区), and statements
   about the past (去年已建成, 2022年完成, 截至目前).
4. **Reading.** Comparator, kind and the finer ``phrase_kind`` come from the wording nearest the number.

All phrase words live in :data:`PHRASES` below; the code only says how near a word must be and which wins.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import cn2an
import yaml

from indicators import catalogue as cat
from indicators import config
from indicators.text.numbers import (
    CHINESE_NUMERAL_RE,
    NUMBER_RE,
    chinese_to_number,
    occurrences,
    skipped_spans,
    to_decimal,
)
from indicators.text.units import DEFINITIONS_FILE, UnitError, parse_unit

# ======================================================================================================================
# The phrase table. Every word the extractor reacts to is here; "before" words are looked for between the previous
# number of the same clause segment and this number (nearest wins, longest wins at the same place), "after" words right
# after the number and its unit.
# ======================================================================================================================
PHRASES: dict[str, dict | tuple] = {
    # --- comparators -------------------------------------------------------------------------------------------------
    # written right after the unit ("20家以上", "600个左右", "20.1亿立方米以内")
    "comparator_after": {
        "及以上": ">=", "以上": ">=", "左右": "~", "上下": "~",
        "以内": "<=", "之内": "<=", "及以下": "<=", "以下": "<=",
    },
    # written between the number and its unit ("700余场", "100多家")
    "comparator_between": {"余": "~", "多": "~"},
    # written before the number, anywhere in the phrase ("新增不少于20家", "用水总量控制在20.1亿立方米")
    "comparator_before": {
        "不低于": ">=", "不少于": ">=", "至少": ">=", "达到": ">=", "达": ">=", "累计达到": ">=",
        "提高到": ">=", "提高至": ">=", "提升到": ">=", "提升至": ">=", "扩大到": ">=", "扩大至": ">=",
        "增加到": ">=", "增加至": ">=", "增至": ">=", "保持在": ">=", "稳定在": ">=", "保持": ">=",
        "突破": ">", "超过": ">", "高于": ">", "多于": ">", "超": ">",
        "不超过": "<=", "不高于": "<=", "控制在": "<=", "控制到": "<=",
        "降低到": "<=", "降低至": "<=", "降到": "<=", "降至": "<=", "下降到": "<=", "下降至": "<=",
        "压减到": "<=", "压减至": "<=", "减少到": "<=", "减少至": "<=", "压缩到": "<=", "压缩至": "<=",
        "压缩在": "<=", "缩短到": "<=", "缩短至": "<=", "缩短在": "<=",
        "低于": "<", "少于": "<",
    },
    # only when directly in front of the number ("约200家", "过1000亿元")
    "comparator_adjacent": {"约": "~", "大约": "~", "近": "~", "过": ">"},
    # A—B ranges: the character between two numbers ("3至5个", "5—8家", "2~3处", "10-15家")
    "range_connectors": ("—", "－", "-", "–", "~", "～", "至", "到"),
    # --- kinds, for counts and amounts (not %) -----------------------------------------------------------------------
    "kind_before": {
        "increment": (
            "新增", "新建", "新建成", "建成", "新培育", "培育", "新引进", "引进", "完成", "实施", "改造", "开工",
            "开工建设", "争创", "创建", "建设", "打造", "举办", "开展", "组织", "新改建", "改扩建", "入库", "认定",
            "评选", "放映", "发放", "净增", "新开", "治理", "推动", "承办", "参加", "申报", "新申报", "落地", "提高",
            "增长", "增加", "解决", "启动", "引育", "谋划", "推进", "抓好", "竣工", "投产", "播放", "创排", "吸引",
            "招引", "签约", "新签约", "帮扶", "带动", "培训", "实现", "退出", "淘汰", "关停", "整合", "造林",
            "修复", "提升", "新开工", "新认定", "新获批", "获批", "入选", "主攻", "储备", "新上", "上线", "新建改造",
        ),
        "level": (
            "达到", "达", "保持在", "稳定在", "累计达到", "总量", "总数", "总规模", "存量", "在库", "突破",
            "提高到", "提高至", "提升到", "提升至", "扩大到", "扩大至", "增加到", "增加至", "增至", "拥有量",
            "数量", "装机容量", "产量", "亩均", "人均", "户均", "平均", "降低到", "降低至", "降到", "降至", "下降到", "下降至",
        ),
        "cap": ("控制在", "控制到", "不超过", "不高于", "压减到", "压减至", "压缩到", "压缩至", "减少到", "减少至"),
    },
    # a phrase with these is an increment even when a level word is nearer ("新增光伏装机容量80兆瓦")
    "increment_override": ("新增", "新建", "净增", "新培育", "新引进", "新开工", "新改建"),
    # after-words that make any quantity a ceiling ("控制在...以内" is a cap; "以内" alone too)
    "cap_after": ("以内", "之内"),
    # --- kinds, for % and 个百分点 -------------------------------------------------------------------------------------
    "percent_kind_before": {
        "reduction": ("下降", "降低", "减少", "压减", "削减", "缩减", "降"),
        "growth": ("增长", "增速", "增幅", "增加", "提高", "提升", "上升", "年均增长", "同比增长", "增收", "涨幅"),
        "share": (
            "占比", "比重", "比例", "覆盖率", "覆盖面", "率", "占", "达到", "达", "提高到", "提高至", "提升到",
            "提升至", "保持在", "稳定在", "降低到", "降低至", "降到", "降至", "下降到", "下降至", "不低于",
            "实现", "扩大到", "扩大至", "增至", "超过", "突破",
        ),
        "cap": ("控制在", "控制到", "不超过", "不高于"),
    },
    # per-year targets ("每年新增5家", "年均增长8%"); "每人每年" is a rate, not a recurrence
    "recurrence_words": ("每年", "年均", "逐年"),
    "recurrence_not_after": ("人", "户", "亩"),
    # --- not targets -------------------------------------------------------------------------------------------------
    # statements about the past or the present stock (anywhere in the number's phrase)
    "past_words": (
        "去年", "上一年", "以来", "过去", "此前", "截至", "截止", "现有", "共有", "已有", "已经", "目前已", "现已",
        "已建成", "已完成", "已累计", "已达", "已治理", "已实现", "已形成", "已开工", "已投产", "已创建", "已培育",
        "已认定", "已获批", "已建", "已投入", "已覆盖", "先后",
    ),
    # "由/从 X 提高到 Y": X is the baseline of the target Y
    "baseline_from": ("由", "从"),
    "baseline_to": ("提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "增至", "扩大到",
                    "扩大至", "下降到", "下降至", "降低到", "降低至", "降到", "降至", "减少到", "减少至", "达到", "到", "至"),
    # headings of sections that report results already achieved
    "past_headings": ("工作成效", "主要成效", "取得的成效", "回顾", "主要成绩", "完成情况", "基本情况", "主要成就",
                      "发展现状", "工作总结", "进展情况"),
    # a past word does not count after these ("比去年增长10%", "较上年下降")
    "past_not_after": ("比", "较", "同", "与", "相比", "相较"),
    # a year word before the plan's own period, also not after these
    "year_not_after": ("比", "较", "同", "与", "从", "由", "对比"),
    # the nearest verb is one of these: the number names what is supported or relied on, it commits nothing
    # (only when the thing counted follows the number: 支持3家园区做大做强, but 支持…项目5个 is a commitment)
    "scope_verbs": ("支持", "依托", "围绕", "聚焦", "针对", "面向", "对标", "覆盖"),
    # the nearest verb is one of these: the number tells the extent of another target (改造28个、涉及居民3600户)
    "extent_verbs": ("涉及", "包括", "包含", "惠及", "其中包括"),
    # words between a count and a later number that make the count the size of the group whose total is the target
    # ("6个集群规模突破2000亿元")
    "group_total_words": ("突破", "达到", "超过", "增长", "提高", "实现", "保持", "稳定在", "控制在", "不低于", "不少于"),
    # programme and policy names: "人才新政35条", "20条措施", "10项专项整治行动", "十条意见"
    "name_units": ("条", "项", "点"),
    "name_suffixes": ("措施", "意见", "举措", "政策", "条例", "规定", "要求", "细则", "办法", "清单", "条款"),
    "name_prefix_chars": ("政", "策", "则", "条"),
    # text right after a unit that makes the number an attribute: 500亿级产业, 2500吨/日, 110千伏 + noun
    "attribute_after_unit": ("级", "/", "／", "×", "*", "的"),
    # units that describe the noun right after them (15分钟生活圈, 24小时自助服务, 7天无理由退货)
    "attribute_units_before_noun": ("天", "小时", "分钟", "个工作日", "工作日"),
    # dimensions that are attributes, never counted targets (voltage: 220千伏)
    "attribute_dimensions": ("[mass] * [length] ** 2 / [time] ** 3 / [current]",),
    # characters around a number that make it part of a name or code (5G, PM2.5, 11+4, 2×66万千瓦, 第3届)
    "name_glue_before": ("第", "+", "＋", "×", "*", "/", "／", "#", "№", "No", "编号", "号"),
    "name_glue_after": ("+", "＋", "×", "*", "强", "号", "届", "期", "版", "型", "代", "维", "星"),
    # quote marks: a number inside is a name ("人才新政35条", "一村一场戏"), except a % ("项目100%开工")
    "quote_pairs": (("“", "”"), ("《", "》"), ("「", "」"), ("『", "』"), ("〈", "〉")),
    # --- units -------------------------------------------------------------------------------------------------------
    # registry names that are too ambiguous after a number (3方面, 二级节点, 1对1)
    "unit_exclude": ("方", "级", "对", "只", "羽", "伏", "瓦"),
    # unit + next character that form another word: 3部门, 2方面, 5名单, 两位数
    "unit_blockers": {
        "部": "门署委", "名": "单称额次", "条": "件例款", "次": "数序全会", "位": "数置于列", "台": "阶", "批": "次准复",
        "件": "事", "项": "目", "户": "籍口型", "所": "有在属以", "场": "所景地馆", "个": "月人性体", "处": "理置室级长",
        "家": "庭乡长", "套": "餐路", "门": "类户诊店槛面", "份": "额子", "例": "如外会", "张": "贴", "座": "谈",
        "类": "型别似", "种": "类子植养", "人": "员才口", "块": "状", "间": "接",
    },
    # units Arabic numbers may also carry although units.txt lacks them (candidates get a note), with their dimension
    "extra_units": {
        "天": "[time]", "个工作日": "[time]", "工作日": "[time]", "小时": "[time]", "分钟": "[time]",
        "微克/立方米": "[concentration]", "微克每立方米": "[concentration]",
        "起": "[item]", "盏": "[item]", "棵": "[item]", "株": "[item]", "眼": "[item]", "册": "[item]", "份": "[item]",
        "例": "[item]", "篇": "[item]", "门": "[item]", "趟": "[item]",
    },
    # ASCII units allowed after a number (others, like "5G", make the number a name)
    "ascii_units": ("MW", "GW", "kW", "KW", "kWh", "MWh", "kV", "km", "TEU"),
    # multipliers in front of a unit; 个亿 is a unit of its own (5个亿)
    "multipliers": ("万亿", "亿", "万"),
    # count dimensions: the only ones a Chinese numeral may count (两个, 三处, 十项)
    "count_dimensions": ("[item]", "[organisation]", "[person]", "[household]", "[livestock]", "[person_visit]"),
    # "一" counts only right after an increment verb and before one of these (建设一所医院; not 一批, 一套)
    "one_units": ("所", "座", "个", "家", "处", "条", "项", "场", "部", "台", "名"),
    # a Chinese numeral + count word + one of these is a slogan (五个优化, 六个同城化, 六个一平台)
    "slogan_after": ("一", "优化", "协同", "坚决", "区分", "统筹", "同城化", "一体化", "融合", "突破", "提升"),
    # verbs besides the kind words, used to see that a name still lacks its noun ("有序推进11条市级河流…")
    "extra_verbs": ("抓好", "推进", "做好", "加快", "开展", "确保", "力争", "着力", "突出", "重点", "扩大", "新改建"),
    # words dropped anywhere in a name
    "name_drop": ("力争", "争取", "确保"),
    # last word of a shared subject: "A和B数量达到20家和25家" -> A数量, B数量
    "name_tails": ("数量", "总数", "总量", "规模", "产值", "比重", "占比"),
    # words that begin a clause but are not part of an indicator's name
    "name_fillers": (
        "力争", "争取", "确保", "努力", "全年", "年内", "年底前", "年底", "全市", "全区", "全县", "全省", "全镇",
        "其中", "同时", "并", "再", "累计", "进一步", "持续", "积极", "大力", "加快", "重点", "计划", "预计", "目标",
        "按照", "实现", "着力", "突出", "有序", "稳步", "切实", "全力", "全面", "继续",
    ),
    # connectors between list items ("20家和25家", "省级10家、市级40家")
    "list_connectors": ("、", "和", "及", "与", "或", "以及", "，", ","),
}

# Punctuation that ends a phrase (segment) and a sentence.
_SEGMENT_BREAKS = set("，,；;。！？!?：:.")
_SENTENCE_BREAKS = set("；;。！？!?.")
_OPEN_PARENS, _CLOSE_PARENS = "（(", "）)"
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ASCII_LETTER_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_PAST_LE_RE = re.compile(r"[\u4e00-\u9fff](?<![为除罢])了(?![解结])")  # 部署了10项, 建成了5个 (not 为了, 了解)
_YEAR_WORD_RE = re.compile(r"((?:19|20)\d{2})\s*年")

# Outline headings, highest level first: 一、 / （一） / 1. / （1）.
_HEADINGS = (
    (1, re.compile(r"^[ \t\u3000]*([一二三四五六七八九十]{1,3})[、．.]\s*(.*)$")),
    (1, re.compile(r"^[ \t\u3000]*第([一二三四五六七八九十]{1,3})(?:章|部分|篇)[ \t\u3000]*(.*)$")),
    (3, re.compile(r"^[ \t\u3000]*第([一二三四五六七八九十百]{1,4})条[ \t\u3000]*(.*)$")),
    (2, re.compile(r"^[ \t\u3000]*[（(]([一二三四五六七八九十]{1,3})[)）]\s*(.*)$")),
    (3, re.compile(r"^[ \t\u3000]*([0-9０-９]{1,3})\s*[.．、](?![0-9０-９])\s*(.*)$")),
    (4, re.compile(r"^[ \t\u3000]*[（(]([0-9０-９]{1,2})[)）]\s*(.*)$")),
)
_LEAD_GROUP_RE = re.compile(r"[（(]([^（()）\n]*?(?:负责|牵头|配合|单位\s*[:：])[^（()）\n]*?)(?:[)）]|(?=\n)|$)")
_LEAD_LINE_RE = re.compile(r"(?m)^[ \t\u3000]*(?:牵头|责任|主责|负责)单位\s*[:：][^\n]*$")
_DOC_NUMBER_RES = (
    re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[（(]\s*\d{4}\s*[〕］\]）)]\s*\d+\s*号"),
    re.compile(r"[\u4e00-\u9fff]{1,12}(?:字|发|函|办)\s*\d{5,}"),
)
_PERIOD_SPAN_RE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至]\s*((?:19|20)\d{2})\s*年")
_PERIOD_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_PLAN_WORDS = ("计划", "任务", "要点", "方案", "规划", "意见", "目标", "纲要", "安排", "清单", "实事", "报告", "部署")
_RANGE_RE = re.compile(r"[ \t\u3000]*(" + "|".join(re.escape(c) for c in PHRASES["range_connectors"]) + r")[ \t\u3000]*")


# ======================================================================================================================
# Public data types
# ======================================================================================================================
@dataclass
class Candidate:
    """One proposed catalogue entry (DESIGN §3 fields the text can fill) plus how it was read.

    ``span`` is the character span of the number (the lower one of a range) in the text; ``span_max`` that of the
    upper bound. ``phrase_kind`` is the finer reading: increment, level, cap, growth, share, reduction or points
    (reduction is catalogued as kind growth with a negative value, points as growth in 个百分点).
    """

    id: str
    plan: str
    clause: str
    chapter: str
    task: str
    name: str
    kind: str
    phrase_kind: str
    comparator: str
    value: float
    unit: str
    quote: str
    span: tuple[int, int]
    printed: str
    value_max: float | None = None
    span_max: tuple[int, int] | None = None
    deadline: str | None = None
    recurrence: str | None = None
    lead_units: list[str] = field(default_factory=list)
    baseline: dict | None = None
    note: str | None = None

    def catalogue_entry(self) -> dict:
        """The entry as it would be written in ``data/targets.yaml`` (plus phrase_kind and span for review)."""
        entry: dict = {
            "id": self.id,
            "plan": self.plan,
            "clause": self.clause,
            "chapter": self.chapter,
            "task": self.task,
            "name": self.name,
            "kind": self.kind,
            "phrase_kind": self.phrase_kind,
            "comparator": self.comparator,
            "value": self.value,
        }
        if self.value_max is not None:
            entry["value_max"] = self.value_max
        entry["unit"] = self.unit
        if self.deadline:
            entry["deadline"] = self.deadline
        if self.recurrence:
            entry["recurrence"] = self.recurrence
        entry["baseline"] = dict(self.baseline) if self.baseline else None
        entry["lead_units"] = list(self.lead_units)
        entry["quote"] = self.quote
        entry["span"] = list(self.span)
        if self.note:
            entry["note"] = self.note
        return entry


@dataclass(frozen=True)
class _Quantity:
    """A number as written, with its unit and the words glued to it."""

    start: int
    end: int
    printed: str
    value: Decimal
    unit: str  # normalised unit text ("万千瓦", "%", "个百分点"), "" when there is none
    unit_start: int
    unit_end: int
    approx: str  # 余 / 多 between number and unit, else ""
    suffix: str  # comparator word after the unit, else ""
    end_all: int  # end of number + unit + suffix
    chinese: bool = False
    value_max: Decimal | None = None
    max_span: tuple[int, int] | None = None
    printed_max: str | None = None
    note: str | None = None


@dataclass
class _Section:
    level: int
    number: str
    title: str
    line: str
    start: int
    body_start: int
    end: int = -1
    parent: _Section | None = None
    children_start: int | None = None


# ======================================================================================================================
# Units
# ======================================================================================================================
@lru_cache(maxsize=1)
def _unit_words() -> tuple[str, ...]:
    """Unit names and aliases of the project's registry definitions file, longest first."""
    names: set[str] = set()
    for raw in DEFINITIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" not in line or line.endswith("-") or line.split("=")[0].strip().endswith("-"):
            continue
        parts = [p.strip() for p in line.split("=")]
        tokens = [parts[0]] + parts[2:]
        for token in tokens:
            if token and not token.startswith("[") and (_CJK_RE.search(token) or token in PHRASES["ascii_units"]):
                names.add(token)
    names.update(("%", "％", "个百分点", "百分点", "‰"))
    names.update(PHRASES["ascii_units"])
    names.update(PHRASES["extra_units"])
    names.difference_update(PHRASES["unit_exclude"])
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=512)
def _unit_ok(unit: str) -> bool:
    if unit in PHRASES["extra_units"]:
        return True
    try:
        parse_unit(unit)
    except UnitError:
        return False
    return True


@lru_cache(maxsize=512)
def _dimension(unit: str) -> str:
    if unit in PHRASES["extra_units"]:
        return PHRASES["extra_units"][unit]
    try:
        return str(parse_unit(unit).dimensionality)
    except UnitError:
        return ""


def _is_count(unit: str) -> bool:
    return _dimension(unit) in PHRASES["count_dimensions"]


def _is_percent(unit: str) -> bool:
    return unit in ("%", "个百分点", "百分点", "‰")


def _read_unit(text: str, pos: int) -> tuple[str, int, int, str]:
    """Read "余/多? 万/亿? unit" at ``pos``; return (unit, unit_start, unit_end, approx)."""
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    approx = ""
    if i < len(text) and text[i] in PHRASES["comparator_between"]:
        approx, i = text[i], i + 1
    unit_start = i
    multiplier = ""
    for word in PHRASES["multipliers"]:
        if text.startswith(word, i):
            multiplier = word
            break
    j = i + len(multiplier)
    if multiplier and not approx and j < len(text) and text[j] in PHRASES["comparator_between"]:
        approx, j = text[j], j + 1  # 1万余人
    if text.startswith("个亿", i):
        return "个亿", unit_start, i + 2, approx
    for word in _unit_words():
        if not text.startswith(word, j):
            continue
        blockers = PHRASES["unit_blockers"].get(word, "")
        after = text[j + len(word): j + len(word) + 1]
        if after and after in blockers:
            continue
        unit = multiplier + ("%" if word == "％" else word)
        if word in PHRASES["extra_units"] and multiplier:
            continue
        if _unit_ok(unit):
            return unit, unit_start, j + len(word), approx
    if multiplier:  # a bare 万/亿 ("突破1万", "50亿")
        return multiplier, unit_start, i + len(multiplier), approx
    return "", pos, pos, approx if approx else ""


def _read_suffix(text: str, pos: int) -> tuple[str, int]:
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    for word in sorted(PHRASES["comparator_after"], key=len, reverse=True):
        if text.startswith(word, i):
            return word, i + len(word)
    return "", pos


# ======================================================================================================================
# Outline: chapters, clauses, tasks, lead units
# ======================================================================================================================
class _Outline:
    """The heading structure of a policy text."""

    def __init__(self, text: str):
        self.text = text
        self.sections: list[_Section] = []
        self.heading_lines: set[int] = set()  # start offsets of heading lines
        stack: list[_Section] = []
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
                section = _Section(level, number, title, stripped.strip(), offset,
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
        for level, regex in _HEADINGS:
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

    def section_at(self, pos: int) -> _Section | None:
        best = None
        for section in self.sections:
            if section.start <= pos < section.end and (best is None or section.level > best.level
                                                        or section.start > best.start):
                best = section
        return best

    @staticmethod
    def _path(section: _Section | None) -> dict[int, _Section]:
        path: dict[int, _Section] = {}
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
            clause = (f"{l1.number if l1 else ''}（{l2.number}）{_ascii_digits(l3.number)}" if l2
                      else _ascii_digits(l3.number))
        elif l2 is not None:
            clause = f"{l1.number if l1 else ''}（{l2.number}）"
        elif l1 is not None:
            clause = l1.number
        else:
            clause = ""
        if l4 is not None:
            clause += f"（{_ascii_digits(l4.number)}）"
        chapter = re.split(r"[。]", l1.line, maxsplit=1)[0].strip() if l1 else ""
        task = section.title if section is not None else ""
        return clause, chapter, task, self.lead_units(section)

    def lead_units(self, section: _Section | None) -> list[str]:
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
    groups = list(_LEAD_GROUP_RE.finditer(clause_text))
    lines = list(_LEAD_LINE_RE.finditer(clause_text))
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


def _ascii_digits(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in text)


def _plan_period(text: str) -> tuple[int | None, int | None]:
    """(first year, last year) of the plan, read from its title lines."""
    for line in text.splitlines()[:40]:
        if not any(word in line for word in _PLAN_WORDS):
            continue
        span = _PERIOD_SPAN_RE.search(line)
        if span:
            return int(span.group(1)), int(span.group(2))
        years = _PERIOD_YEAR_RE.findall(line)
        if years:
            return int(years[-1]), int(years[-1])
    return None, None


# ======================================================================================================================
# Text geometry: quotes, segments, sentences
# ======================================================================================================================
class _Geometry:
    """Where quotes are, and where the phrase (segment) and sentence around a position begin and end."""

    def __init__(self, text: str, outline: _Outline):
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
        breaks = _SENTENCE_BREAKS if sentence else _SEGMENT_BREAKS
        text = self.text
        depth, i = 0, pos - 1
        while i >= 0:
            char = text[i]
            if char in _CLOSE_PARENS:
                depth += 1
            elif char in _OPEN_PARENS:
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
            if char in _OPEN_PARENS:
                depth += 1
            elif char in _CLOSE_PARENS:
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and self._is_break(j, breaks):
                break
            j += 1
        while start < j and text[start] in " \t\u3000\r\n":
            start += 1
        return start, j


# ======================================================================================================================
# Finding quantities
# ======================================================================================================================
def _doc_number_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for regex in _DOC_NUMBER_RES:
        spans += [(m.start(), m.end()) for m in regex.finditer(text)]
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _glued_to_name(text: str, start: int, end: int) -> bool:
    """True when letters, '+', '×', 第 ... are glued to the number (5G, PM2.5, 11+4, 2×66, 第3届, 50强)."""
    before = text[max(0, start - 2):start].rstrip(" ")
    after = text[end:end + 2].lstrip(" ")
    if before and _ASCII_LETTER_RE.match(before[-1]):
        return True
    if after and _ASCII_LETTER_RE.match(after[0]):
        return not any(text[end:].lstrip(" ").startswith(u) for u in PHRASES["ascii_units"])
    if any(before.endswith(g) for g in PHRASES["name_glue_before"]):
        return True
    return any(after.startswith(g) for g in PHRASES["name_glue_after"])


def _find_quantities(text: str, skip: list[tuple[int, int]]) -> list[_Quantity]:
    """Every number with its unit, range partner and comparator suffix, in text order."""
    found: list[_Quantity] = []
    consumed: set[int] = set()
    numbers = [(m.start(), m.end(), m.group(0)) for m in NUMBER_RE.finditer(text)]
    by_start = {s: (s, e, p) for s, e, p in numbers}
    for start, end, printed in numbers:
        if start in consumed or _inside(skip, start, end):
            continue
        if _glued_to_name(text, start, end):
            continue
        value = to_decimal(printed)
        unit, unit_start, unit_end, approx = _read_unit(text, end)
        # a range: 3至5个, 5—8家, 2~3处, 10-15家, 3个至5个
        connector = _RANGE_RE.match(text, unit_end if unit else end)
        value_max = max_span = printed_max = None
        if connector and not approx:
            other_start = connector.end()
            other = by_start.get(other_start)
            if other and not _inside(skip, other[0], other[1]):
                other_unit, o_unit_start, o_unit_end, o_approx = _read_unit(text, other[1])
                same = not unit or unit == other_unit or (unit in PHRASES["multipliers"]
                                                          and other_unit.startswith(unit))
                if other_unit and same and to_decimal(other[2]) > value:
                    value_max, max_span, printed_max = to_decimal(other[2]), (other[0], other[1]), other[2]
                    consumed.add(other[0])
                    unit, unit_start, unit_end = other_unit, o_unit_start, o_unit_end
        suffix, end_all = _read_suffix(text, unit_end if unit else end)
        note = None
        if unit in PHRASES["extra_units"]:
            note = f"单位“{unit}”不在 units.txt 中"
        if unit in PHRASES["multipliers"]:
            note = f"原文只写“{unit}”，单位待定"
        found.append(_Quantity(start, end, printed, value, unit, unit_start, unit_end if unit else end, approx,
                               suffix, end_all if (unit or suffix) else end, False, value_max, max_span, printed_max,
                               note))
    for match in CHINESE_NUMERAL_RE.finditer(text):
        quantity = _chinese_quantity(text, match.start(), match.group(0), skip)
        if quantity is not None:
            found.append(quantity)
    found.sort(key=lambda q: q.start)
    return found


def _chinese_quantity(text: str, start: int, numeral: str, skip: list[tuple[int, int]]) -> _Quantity | None:
    """A Chinese numeral counting something (两个, 三处, 十项, 二十家); None for idioms and names."""
    multiplier = ""
    if len(numeral) > 1 and numeral[-1] in "万亿":
        numeral, multiplier = numeral[:-1], numeral[-1]
    end = start + len(numeral)
    if numeral in ("〇", "零") or numeral[0] in "百千万亿零〇":
        return None  # 千项技改/百展/万家 are idioms, not counts
    if numeral == "一":  # 一批/一体化/一个 are idioms, but 建设一所医院 and 新建数据中心一座 count
        if text[end:end + 1] not in PHRASES["one_units"]:
            return None
        before = text[max(0, start - 4):start]
        phrase_end = text[end + 1:end + 2] in ("", "，", ",", "。", "；", ";", "、", "\n")
        clause_before = re.split(r"[，,。；;、\n]", text[max(0, start - 30):start])[-1]
        if not (any(before.endswith(v) for v in PHRASES["kind_before"]["increment"])
                or (phrase_end and any(v in clause_before for v in PHRASES["kind_before"]["increment"]))):
            return None
    try:
        cn2an.cn2an(numeral.replace("两", "二"), "strict")  # refuses 三三两两, 十四五
    except (ValueError, KeyError):
        return None
    if start > 0 and (text[start - 1] in "第每" or _CJK_RE.match(text[start - 1]) and text[start - 1] in "周星"):
        return None
    if _inside(skip, start, end):
        return None
    unit, unit_start, unit_end, approx = _read_unit(text, end)
    if multiplier:
        unit = multiplier + unit if unit else ""
    if not unit or not _is_count(unit):
        return None
    rest = text[unit_end:unit_end + 4]
    if any(rest.startswith(word) for word in PHRASES["slogan_after"]):
        return None
    value = chinese_to_number(numeral)
    if value is None:
        return None
    suffix, end_all = _read_suffix(text, unit_end)
    return _Quantity(start, end, numeral, value, unit, unit_start, unit_end, approx, suffix, end_all, True,
                     note=f"原文为中文数字“{numeral}{unit}”")


# ======================================================================================================================
# Judging and reading each quantity
# ======================================================================================================================
def _nearest(text: str, words: Iterable[str]) -> tuple[str, int]:
    """The word of ``words`` that ends nearest the end of ``text`` (longest at the same place); ("", -1) if none."""
    best, best_end = "", -1
    for word in words:
        index = text.rfind(word)
        if index < 0:
            continue
        end = index + len(word)
        if end > best_end or (end == best_end and len(word) > len(best)):
            best, best_end = word, end
    return best, best_end


def _nearest_in(table: dict[str, Iterable[str]], text: str) -> tuple[str | None, str, int]:
    best_key, best_word, best_end = None, "", -1
    for key, words in table.items():
        word, end = _nearest(text, words)
        if end > best_end or (end == best_end and end >= 0 and len(word) > len(best_word)):
            best_key, best_word, best_end = key, word, end
    return best_key, best_word, best_end


def _has_word_not_after(text: str, words: Iterable[str], not_after: Iterable[str]) -> bool:
    for word in words:
        for match in re.finditer(re.escape(word), text):
            before = text[max(0, match.start() - 2):match.start()]
            if not any(before.endswith(n) for n in not_after):
                return True
    return False


def _starts_noun(text: str) -> bool:
    """True when ``text`` begins with a word (not punctuation, not a list connector, not a bracket)."""
    stripped = text.lstrip(" \t\u3000")
    if not stripped:
        return False
    first = stripped[0]
    if first in "“‘《「":
        return True
    if not _CJK_RE.match(first) and not first.isalpha():
        return False
    return not any(stripped.startswith(c) for c in ("和", "及", "与", "或", "以及", "、"))


class _Reader:
    """Holds the text-wide structures and turns quantities into candidates."""

    def __init__(self, text: str, plan_id: str):
        self.text = text
        self.plan_id = plan_id
        self.outline = _Outline(text)
        self.geometry = _Geometry(text, self.outline)
        self.period = _plan_period(text)
        skip = skipped_spans(text) + _doc_number_spans(text)
        self.quantities = _find_quantities(text, skip)
        self.rejected: list[tuple[_Quantity, str]] = []
        self.baselines: dict[int, int] = {}  # target quantity start -> baseline quantity start
        self._verbs = sorted({w for words in PHRASES["kind_before"].values() for w in words}
                             | set(PHRASES["scope_verbs"]) | set(PHRASES["extent_verbs"]) | set(PHRASES["extra_verbs"]),
                             key=len, reverse=True)

    # --- phrases -----------------------------------------------------------------------------------------------------
    def _segments(self) -> dict[int, tuple[int, int, list[_Quantity]]]:
        """For each quantity start: its phrase bounds and the quantities of that phrase."""
        by_bounds: dict[tuple[int, int], list[_Quantity]] = {}
        bounds_of: dict[int, tuple[int, int]] = {}
        for q in self.quantities:
            start, end = self.geometry.bounds(q.start)
            start = self.outline.after_heading_number(start)
            if self.geometry.in_quote[q.start]:  # a % inside “项目100%开工、资金100%支付”: the quote is the phrase
                opening = max(self.text.rfind(o, start, q.start) for o, _ in PHRASES["quote_pairs"])
                start = max(start, opening + 1)
                closing = min((i for i in (self.text.find(c, q.end, end) for _, c in PHRASES["quote_pairs"])
                               if i >= 0), default=end)
                end = min(end, closing)
            bounds_of[q.start] = (start, end)
            by_bounds.setdefault((start, end), []).append(q)
        return {s: (b[0], b[1], by_bounds[b]) for s, b in bounds_of.items()}

    def _item_start(self, q: _Quantity, members: list[_Quantity], seg_start: int) -> int:
        """Where this number's list item starts: after the previous number of the phrase and the 、 or 和 after it."""
        previous = [m for m in members if m.end_all <= q.start and m is not q]
        if not previous:
            return seg_start
        start = previous[-1].end_all
        gap = self.text[start:q.start]
        if "、" in gap:
            return start + gap.rindex("、") + 1
        stripped = gap.lstrip(" \t\u3000")
        for connector in sorted(PHRASES["list_connectors"], key=len, reverse=True):
            if stripped.startswith(connector):
                return start + (len(gap) - len(stripped)) + len(connector)
        return start

    # --- judgement ---------------------------------------------------------------------------------------------------
    def _not_target_reason(self, q: _Quantity, seg: tuple[int, int, list[_Quantity]],
                           qualifiers: set[int]) -> str | None:
        text = self.text
        seg_start, seg_end, members = seg
        if not q.unit:
            return "no unit"
        if self.geometry.in_quote[q.start] and not _is_percent(q.unit):
            return "inside quotation marks (a name)"
        if _dimension(q.unit) in PHRASES["attribute_dimensions"]:
            return "attribute (voltage)"
        after_unit = text[q.unit_end:q.unit_end + 1]
        after_all = text[q.end_all:q.end_all + 1]
        before_seg = text[seg_start:q.start]
        if after_unit and after_unit in PHRASES["attribute_after_unit"] and after_unit != "的":
            return f"attribute ({after_unit} after the unit)"
        if after_all == "的" or (after_unit == "的" and not q.suffix):
            if not (_is_percent(q.unit) and _nearest(before_seg, PHRASES["comparator_before"])[1] >= 0):
                return "qualifier (… 的)"
        if q.unit in PHRASES["attribute_units_before_noun"] and _starts_noun(text[q.end_all:]):
            return "attribute (15分钟生活圈, 24小时服务)"
        if q.suffix in ("以下", "及以下") and _starts_noun(text[q.end_all:]):
            return "qualifier (… 以下 + noun)"
        if q.suffix in ("以上", "及以上") and _starts_noun(text[q.end_all:]) and not _is_count(q.unit):
            return "qualifier (amount 以上 + noun)"
        if q.start in self.baselines.values():
            return "baseline (由X提高到Y: X is where the target starts from)"
        if q.start in qualifiers:
            return "qualifier (threshold of a counted thing, or size of a group whose total is the target)"
        if q.unit in PHRASES["name_units"]:
            after = re.split(r"[，,。；;、”)）]", text[q.end_all:q.end_all + 10])[0]
            if any(after.endswith(s) or after.startswith(s) for s in PHRASES["name_suffixes"]):
                return "programme or policy name (N条措施)"
            if q.start > 0 and text[q.start - 1] in PHRASES["name_prefix_chars"]:
                return "programme or policy name (新政N条)"
        after_number = re.split(r"的", text[q.end_all:seg_end], maxsplit=1)
        past_scope = text[seg_start:q.start] + ("" if len(after_number) > 1 else after_number[0])
        if _has_word_not_after(past_scope, PHRASES["past_words"], PHRASES["past_not_after"]):
            return "statement about the past"
        if _PAST_LE_RE.search(text[seg_start:q.start]):
            return "statement about the past (… 了 N)"
        if self._in_past_section(q.start):
            return "in a section about past results"
        sent_start, _ = self.geometry.bounds(q.start, sentence=True)
        if self.period[0] is not None:  # the latest year written before the number decides
            years = [m for m in _YEAR_WORD_RE.finditer(text, sent_start, q.start)
                     if not any(text[max(0, m.start() - 2):m.start()].endswith(w) for w in PHRASES["year_not_after"])]
            if years and int(years[-1].group(1)) < self.period[0]:
                return "statement about an earlier year"
        verbs = {**PHRASES["kind_before"], "scope": PHRASES["scope_verbs"], "extent": PHRASES["extent_verbs"]}
        key, _, _ = _nearest_in(verbs, text[self._item_start(q, members, seg_start):q.start])
        if key is None:
            key, _, _ = _nearest_in(verbs, before_seg)
        if key == "scope" and _starts_noun(text[q.end_all:seg_end]):
            return "scope (支持/依托/围绕 … N)"
        if key == "extent":
            return "extent of another target (涉及/惠及 … N)"
        return None

    def _in_past_section(self, pos: int) -> bool:
        """True inside a heading about results already achieved ("2023年工作成效", "发展基础")."""
        section = self.outline.section_at(pos)
        while section is not None:
            if any(word in section.title for word in PHRASES["past_headings"]):
                return True
            years = [int(y) for y in _YEAR_WORD_RE.findall(section.title)]
            if self.period[0] is not None and years and max(years) < self.period[0]:
                return True
            section = section.parent
        return False

    def _find_baselines(self, members: list[_Quantity]) -> None:
        """"由2024年的18万元提高到25万元": 18万元 is the baseline of the target 25万元."""
        text = self.text
        for q, nxt in zip(members, members[1:], strict=False):
            if not q.unit or not nxt.unit or _dimension(q.unit) != _dimension(nxt.unit):
                continue
            before = re.split(r"[、和]", text[max(0, q.start - 12):q.start])[-1]
            gap = text[q.end_all:nxt.start]
            if (any(m in before for m in PHRASES["baseline_from"])
                    and any(gap.rstrip().endswith(w) for w in PHRASES["baseline_to"])):
                self.baselines[nxt.start] = q.start

    def _qualifiers(self, members: list[_Quantity]) -> set[int]:
        """Starts of quantities that qualify a later one in the same phrase (thresholds, group sizes)."""
        text = self.text
        result: set[int] = set()
        for index in range(len(members) - 1, -1, -1):
            q = members[index]
            if not q.unit:
                continue
            following = members[index + 1] if index + 1 < len(members) else None
            # a list of thresholds shares the status of its last member: 10亿元、20亿元、100亿元以上的大项目
            if following is not None and following.unit == q.unit:
                gap = text[q.end_all:following.start].strip()
                if gap in ("、", "和", "或", "及") and (following.start in result
                                                    or text[following.end_all:following.end_all + 1] == "的"):
                    result.add(q.start)
                    continue
            later = [o for o in members[index + 1:] if o.unit and o.start not in result]
            if not later:
                continue
            nxt = later[0]
            gap = text[q.end_all:nxt.start]
            if not _starts_noun(gap) or "、" in gap or any(c in gap for c in "，,；;"):
                continue
            if _is_count(nxt.unit) and not _is_count(q.unit) and not _is_percent(q.unit):
                result.add(q.start)  # 投资500万元以上技术改造项目600个, 过1000亿元企业集团1家
            elif _is_count(q.unit) and any(w in gap for w in PHRASES["group_total_words"]):
                result.add(q.start)  # 6个集群规模突破2000亿元
        return result

    # --- reading -----------------------------------------------------------------------------------------------------
    def read(self) -> list[Candidate]:
        segments = self._segments()
        qualifier_cache: dict[tuple[int, int], set[int]] = {}
        accepted: list[_Quantity] = []
        for q in self.quantities:
            seg = segments[q.start]
            if seg[:2] not in qualifier_cache:
                qualifier_cache[seg[:2]] = self._qualifiers(seg[2])
                self._find_baselines(seg[2])
            reason = self._not_target_reason(q, seg, qualifier_cache[seg[:2]])
            if reason:
                self.rejected.append((q, reason))
            else:
                accepted.append(q)
        accepted_starts = {q.start for q in accepted}
        candidates: list[Candidate] = []
        previous_by_sentence: dict[tuple[int, int], Candidate] = {}  # last count/amount, for the kind
        last_by_sentence: dict[tuple[int, int], Candidate] = {}  # last of any kind, for the name
        per_clause: dict[str, int] = {}
        for q in accepted:
            seg_start, seg_end, members = segments[q.start]
            seg = (seg_start, seg_end, [m for m in members if m.start in accepted_starts])
            sentence = self.geometry.bounds(q.start, sentence=True)
            previous = previous_by_sentence.get(sentence)
            candidate = self._candidate(q, seg, previous)
            last = last_by_sentence.get(sentence)
            if last is not None:
                candidate.name = self._borrow_name(candidate, last)
            last_by_sentence[sentence] = candidate
            per_clause[candidate.clause] = per_clause.get(candidate.clause, 0) + 1
            candidate.id = f"{self.plan_id}.t{_clause_slug(candidate.clause)}.{per_clause[candidate.clause]}"
            if not _is_percent(candidate.unit):
                previous_by_sentence[sentence] = candidate
            candidates.append(candidate)
        return candidates

    def _candidate(self, q: _Quantity, seg: tuple[int, int, list[_Quantity]], previous: Candidate | None) -> Candidate:
        text = self.text
        seg_start, seg_end, members = seg
        item_start = self._item_start(q, members, seg_start)
        # wording that belongs to a rejected number (超50亿元企业3家: 超 is the threshold's) is masked out
        masked = list(text[seg_start:q.start])
        for other, _ in self.rejected:
            if seg_start <= other.start and other.end_all <= q.start:
                for k in range(max(seg_start, other.start - 3), other.end_all):
                    masked[k - seg_start] = " "
        head = "".join(masked)
        local = head[item_start - seg_start:]
        comparator = self._comparator(q, local, head)
        kind, phrase_kind = self._kind(q, local, head, comparator, previous)
        value = _number(q.value)
        value_max = _number(q.value_max) if q.value_max is not None else None
        unit = "个百分点" if q.unit == "百分点" else q.unit
        downward = _nearest_in({"down": PHRASES["percent_kind_before"]["reduction"],
                                "up": PHRASES["percent_kind_before"]["growth"]}, local or head)[0] == "down"
        if phrase_kind == "reduction" or (phrase_kind == "points" and downward):
            comparator = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(comparator, comparator)
            if value_max is not None:
                value, value_max = -value_max, -value
            else:
                value = -value
        clause, chapter, task, leads = self.outline.clause_info(q.start)
        name, quote_end = self._name(q, seg, item_start)
        quote = text[item_start:max(quote_end, q.end_all)].strip()
        notes = [n for n in (q.note, "余" if q.approx == "余" else None) if n]
        baseline = None
        if q.start in self.baselines:
            base = next(b for b in self.quantities if b.start == self.baselines[q.start])
            year = _YEAR_WORD_RE.findall(text[max(0, base.start - 12):base.start])
            baseline = {"value": _number(base.value), "unit": base.unit,
                        "period": f"{year[-1]}-12" if year else None}
        return Candidate(
            id="",
            plan=self.plan_id,
            clause=clause,
            chapter=chapter,
            task=task,
            name=name,
            kind=kind,
            phrase_kind=phrase_kind,
            comparator=comparator,
            value=value,
            value_max=value_max,
            unit=unit,
            quote=quote,
            span=(q.start, q.end),
            span_max=q.max_span,
            printed=q.printed,
            deadline=self._deadline(q),
            recurrence=self._recurrence(head),
            lead_units=leads,
            baseline=baseline,
            note="；".join(notes) or None,
        )

    def _borrow_name(self, candidate: Candidate, last: Candidate) -> str:
        """Complete a name the text leaves implicit from the previous target of the sentence.

        "新建5G基站3100个，累计达到10000个" -> 5G基站; "营业收入突破3000亿元，年均增长8%" -> 营业收入年均增长;
        "比重提高3个百分点，达到32%" -> 比重.
        """
        growth_words = PHRASES["percent_kind_before"]["growth"] + PHRASES["percent_kind_before"]["reduction"]
        subject = _strip_verb(last.name, self._verbs)
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

    def _comparator(self, q: _Quantity, local: str, head: str) -> str:
        if q.value_max is not None:
            return "range"
        if q.approx:
            return PHRASES["comparator_between"][q.approx]
        if q.suffix:
            return PHRASES["comparator_after"][q.suffix]
        stripped = local.rstrip(" \t\u3000")
        word, end = _nearest(stripped, PHRASES["comparator_before"])
        if end < len(stripped) or end < 0:  # "不超过1.9亿" is 不超过, not 过
            for word, comparator in sorted(PHRASES["comparator_adjacent"].items(), key=lambda kv: -len(kv[0])):
                if stripped.endswith(word):
                    return comparator
        for context in (local, head):
            word, end = _nearest(context, PHRASES["comparator_before"])
            if end >= 0:
                return PHRASES["comparator_before"][word]
        return ">="

    def _kind(self, q: _Quantity, local: str, head: str, comparator: str,
              previous: Candidate | None) -> tuple[str, str]:
        """(catalogue kind, phrase kind) from the nearest kind word; a bare list item takes its sentence's kind."""
        if q.unit in ("个百分点", "百分点"):
            return "growth", "points"
        if _is_percent(q.unit) or q.unit == "倍":
            key = None
            for context in (local, head):
                key, _, _ = _nearest_in(PHRASES["percent_kind_before"], context)
                if key:
                    break
            if key in ("reduction", "growth"):
                return "growth", key
            if key == "cap" or q.suffix in PHRASES["cap_after"]:
                return "cap", "cap"
            return "share", "share"
        if q.suffix in PHRASES["cap_after"]:
            return "cap", "cap"
        for context in (local, head):
            if key := _nearest_in(PHRASES["kind_before"], context)[0]:
                if key == "level" and any(w in context for w in PHRASES["increment_override"]):
                    return "increment", "increment"  # 新增光伏装机容量80兆瓦
                return key, key
        if previous is not None:
            return previous.kind, previous.phrase_kind
        if comparator in ("<=", "<"):
            return "cap", "cap"
        return "increment", "increment"

    def _ends_with_verb(self, text: str) -> bool:
        return any(text.endswith(v) for v in self._verbs)

    def _name(self, q: _Quantity, seg: tuple[int, int, list[_Quantity]], item_start: int) -> tuple[str, int]:
        """A short name for what is counted, and where the quote should end.

        The thing counted is written before the number ("新增高新技术企业100家") or after it ("推动200家企业对接合作",
        "新增不少于20家城市书房"); in a list, an item without its own verb borrows the phrase's ("新增A2家、B3家").
        """
        text = self.text
        seg_start, seg_end, members = seg
        raw_before = text[item_start:q.start]
        if q.start in self.baselines:  # 工业用地亩均税收由2024年的18万元提高到 -> 工业用地亩均税收
            cut = max(raw_before.rfind(m) for m in PHRASES["baseline_from"])
            raw_before = raw_before[:cut] if cut > 0 else raw_before
        before = _clean_name(raw_before)
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
        tail = _clean_name(tail_raw, strip_fillers=False)
        quote_end = q.end_all
        cue_before = _nearest(raw_before.rstrip(), PHRASES["comparator_before"])[1] == len(raw_before.rstrip())
        if len(tail) >= 2 and (not before or self._ends_with_verb(before) or not cue_before):
            before = before + tail
            quote_end = q.end_all + len(tail_raw.rstrip(" \t\u3000\r\n，,。；;"))
        if item_start > seg_start and before and not any(before.startswith(v) for v in self._verbs):
            head = _strip_fillers(text[seg_start:item_start])
            head_verb = next((v for v in self._verbs if head.startswith(v)), "")
            if head_verb:
                before = head_verb + before
        paired = self._paired_name(q, seg)
        return (paired or before or _clean_name(text[seg_start:q.start]) or ""), quote_end

    def _paired_name(self, q: _Quantity, seg: tuple[int, int, list[_Quantity]]) -> str | None:
        """"A和B数量达到20家和25家" -> "A数量" for 20, "B数量" for 25."""
        text = self.text
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
        subject = _clean_name(text[seg[0]:group[0].start])
        tail_word = next((t for t in PHRASES["name_tails"] if subject.endswith(t)), "")
        subject = subject[: len(subject) - len(tail_word)]
        parts = re.split(r"[和、及与]", subject)
        if len(parts) != len(group):
            return None
        return parts[group.index(q)] + tail_word

    def _deadline(self, q: _Quantity) -> str | None:
        """YYYY-MM from "到2025年" / "2023年底前" / "2023年6月底" before the number, else the plan's last year."""
        text = self.text
        sent_start, _ = self.geometry.bounds(q.start, sentence=True)
        best = None
        for match in re.finditer(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?", text[sent_start:q.start]):
            absolute = sent_start + match.start()
            lead = text[max(0, absolute - 2):absolute]
            if any(lead.endswith(w) for w in PHRASES["year_not_after"]) or self.geometry.in_quote[absolute]:
                continue
            if text[sent_start + match.end():sent_start + match.end() + 1] in ("）", ")", "—", "-"):
                continue
            month = int(match.group(2)) if match.group(2) else 12
            best = f"{int(match.group(1)):04d}-{month:02d}"
        if best:
            return best
        if self.period[1] is not None:
            return f"{self.period[1]:04d}-12"
        return None

    @staticmethod
    def _recurrence(head: str) -> str | None:
        for word in PHRASES["recurrence_words"]:
            for match in re.finditer(word, head):
                before = head[max(0, match.start() - 1):match.start()]
                if not (before and before in PHRASES["recurrence_not_after"]):
                    return "yearly"
        return None


def _strip_fillers(text: str) -> str:
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


def _clean_name(text: str, strip_fillers: bool = True) -> str:
    """The indicator name inside a phrase: fillers in front, comparator words behind, brackets' contents removed."""
    text = re.sub(r"[\s\u3000]+", "", text)
    text = re.sub(r"[（(][^（）()]*[)）]", lambda m: "" if (len(m.group(0)) > 10 or re.search(r"\d", m.group(0)))
                  else m.group(0), text)
    for word in PHRASES["name_drop"]:
        text = text.replace(word, "")
    if strip_fillers:
        text = _strip_fillers(text)
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


def _strip_verb(name: str, verbs: list[str]) -> str:
    for verb in verbs:
        if name.startswith(verb) and len(name) > len(verb):
            return name[len(verb):]
    return name


def _number(value: Decimal) -> float:
    """A Decimal as the catalogue writes it: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _clause_slug(clause: str) -> str:
    if not clause:
        return "x"
    parts = []
    for token in re.findall(r"[一二三四五六七八九十]+|[0-9]+", clause):
        number = chinese_to_number(token) if not token.isdigit() else Decimal(token)
        parts.append(str(int(number)) if number is not None else token)
    return "-".join(parts) or "x"


# ======================================================================================================================
# Public API
# ======================================================================================================================
def extract_candidates(text: str, plan_id: str = "new-plan") -> list[Candidate]:
    """Candidate catalogue entries for every quantitative target found in ``text``, in text order.

    ``plan_id`` prefixes the suggested ids. Each candidate's ``span`` locates its number in ``text``.
    """
    return _Reader(text, plan_id).read()


def rejected_numbers(text: str) -> list[tuple[str, int, str]]:
    """For debugging: (printed number, position, reason) for every number read with a unit but judged no target."""
    reader = _Reader(text, "debug")
    reader.read()
    return [(q.printed, q.start, reason) for q, reason in reader.rejected]


class _FlowListDumper(yaml.SafeDumper):
    """Block style for mappings, flow style for short lists of scalars (lead_units, span)."""


def _represent_list(dumper: yaml.SafeDumper, data: list):
    flow = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_FlowListDumper.add_representer(list, _represent_list)


def candidates_to_yaml(candidates: Iterable[Candidate]) -> str:
    """The candidates as a YAML document with one ``targets:`` list, Chinese kept readable."""
    entries = [c.catalogue_entry() for c in candidates]
    return yaml.dump({"targets": entries}, Dumper=_FlowListDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000, indent=2)


# Columns a reviewer may edit in a table of candidates (the Catalogue page's data editor), in display order.
ROW_FIELDS = ("id", "clause", "task", "name", "kind", "phrase_kind", "comparator", "value", "value_max", "unit",
              "deadline", "recurrence", "lead_units", "quote", "note")


def candidate_row(candidate: Candidate) -> dict:
    """One flat table row for a candidate (lead units joined with 、), for review in a table editor."""
    row = {key: getattr(candidate, key) for key in ROW_FIELDS}
    row["lead_units"] = "、".join(candidate.lead_units)
    return row


def _cell(value: object) -> object:
    """A table cell back to a plain value: NaN and blank text become None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def rows_to_yaml(rows: list[dict], candidates: list[Candidate]) -> str:
    """YAML for candidates after a reviewer edited their rows (same order as ``candidates``; extra keys ignored)."""
    edited = []
    for row, candidate in zip(rows, candidates, strict=False):
        values = {key: _cell(row.get(key)) for key in ROW_FIELDS if key in row}
        merged = Candidate(**{**candidate.__dict__})
        for key, value in values.items():
            if key == "lead_units":
                merged.lead_units = [u.strip() for u in re.split(r"[、,，;；]", value or "") if u.strip()]
            elif key in ("value", "value_max"):
                setattr(merged, key, None if value is None else _number(Decimal(str(value))))
            elif key in ("id", "clause", "task", "name", "kind", "phrase_kind", "comparator", "unit", "quote"):
                setattr(merged, key, "" if value is None else str(value))
            else:
                setattr(merged, key, None if value is None else str(value))
        if merged.value is None:
            continue  # a row whose value was cleared is dropped
        edited.append(merged)
    return candidates_to_yaml(edited)


# ======================================================================================================================
# Evaluation against the catalogue
# ======================================================================================================================
@dataclass
class PlanEvaluation:
    """Recall and precision of the extractor on one plan's source text."""

    plan: str
    source: str
    targets: int
    found: int
    candidates: int
    correct: int
    misses: list[cat.Target] = field(default_factory=list)
    false_positives: list[tuple[Candidate, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0


@dataclass
class EvaluationResult:
    """Per-plan and overall recall/precision, with the misses and false positives for debugging."""

    plans: list[PlanEvaluation]

    @property
    def targets(self) -> int:
        return sum(p.targets for p in self.plans)

    @property
    def found(self) -> int:
        return sum(p.found for p in self.plans)

    @property
    def candidates(self) -> int:
        return sum(p.candidates for p in self.plans)

    @property
    def correct(self) -> int:
        return sum(p.correct for p in self.plans)

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0

    def table(self) -> str:
        """A plain-text table: one row per plan and an overall row."""
        header = f"{'plan':<26} {'targets':>7} {'found':>6} {'recall':>7} {'candidates':>10} {'correct':>7} {'precision':>9}"
        rows = [header, "-" * len(header)]
        for p in self.plans + [None]:
            label, t, f, c, k, r, pr = (
                (p.plan, p.targets, p.found, p.candidates, p.correct, p.recall, p.precision) if p else
                ("overall", self.targets, self.found, self.candidates, self.correct, self.recall, self.precision))
            if p is None:
                rows.append("-" * len(header))
            rows.append(f"{label:<26} {t:>7} {f:>6} {r:>7.1%} {c:>10} {k:>7} {pr:>9.1%}")
        return "\n".join(rows)

    def details(self) -> str:
        """Every missed target and every false positive, one per line."""
        lines = []
        for p in self.plans:
            for target in p.misses:
                lines.append(f"  miss  {p.plan} {target.id}: {target.value:g} {target.unit} · {target.quote}")
            for candidate, why in p.false_positives:
                lines.append(f"  extra {p.plan} @{candidate.span[0]} {candidate.printed} {candidate.unit} "
                             f"({why}) · {candidate.quote}")
        return "\n".join(lines)




def _spans_of(candidate: Candidate) -> list[tuple[int, int]]:
    return [candidate.span] + ([candidate.span_max] if candidate.span_max else [])


def _values_of(candidate: Candidate) -> set[Decimal]:
    return {Decimal(str(abs(v))) for v in (candidate.value, candidate.value_max) if v is not None}


def evaluate(catalogue: cat.Catalogue) -> EvaluationResult:
    """Run the extractor on every plan's source and score it against the catalogue and its exclusions.

    A candidate matches a target when its number span lies inside an occurrence of the target's quote in the source
    and its value equals the target's value or value_max. A candidate whose number is listed in an exclusion (inside
    the exclusion's quote) is a false positive, as is any candidate matching no target. Targets quoted from another
    file than the plan's source (the explainer) are not counted.
    """
    results = []
    for plan_id, plan in catalogue.plans.items():
        source_name = Path(plan.source).name
        try:
            text = catalogue.source_text(plan.source)
        except FileNotFoundError:
            continue
        targets = [t for t in catalogue.targets if t.plan == plan_id and Path(catalogue.quote_source(t)).name
                   == source_name]
        exclusions = [e for e in catalogue.exclusions if Path(e.source).name == source_name]
        candidates = extract_candidates(text, plan_id)
        target_spans = [(t, [(s, s + len(t.quote)) for s in occurrences(text, t.quote)],
                         {Decimal(str(abs(v))) for v in (t.value, t.value_max) if v is not None}) for t in targets]
        excluded_spans = []
        for exclusion in exclusions:
            numbers = set()
            for printed in exclusion.numbers:
                try:
                    numbers.add(to_decimal(printed))
                except ValueError:
                    continue
            excluded_spans += [(s, s + len(exclusion.quote), numbers, exclusion.reason)
                               for s in occurrences(text, exclusion.quote)]
        found: set[str] = set()
        correct = 0
        false_positives: list[tuple[Candidate, str]] = []
        for candidate in candidates:
            start, end = candidate.span
            excluded = next((reason for s, e, numbers, reason in excluded_spans
                             if s <= start and end <= e and to_decimal_safe(candidate.printed) in numbers), None)
            if excluded is not None:
                false_positives.append((candidate, f"excluded: {excluded}"))
                continue
            values = _values_of(candidate)
            matched = [t for t, spans, allowed in target_spans
                       if values & allowed and any(s <= cs and ce <= e for s, e in spans
                                                   for cs, ce in _spans_of(candidate))]
            if matched:
                correct += 1
                found.update(t.id for t in matched)
            else:
                false_positives.append((candidate, "not in the catalogue"))
        misses = [t for t in targets if t.id not in found]
        results.append(PlanEvaluation(plan_id, source_name, len(targets), len(targets) - len(misses),
                                      len(candidates), correct, misses, false_positives))
    return EvaluationResult(results)


def to_decimal_safe(printed: str) -> Decimal | None:
    """The value of a printed Arabic number, or of a Chinese numeral; None when it is neither."""
    try:
        return to_decimal(printed)
    except ValueError:
        return chinese_to_number(printed)


def load_catalogue(targets: Path | None = None, exclusions: Path | None = None) -> cat.Catalogue:
    """The catalogue to evaluate against (default: the deployment's targets and judged non-targets)."""
    targets = Path(targets) if targets else config.targets_path()
    exclusions = Path(exclusions) if exclusions else config.not_targets_path()
    return cat.load(targets, exclusions if exclusions.exists() else None)


# ======================================================================================================================
# Command line
# ======================================================================================================================
RECALL_THRESHOLD = 0.95
PRECISION_THRESHOLD = 0.85


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``extract`` command to the CLI's subparsers (call from ``indicators.cli.build_parser``)."""
    p = subparsers.add_parser(
        "extract", help="print candidate catalogue entries found in a policy text, as YAML; --evaluate scores it",
        description="Find candidate quantitative targets in a policy text (DESIGN §7).")
    p.add_argument("file", nargs="?", help="policy text (UTF-8 .txt)")
    p.add_argument("--plan-id", default="new-plan", help="plan id used in the suggested target ids")
    p.add_argument("--evaluate", action="store_true",
                   help="score the extractor on the seed plans against the catalogue; exit 1 below "
                        f"recall {RECALL_THRESHOLD:.0%} or precision {PRECISION_THRESHOLD:.0%}")
    p.add_argument("--targets", help="catalogue file (default data/targets.yaml, else the part files)")
    p.add_argument("--exclusions", help="exclusions file (default data/not_targets.yaml)")
    p.add_argument("--details", action="store_true", help="with --evaluate: list misses and false positives")
    p.set_defaults(func=run_cli)
    return p


def run_cli(args: argparse.Namespace) -> int:
    """Run ``extract``: print YAML for a file, or the evaluation table with ``--evaluate``; return the exit code."""
    if args.evaluate:
        try:
            catalogue = load_catalogue(args.targets and Path(args.targets), args.exclusions and Path(args.exclusions))
        except cat.CatalogueError as exc:
            print(f"cannot load the catalogue: {exc}", file=sys.stderr)
            return 1
        result = evaluate(catalogue)
        print(result.table())
        if getattr(args, "details", False):
            print(result.details())
        ok = result.recall >= RECALL_THRESHOLD and result.precision >= PRECISION_THRESHOLD
        print(f"{'OK' if ok else 'FAIL'}: recall {result.recall:.1%} (≥ {RECALL_THRESHOLD:.0%}), "
              f"precision {result.precision:.1%} (≥ {PRECISION_THRESHOLD:.0%})")
        return 0 if ok else 1
    if not args.file:
        print("extract: give a FILE.txt or --evaluate", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"extract: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(candidates_to_yaml(extract_candidates(text, args.plan_id)))
    return 0
