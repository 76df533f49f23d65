"""Figure builders: titles carry scope and as-of month, a source line, RAG colours with status text."""

import pytest

from indicators import progress
from indicators.outputs import charts, style
from indicators.progress import Group, TargetSpec


@pytest.fixture(params=["zh", "en"])
def ctx(request):
    return charts.ChartContext("示例县2023年重点工作任务", "2023-06", request.param, ("示例政办字〔2023〕7号",), demo=True)


def groups():
    a, b = Group("digital"), Group("water")
    a.counts.update(red=2, green=3)
    a.completions += [0.2, 0.5, 1.4]
    b.counts.update(achieved=1, breached=1)
    b.completions += [1.0, 1.2]
    return [a, b]


def test_titles_include_scope_and_as_of_month_and_footer_the_source(ctx):
    ctx.size = "slide"  # an exported chart carries its source line; on a page it is a caption (see the next test)
    fig = charts.status_bars(groups(), {"digital": "数字经济"}, ctx, "分领域进展")
    title = fig.layout.title.text
    assert "示例县2023年重点工作任务" in title
    assert ("截至2023年6月" if ctx.lang == "zh" else "as of Jun 2023") in title
    footer = fig.layout.annotations[0].text
    assert "示例政办字〔2023〕7号" in footer
    assert ("示例数据" if ctx.lang == "zh" else "demo data") in footer


def test_status_bars_use_the_rag_palette_and_name_each_status(ctx):
    fig = charts.status_bars(groups(), {}, ctx, "x")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert {trace.marker.color for trace in bars} == {style.RAG[s] for s in ("red", "green", "achieved", "breached")}
    names = {trace.name for trace in bars}
    assert ("滞后" in names) if ctx.lang == "zh" else ("Behind" in names)
    assert [trace.marker.pattern.shape for trace in bars if trace.marker.color == style.RAG["red"]] == ["x"]


def test_a_page_chart_leaves_the_source_line_to_a_caption(ctx):
    fig = charts.status_bars(groups(), {"digital": "数字经济"}, ctx, "分领域进展")
    assert not fig.layout.annotations  # the page writes ctx.footer() under the charts, where it wraps with the column
    assert "示例政办字〔2023〕7号" in ctx.footer()


def test_heatmap_counts_match_groups_and_rows_follow_the_bar_chart(ctx):
    fig = charts.status_heatmap(groups(), {}, ctx)
    # water (mean completion 1.1) above digital (0.7): top to bottom as the bar chart reads
    assert list(fig.data[0].y) == ["water", "digital"]
    # columns: missed, breached, red, amber, green, achieved, no_data
    assert [list(row) for row in fig.data[0].customdata] == [[0, 1, 0, 0, 0, 1, 0], [0, 0, 2, 0, 3, 0, 0]]


def test_heatmap_shades_each_status_column_in_its_own_colour(ctx):
    fig = charts.status_heatmap(groups(), {}, ctx)
    heat = fig.data[0]
    scale = [colour for _, colour in heat.colorscale]
    bands = len(charts.SHOWN_STATUSES)
    for k, status in enumerate(charts.SHOWN_STATUSES):
        assert scale[2 * k + 1] == style.tint(style.RAG[status], 0.8)  # the column's darkest shade is its status
        for row in heat.z:
            assert k <= row[k] < k + 1 <= bands  # every cell of column k stays inside band k of the scale


def test_bar_labels_are_dark_on_the_light_hatched_bars(ctx):
    fig = charts.status_bars(groups(), {}, ctx, "x")
    colours = {trace.name: trace.textfont.color for trace in fig.data if trace.type == "bar"}
    behind = "滞后" if ctx.lang == "zh" else "Behind"
    assert colours[behind] == style.INK


def test_long_titles_keep_the_as_of_month_and_every_footer_fits(ctx):
    long = charts.ChartContext("聊城市工业和信息化局深化新旧动能转换推动绿色低碳高质量发展三年行动计划（2023-2025年）",
                               "2023-06", ctx.lang, ("聊工信发〔2023〕1号", "聊政办字〔2023〕3号") * 4, demo=True)
    for size in (None, "slide"):
        long.size = size
        title = long.title("分领域进展")
        assert title.split("<br>")[-1].endswith("（截至2023年6月）" if ctx.lang == "zh" else "(as of Jun 2023)")
        limit = style.footer_chars(size, ctx.lang)
        assert all(style.text_width(line) <= limit for line in long.footer().split("<br>"))
        assert ("示例数据" if ctx.lang == "zh" else "demo data") in long.footer().replace("<br>", " ")
        assert style.text_width(title.split("<br>")[0]) <= style.title_chars(size, ctx.lang)


def test_sector_chart_draws_each_targets_completion_against_expected(ctx):
    spec = TargetSpec("a", "increment", ">=", 100, "个", "2023-01", "2023-12")
    results = [progress.evaluate(spec, {"2023-06": 20}, "2023-06"),
               progress.evaluate(TargetSpec("b", "increment", ">=", 100, "个", "2023-01", "2023-12"),
                                 {"2023-06": 60}, "2023-06")]
    fig = charts.target_completion(results, {"a": "甲", "b": "乙"}, ctx, "数字经济")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert {trace.marker.color for trace in bars} == {style.RAG["red"], style.RAG["green"]}
    assert sorted(x for trace in bars for x in trace.x) == pytest.approx([0.2, 0.6])
    expected = next(trace for trace in fig.data if trace.type == "scatter" and trace.mode == "markers")
    assert list(expected.x) == pytest.approx([0.5, 0.5])  # half the year gone: half the target expected


