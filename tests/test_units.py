"""Units: Chinese multipliers, count dimensions, conversions and clear failures (DESIGN §4)."""

import pytest

from indicators.text.units import UnitError, compatible, convert, parse_number, parse_quantity, parse_unit, to_unit


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("350万千瓦", "千瓦", 3_500_000),
        ("350万千瓦", "MW", 3500),
        ("1.2万人", "人", 12_000),
        ("20.1亿立方米", "立方米", 2_010_000_000),
        ("４０００亩", "亩", 4000),
        ("18%", "%", 18),
        ("18％", "percent", 18),
        ("2500个", "个", 2500),
        ("1,320个", "个", 1320),
        ("１，３２０个", "个", 1320),
        ("1万个", "个", 10_000),
        ("25万亩", "亩", 250_000),
        ("15亩", "平方米", 10_000),
        ("3平方公里", "亩", 4500),
        ("1.5亿元", "万元", 15_000),
        ("2500万斤", "吨", 12_500),
        ("13.58万头", "头", 135_800),
        ("500公里", "千米", 500),
        ("7座", "个", 7),
        ("100项", "个", 100),
        ("326万株", "个", 3_260_000),
        ("120课时", "个", 120),
        ("3处", "项", 3),
        ("50个亿", "亿元", 50),
        ("2个百分点", "个百分点", 2),
        ("1.32万", None, 13_200),
        ("1320", None, 1320),
        (" 20 家", "家", 20),
        ("1公顷", "亩", 15),
        ("100MW", "万千瓦", 10),
        ("10㎡", "平方米", 10),
        ("3000吨标准煤", "吨标准煤", 3000),
    ],
)
def test_parse_and_convert(text, unit, expected):
    quantity = parse_quantity(text)
    value = to_unit(quantity, unit) if unit else quantity.magnitude
    assert value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (100, "MW", "万千瓦", 10),
        (10, "万千瓦", "MW", 100),
        (1, "万亩", "亩", 10_000),
        (1, "平方公里", "亩", 1500),
        (1, "亿元", "万元", 10_000),
        (3.5, "万人", "人", 35_000),
        (2, "亿立方米", "万立方米", 20_000),
    ],
)
def test_convert_between_compatible_units(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("source", "target"),
    [("人", "家"), ("家", "个"), ("头", "人"), ("万千瓦", "亩"), ("亿元", "吨"), ("%", "个"), ("户", "人"), ("人次", "人")],
)
def test_incompatible_units_raise(source, target):
    assert not compatible(source, target)
    with pytest.raises(UnitError) as info:
        convert(1, source, target)
    assert (info.value.code, info.value.params) == ("incompatible", {"unit": source, "target_unit": target})


@pytest.mark.parametrize(
    ("text", "code"),
    [("亿平方英寸", "unknown_unit"), ("abc", "unknown_unit"), ("千瓦力", "unknown_unit"), ("m2x", "unknown_unit"),
     ("", "missing_unit"), ("头猪", "unknown_unit"), ("万万", "unknown_unit")],
)
def test_unknown_or_ambiguous_unit_names_the_text(text, code):
    with pytest.raises(UnitError) as info:
        parse_unit(text)
    assert (info.value.code, info.value.params) == (code, {"unit": text})
    # the sentence names the text in either language, and str() (logs, command line) holds both
    assert repr(text) in info.value.message("zh") and repr(text) in info.value.message("en")
    assert str(info.value) == f"{info.value.message('zh')} / {info.value.message('en')}"


@pytest.mark.parametrize(
    ("text", "code"),
    [("约五十", "not_a_number"), ("abc个", "not_a_number"), ("1.2.3万", "unknown_unit"), ("", "empty_value"),
     ("--5家", "not_a_number")],
)
def test_bad_quantities_raise_unit_error(text, code):
    with pytest.raises(UnitError) as info:
        parse_quantity(text)
    assert info.value.code == code


def test_people_are_not_organisations():
    with pytest.raises(UnitError) as info:
        to_unit(parse_quantity("1.2万人"), "家")
    assert info.value.code == "incompatible" and info.value.params["target_unit"] == "家"


def test_a_bare_number_has_no_unit_to_convert():
    with pytest.raises(UnitError) as info:
        to_unit(parse_quantity("12"), "家")
    assert (info.value.code, info.value.params) == ("no_unit", {"target_unit": "家"})


def test_generic_measure_words_share_a_dimension():
    """个 vs 项 is a documented choice: both count generic items."""
    assert compatible("个", "项") and compatible("座", "处")


def test_bare_number_takes_default_unit():
    assert to_unit(parse_quantity("1.32万", default_unit="个"), "个") == 13_200


@pytest.mark.parametrize(("text", "expected"), [("两", 2), ("十", 10), ("十五", 15), ("三千", 3000), ("1,320", 1320)])
def test_parse_number_handles_chinese_numerals(text, expected):
    assert parse_number(text) == expected
