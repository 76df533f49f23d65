"""Phenomena of real plan texts (issue 19), reproduced in short texts of our own, each with what must be read."""

from __future__ import annotations

import pytest

from indicators import authoring as ex
from indicators.authoring.normalise import read_plan_text


def _read(text: str) -> list[tuple]:
    return [(c.value, c.unit, c.comparator, c.kind) for c in ex.extract_candidates(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # a review section, then the targets
    ("某镇2025年工作计划\n一、2024年工作回顾\n　　全镇新增企业8家，完成造林1200亩。\n"
     "二、2025年主要目标\n　　新增企业10家，完成造林1500亩。\n",
     [(10, "家", ">=", "increment"), (1500, "亩", ">=", "increment")]),
    # a short unnumbered title line opens the review
    ("某县政府工作报告\n2024年工作回顾\n全县地区生产总值完成215亿元，增长5.6%；财政收入18.2亿元。\n", []),
    # a paragraph opening with 过去一年 reviews until a line speaks of this year's targets
    ("过去一年，全区新建公园6个，改造道路12公里。\n今年主要目标：新建公园8个。\n", [(8, "个", ">=", "increment")]),
    # a line labelled 完成情况 reports results even after the plan's figure
    ("某区2024年民生实事\n新建公厕20座。\n完成情况：新建公厕22座，比原计划多2座。\n", [(20, "座", ">=", "increment")]),
    # a mid-year notice: the target stated, then its result
    ("一、主要指标完成情况\n1.新建学校不少于5所。上半年，已开工学校3所。\n", [(5, "所", ">=", "increment")]),
])
def test_review_sections(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("截至目前，已建成污水处理站5座，今年新建3座。", [(3, "座", ">=", "increment")]),
    ("全县累计完成造林5万亩。", []),
    ("3年来，全市共建成口袋公园40个。", []),
    ("上半年，全区完成固定资产投资58亿元。", []),
    # the rest of the paragraph after a result sentence reports results too, until plans are spoken of again
    ("截至6月底，全省5G基站达2.1万个。移动用户比上年末净增30万户。", []),
    ("截至6月底，全省5G基站达2.1万个。年底前力争新建5G基站3000个。", [(3000, "个", ">=", "increment")]),
    # an earlier year in a later plan, and its own year again
    ("某县2025年工作要点\n　　2024年，全县完成造林3000亩。新建公园5个。\n　　2025年，完成造林3500亩。\n",
     [(3500, "亩", ">=", "increment")]),
    # a plan with two horizons and no year in its title: 到2022年 is a deadline, not the past
    ("某市制造业实施方案\n到2022年，制造业增加值比重35%左右。到2025年，培育百亿企业8个。\n",
     [(35, "%", "~", "share"), (8, "个", ">=", "increment")]),
    # a completion rate
    ("造林面积占年度总任务的112%。", []),
    ("完成森林抚育12万亩，为年度计划任务的105%。", []),
])
def test_tense(text, expected):
    assert _read(text) == expected


def test_comparison_with_last_year_is_kept_but_doubtful():
    (candidate,) = ex.extract_candidates("某市2025年工作要点\n规模以上工业增加值比上年增长8%。\n")
    assert (candidate.value, candidate.kind) == (8, "growth")
    assert (candidate.doubt, candidate.doubt_params) == ("compares_earlier", {"word": "比上年"})
    confident = ex.extract_candidates("某市2025年工作要点\n新增企业10家。\n")[0]
    assert [c.doubt is None for c in ex.ranked([candidate, confident])] == [True, False]


def test_baseline_is_no_target_and_is_kept_on_the_target():
    (candidate,) = ex.extract_candidates("到2027年，数字经济规模由2024年的1.2万亿元提高到1.8万亿元。")
    assert (candidate.value, candidate.unit, candidate.comparator, candidate.kind) == (1.8, "万亿元", ">=", "level")
    assert candidate.baseline == {"value": 1.2, "unit": "万亿元", "period": "2024-12"}


@pytest.mark.parametrize(("text", "expected"), [
    ("实施灌区续建配套改造，受益灌面12万亩。", []),
    ("实施教学楼项目，总投资8000万元，总建筑面积1.2万平方米。", []),
    ("全年安排重点项目300个、总投资2800亿元。", [(300, "个", ">=", "increment"), (2800, "亿元", ">=", "increment")]),
    ("改造东环路，全长900米。", []),
    ("今年为民办实事项目共12个。", []),
    ("一、科教惠民工程（项目6个，其中基建类4个）。新建幼儿园3所。", [(3, "所", ">=", "increment")]),
    ("抓好12个重点项目（省级项目5个、市级项目7个）建设。",
     [(12, "个", ">=", "increment"), (5, "个", ">=", "increment"), (7, "个", ">=", "increment")]),
    ("其中8个项目完成年度目标。", []),
    ("会议提出4项重点任务。", []),
    ("支持 3 家化工园区做大做强。", []),  # a space between number and unit is no phrase break
])
def test_attributes_and_sizes_of_programmes(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("重点抓好七个方面工作。", []),
    ("报告分为两个部分。", []),
    ("推进二次供水设施改造。", []),
    ("三家基础电信企业联合推进网络建设。", []),
    ("守住一条底线、建好两个平台、深化三项改革。", []),
    ("今年突出五个重点。", []),
    ("新建三处污水处理站。", [(3, "处", ">=", "increment")]),
    ("组织六场重点产业对接活动。", [(6, "场", ">=", "increment")]),  # 重点 after 场 is no ordinary phrase
])
def test_chinese_numerals_in_ordinary_phrases(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "quote", "expected"), [
    ("全縣新增規模以上工業企業15家。", "全縣新增規模以上工業企業15家", (15, "家", ">=", "increment")),
    ("新建5G基站200個。", "新建5G基站200個", (200, "个", ">=", "increment")),
    ("糧食產量保持在30萬噸以上。", "糧食產量保持在30萬噸以上", (30, "万吨", ">=", "level")),
    ("城鎮(zhèn)新增就業(yè)1.2萬(wàn)人以上。", "城鎮(zhèn)新增就業(yè)1.2萬(wàn)人以上", (1.2, "万人", ">=", "increment")),
])
def test_traditional_characters_are_read_and_quoted_verbatim(text, quote, expected):
    (candidate,) = ex.extract_candidates(text)
    assert (candidate.value, candidate.unit, candidate.comparator, candidate.kind) == expected
    assert candidate.quote == quote and text[slice(*candidate.span)] == candidate.printed


