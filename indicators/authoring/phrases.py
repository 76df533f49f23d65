"""The phrase table: every word the extractor reacts to, and the patterns for headings, lead units and dates.

The code only says how near a word must be and which wins; the words are here.
"""

from __future__ import annotations

import re

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
    "comparator_between": {"余": ">", "多": ">"},  # N余/N多: more than N (DESIGN §3)
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
            "数量", "装机容量", "产量", "亩均", "人均", "户均", "平均", "增长至", "增长到",
            "降低到", "降低至", "降到", "降至", "下降到", "下降至",
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
        "growth": ("增长", "增速", "增幅", "增加", "提高", "提升", "上升", "年均增长", "同比增长", "增收", "涨幅", "升幅"),
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
    # a year after these is a deadline ("到2022年，…"), never a statement about the past
    "deadline_before": ("到", "至", "力争"),
    # the nearest verb is one of these: the number names what is supported or relied on, it commits nothing
    # (only when the thing counted follows the number: 支持3家园区做大做强, but 支持…项目5个 is a commitment)
    "scope_verbs": ("支持", "依托", "围绕", "聚焦", "针对", "面向", "对标", "覆盖"),
    # the nearest verb is one of these: the number tells the extent of another target (改造28个、涉及居民3600户)
    "extent_verbs": ("涉及", "惠及"),
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
        "部": "门署委", "名": "单称额次", "条": "件例款", "次": "数序全会供产污开元分", "位": "数置于列", "台": "阶", "批": "次准复",
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
    # a Chinese numeral + count word + one of these is an ordinary phrase, not a count (七个方面, 两个部分, 五个重点)
    "ordinary_after": ("方面", "部分", "重点", "环节", "层面", "维度", "领域", "阶段", "板块", "片区"),
    # --- tense: review sections and sentences about results (see tense.py) -----------------------------------------
    # a short title line or numbered heading with one of these opens a review of results
    "review_markers": ("回顾", "工作成效", "主要成效", "取得的成效", "成绩", "完成情况", "实施情况", "工作总结", "进展情况",
                       "主要成就", "发展现状", "基本情况", "过去一年", "过去五年", "过去的五年", "一年来", "五年来"),
    # ... and one of these opens the part with targets
    "target_markers": ("目标", "今年将", "今年要", "发展目标", "奋斗目标", "重点任务", "重点工作", "工作计划",
                       "工作安排", "主要任务", "工作建议", "的建议", "总体要求", "任务分解", "工作要点", "行动计划"),
    # a paragraph opening with one of these reviews the past until a target marker
    "review_openers": ("过去一年", "过去五年", "过去的五年", "过去的一年", "回顾这一年", "回顾过去", "一年来", "五年来"),
    # words that make a sentence (and the rest of its paragraph) report results
    "past_sentence_words": ("截至", "截止", "年来", "以来", "去年", "上半年", "共完成", "累计完成", "共建成", "已完成",
                            "提前达成", "提前完成", "全部完成", "与年度计划持平",
                            "已建成", "已累计", "已使", "已超额", "首次突破", "过去"),
    # words that turn a paragraph back to what is planned
    "future_words": ("将", "力争", "计划", "目标是", "目标为", "预期目标", "任务目标",
                     "要求", "提出", "确保", "争取", "明年", "今年要", "今后", "到20",
                     "预计可", "拟", "今冬", "明春"),
    # comparison with an earlier period: often a result, sometimes a target ("比上年增长10%"): kept, but doubtful
    "comparison_words": ("比上年", "较上年", "同比", "比上年末", "较上年末", "比去年", "较去年"),
    # "…任务的105%", "占年度计划的97.6%": a completion rate, not a target
    "completion_rate_before": ("任务的", "计划的", "目标的", "总任务的", "年度计划的"),
    # the counted thing follows the number and the clause has none of these: no commitment (其中8个项目完成年度目标)
    "object_markers": ("对", "把", "将"),
    # right before a number: an attribute of a project, not what the plan commits to (总投资2.5亿元, 受益灌面770万亩)
    "attribute_before": ("总投资", "总建筑面积", "建筑面积", "建设面积", "宽", "长", "高",
                         "总面积", "占地面积", "占地", "全长", "长度约", "宽度约",
                         "长度", "宽度", "受益灌面", "设计灌溉面积", "设计规模", "总库容", "装机规模为"),
    # past words that count after the number only in these completive forms (124处已建大型灌区: 已建 is an adjective)
    "past_after_words": ("已建成", "已完成", "已实现", "已达", "已投产", "已开工", "已覆盖", "已形成"),
    # a sentence opening with one of these gives the result of the target stated just before it (progress notices)
    "target_cues": ("不少于", "不低于", "以上", "力争", "确保", "左右", "以内", "争取"),
    "result_openers": ("上半年", "截至", "截止", "1-6月", "1—6月", "前三季度", "目前", "全年完成"),
    # a line opening with one of these and a colon reports results ("2023年完成情况：…")
    "review_labels": ("完成情况", "进展情况", "实施情况", "工作成效", "取得成效"),
    # verbs of a document about its own contents: the count after them is of measures or indicators (提出4项专栏工程)
    "document_verbs": ("提出", "部署", "印发", "明确", "确定", "出台", "制定", "分为", "共分", "涵盖", "包括", "发布",
                       "公布"),
    # before the number: a reference to things named elsewhere (这10项, 上述3个) or the agent (由231名代表)
    "reference_before": ("这", "该", "上述", "此", "由"),
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
SEGMENT_BREAKS = set("，,；;。！？!?：:.")
SENTENCE_BREAKS = set("；;。！？!?.")
OPEN_PARENS, CLOSE_PARENS = "（(", "）)"
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
ASCII_LETTER_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
PAST_LE_RE = re.compile(r"[\u4e00-\u9fff](?<![为除罢])了(?![解结])")  # 部署了10项, 建成了5个 (not 为了, 了解)
YEAR_WORD_RE = re.compile(r"((?:19|20)\d{2})\s*年")