def test_trajectory_carries_the_source_line_and_the_demo_mark(ctx):
    ctx.size = "a4"
    spec = TargetSpec("x", "increment", ">=", 1200, "个", "2023-01", "2023-12")
    fig = charts.trajectory(spec, {"2023-03": 250}, ctx, "新建5G基站")
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "示例政办字〔2023〕7号" in texts and ("示例数据" if ctx.lang == "zh" else "demo data") in texts


def test_trajectory_shows_target_line_expected_path_and_actuals(ctx):
    spec = TargetSpec("x", "increment", ">=", 1200, "个", "2023-01", "2023-12")
    fig = charts.trajectory(spec, {"2023-03": 250, "2023-06": 650}, ctx, "新建5G基站")
    expected, actual = fig.data[0], fig.data[1]
    assert list(actual.x) == ["2023-03", "2023-06"] and list(actual.y) == [250, 650]
    assert expected.y[5] == pytest.approx(600) and expected.y[11] == pytest.approx(1200)
    assert fig.layout.shapes[0].y0 == 1200  # the target line


def test_trajectory_continues_the_actual_line_dashed_to_the_projection(ctx):
    spec = TargetSpec("x", "increment", ">=", 2500, "个", "2023-01", "2023-12")
    fig = charts.trajectory(spec, {"2023-05": 962.5}, ctx, "新建5G基站")
    (projection,) = [trace for trace in fig.data if trace.line.dash == "dot"]
    assert projection.x[0] == "2023-05" and projection.y[0] == pytest.approx(962.5)  # starts at the last actual
    assert projection.x[-1] == "2023-12" and projection.y[-1] == pytest.approx(2310)
    assert projection.text[-1].endswith("2,310个" if ctx.lang == "zh" else "2,310 items")  # English units in English
    expected = fig.data[0]
    assert expected.customdata[6] == ("1,458个" if ctx.lang == "zh" else "1,458 items")  # labelled whole
    assert expected.y[6] == pytest.approx(1458.333333)


def test_trajectory_has_no_projection_for_a_milestone_or_a_finished_period(ctx):
    school = TargetSpec("x", "increment", ">=", 1, "所", "2023-01", "2023-12")
    assert not [t for t in charts.trajectory(school, {"2023-03": 0}, ctx, "学校").data if t.line.dash == "dot"]
    done = charts.ChartContext("x", "2024-03", ctx.lang)
    spec = TargetSpec("x", "increment", ">=", 2500, "个", "2023-01", "2023-12")
    fig = charts.trajectory(spec, {"2023-10": 2000}, done, "x")
    assert not [t for t in fig.data if t.line.dash == "dot"]


def test_ranked_bars_keep_their_order_top_down_and_say_when_cut(ctx):
    many = []
    for i in range(20):
        group = Group(f"单位{i:02d}")
        group.counts.update(red=20 - i)
        many.append(group)
    fig = charts.status_bars(many, {}, ctx, "分牵头单位进展", limit=15, ranked=True)
    assert list(fig.data[0].y) == [f"单位{i:02d}" for i in range(15)]
    assert fig.layout.yaxis.autorange == "reversed"
    assert ("前15个，共20个" if ctx.lang == "zh" else "top 15 of 20") in fig.layout.title.text


def test_plan_summary_counts_every_status():
    results = [progress.Progress(f"t{i}", "2023-06", s, 1, "2023-06", 1, 0.5, 0, 6, 12)
               for i, s in enumerate(["red", "red", "green", "no_data"])]
    fig = charts.plan_summary(results, charts.ChartContext("p", "2023-06"))
    assert list(fig.data[0].values) == [2, 1, 1]


@pytest.mark.parametrize("size", [None, "slide"])
def test_long_group_names_wrap_on_a_page_and_the_chart_grows_with_them(size):
    long = "Wenchanghu Economic Development Bureau"
    groups = []
    for i in range(15):
        group = Group(f"k{i}")
        group.counts.update(red=3 + i)
        groups.append(group)
    labels = {f"k{i}": f"{long} {i}" for i in range(15)}
    fig = charts.status_bars(groups, labels, charts.ChartContext("p", "2023-09", "en", size=size), "by unit",
                             ranked=True)
    names = list(fig.data[0].y)
    if size is None:  # a page (a phone's too): at most three short lines, and room for every line
        assert all(0 < n.count("<br>") <= 2 for n in names), names
        assert all(style.text_width(line) <= charts.NAME_WIDTH for n in names for line in n.split("<br>")), names
        assert fig.layout.height >= 15 * 2 * 18
    else:  # an export is wide enough for one line, at its own size
        assert names == [labels[f"k{i}"] for i in range(15)]
        assert fig.layout.height == style.SIZES["slide"][1]


def test_a_trajectory_axis_without_a_unit_suffix_names_its_unit():
    spec = TargetSpec(id="x", kind="level", comparator=">=", value=3.0, unit="万元", start="2023-01",
                      deadline="2023-12")
    values = {"2023-01": 2.08, "2023-06": 2.3}
    zh = charts.trajectory(spec, values, charts.ChartContext("p", "2023-06", "zh"), "医疗救助标准")
    en = charts.trajectory(spec, values, charts.ChartContext("p", "2023-06", "en"), "Medical assistance")
    assert zh.layout.yaxis.ticksuffix == "万元" and zh.layout.yaxis.title.text is None
    assert not en.layout.yaxis.ticksuffix and en.layout.yaxis.title.text == "10,000 yuan"  # ticks 0–3 are 万元