@pytest.mark.parametrize(("text", "expected"), [
    ("种植苗木326万株。", [(326, "万株", ">=", "increment")]),
    ("义务植树50万株，新建苗圃2个。", [(50, "万株", ">=", "increment"), (2, "个", ">=", "increment")]),
    ("民生项目 包括新建道路8公里 改造管网12公里 [1]", [(8, "公里", ">=", "increment"), (12, "公里", ">=", "increment")]),
])
def test_units_and_phrases_written_with_spaces(text, expected):
    assert _read(text) == expected


def test_a_headline_repeating_the_body_is_not_a_second_target():
    text = "全市今年计划新建公园10个\n　　今年，全市计划新建公园10个，改造广场4个。\n"
    candidates = ex.extract_candidates(text)
    assert [(c.value, c.unit) for c in candidates] == [(10, "个"), (4, "个")]
    assert candidates[0].span[0] > text.index("\n")


@pytest.mark.parametrize(("text", "reason"), [
    ("截至目前，全县已建成5G基站800个。", "past"),
    ("2023年工作回顾\n新增企业12家。\n", "review"),
    ("实施灌区改造，受益灌面12万亩。", "attribute"),
    ("重点抓好三家企业的上市工作，这3家企业年内上市。", "reference"),
])
def test_each_rejected_number_carries_a_reason_a_reviewer_can_read(text, reason):
    reasons = [why for _, _, why in ex.rejected_numbers(text)]
    assert any(reason in why for why in reasons), reasons


def test_a_word_document_is_read(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某县2025年重点工作任务")
    document.add_paragraph("一、產業發展")
    document.add_paragraph("新增規模以上工業企業20家。")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = read_plan_text(path)
    assert [(c.value, c.unit, c.quote) for c in ex.extract_candidates(text)] == [(20, "家", "新增規模以上工業企業20家")]


@pytest.mark.parametrize(("name", "content", "code", "params"), [
    ("plan.docx", b"not a zip at all", "not_docx", {}),
    ("plan.txt", "某县计划".encode("gb18030"), "not_utf8", {"position": 3}),  # C4 B3 happens to be UTF-8
])
def test_a_plan_file_that_is_neither_utf8_nor_docx_is_refused_with_a_code(tmp_path, capsys, name, content, code,
                                                                          params):
    from indicators.authoring.normalise import PlanTextError
    from indicators.cli import main

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanTextError) as refused:
        read_plan_text(path)
    assert (refused.value.code, refused.value.params) == (code, params)
    assert main(["extract", str(path)]) == 1  # a sentence on stderr, not a traceback
    assert refused.value.message("zh") in capsys.readouterr().err  # Chinese by default
    assert main(["extract", str(path), "--lang", "en"]) == 1
    assert refused.value.message("en") in capsys.readouterr().err


@pytest.mark.parametrize(("text", "code", "params"), [
    ("某市2025年工作要点\n规模以上工业增加值比上年增长8%。\n", "compares_earlier", {"word": "比上年"}),
    ("全市今年计划新建公园10个\n今年，全市新建公园12个。\n", "in_title", {}),
    ("新建社区残疾人之家3处，对100户", "cut_off", {}),
    ("代缴六类困难群体城乡居民养老保险。", "chinese_numerals", {"number": "六类"}),
    ("今年安排为民办实事32项。", "programme_size", {"number": "32项"}),
])
def test_doubtful_candidates_carry_a_reason_and_rank_last(text, code, params):
    candidates = ex.ranked(ex.extract_candidates(text))
    doubtful = [c for c in candidates if c.doubt]
    assert doubtful and (doubtful[0].doubt, doubtful[0].doubt_params) == (code, params)
    assert candidates[-len(doubtful):] == doubtful
    # the reason is a sentence in either language (the catalogue page shows the reader's), never a bare code
    texts = {lang: doubtful[0].doubt_text(lang) for lang in ("zh", "en")}
    assert texts["zh"] != texts["en"] and all(text and "{" not in text for text in texts.values())
    assert doubtful[0].catalogue_entry()["doubt"] == texts["en"]  # extract --out writes it in English, as before