# Outline headings, highest level first: 一、 / （一） / 1. / （1）.
HEADINGS = (
    (1, re.compile(r"^[ \t\u3000]*([一二三四五六七八九十]{1,3})[、．.]\s*(.*)$")),
    (1, re.compile(r"^[ \t\u3000]*第([一二三四五六七八九十]{1,3})(?:章|部分|篇)[ \t\u3000]*(.*)$")),
    (3, re.compile(r"^[ \t\u3000]*第([一二三四五六七八九十百]{1,4})条[ \t\u3000]*(.*)$")),
    (2, re.compile(r"^[ \t\u3000]*[（(]([一二三四五六七八九十]{1,3})[)）]\s*(.*)$")),
    (3, re.compile(r"^[ \t\u3000]*([0-9０-９]{1,3})\s*[.．、](?![0-9０-９])\s*(.*)$")),
    (4, re.compile(r"^[ \t\u3000]*[（(]([0-9０-９]{1,2})[)）]\s*(.*)$")),
)
LEAD_GROUP_RE = re.compile(r"[（(]([^（()）\n]*?(?:负责|牵头|配合|单位\s*[:：])[^（()）\n]*?)(?:[)）]|(?=\n)|$)")
LEAD_LINE_RE = re.compile(r"(?m)^[ \t\u3000]*(?:牵头|责任|主责|负责)单位\s*[:：][^\n]*$")
DOC_NUMBER_RES = (
    re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[（(]\s*\d{4}\s*[〕］\]）)]\s*\d+\s*号"),
    re.compile(r"[\u4e00-\u9fff]{1,12}(?:字|发|函|办)\s*\d{5,}"),
)
PERIOD_SPAN_RE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至]\s*((?:19|20)\d{2})\s*年")
PERIOD_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
PLAN_WORDS = ("计划", "任务", "要点", "方案", "规划", "意见", "目标", "纲要", "安排", "清单", "实事", "报告", "部署")
RANGE_RE = re.compile(r"[ \t\u3000]*(" + "|".join(re.escape(c) for c in PHRASES["range_connectors"]) + r")[ \t\u3000]*")

