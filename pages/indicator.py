"""指标详情 Indicator: trajectory against the expected path, status with its explanation, the verbatim source
sentence, lead units, and every revision of the values."""

import pandas as pd
import streamlit as st

import ui
from indicators import progress, store
from indicators.outputs import charts


def body(filters: ui.Filters) -> None:
    st.title(ui.tr("indicator"))
    ui.demo_banner()
    catalogue = ui.get_catalogue()
    lang = filters.lang
    targets = [t for t in catalogue.targets
               if (not filters.plans or t.plan in filters.plans)
               and (not filters.jurisdictions or catalogue.plans[t.plan].jurisdiction in filters.jurisdictions)]
    if not targets:
        st.info(ui.tr("no_targets"))
        return
    by_id = {t.id: t for t in targets}
    wanted = st.query_params.get("target")
    if wanted in by_id and wanted != st.session_state.get("indicator_target_from_url"):
        # a link or bookmark (?target=...) chooses the target once; the user's own choice then wins
        st.session_state["indicator_target"] = wanted
    st.session_state["indicator_target_from_url"] = wanted
    if st.session_state.get("indicator_target") not in by_id:
        st.session_state["indicator_target"] = targets[0].id

    def label(target_id: str) -> str:
        t = by_id[target_id]
        return f"{t.clause} · {ui.pick(t.name, t.name_en)} · {t.id}"

    # the selectbox filters as you type: search by name, id or clause number
    target_id = st.selectbox(ui.tr("ind_find"),
                             list(by_id), key="indicator_target", format_func=label)
    st.query_params["target"] = target_id
    st.session_state["indicator_target_from_url"] = target_id
    target = by_id[target_id]
    plan = catalogue.plans[target.plan]
    info = _info(target_id)
    values = ui.series(target_id)
    name = ui.pick(target.name, target.name_en)

    if info is None:
        st.warning(ui.tr("ind_retired"))
        return
    result = progress.evaluate(info.spec, values, filters.as_of, ui.thresholds())
    st.markdown(f"### {name} &nbsp; {ui.status_badge(result.status)}", unsafe_allow_html=True)
    st.write(ui.explanation(result))
    ctx = charts.ChartContext(ui.pick(plan.title, plan.title_en), filters.as_of, lang,
                              (plan.doc_number,), ui.demo_in_use())
    st.plotly_chart(charts.trajectory(info.spec, values, ctx, name, ui.thresholds()), width="stretch")
    st.caption(ctx.footer().replace("<br>", " "))

    history = store.revision_history(ui.engine(), target_id)
    _table_and_downloads(target, info, values, history, filters)
    _metadata(target, plan, catalogue)

    st.subheader(ui.tr("ind_history"))
    if not history:
        st.caption(ui.tr("ind_no_values"))
        return
    frame = pd.DataFrame([{
        ui.tr("month"): h.period, ui.tr("actual"): h.value,
        ui.tr("col_as_uploaded"): f"{h.value_raw} {h.unit_raw or ''}".strip(),
        ui.tr("col_basis"): h.basis,
        ui.tr("col_by"): h.uploader,
        ui.tr("col_when"): ui.local_time(h.uploaded_at),
        ui.tr("col_batch"): h.batch_id,
        ui.tr("col_rolled_back"): ui.tr("yes") if h.status == "rolled_back" else "",
        ui.tr("col_note"): h.note or "",
    } for h in history])
    st.dataframe(frame, hide_index=True, width="stretch")


def _table_and_downloads(target, info, values, history, filters: ui.Filters) -> None:
    """逐月进展: actual, expected, completion, status and batch per month; the data as CSV/XLSX, the chart as PNG."""
    from indicators.outputs import indicator_table, png, tabular

    st.subheader(ui.tr("ind_table"))
    live = {}
    for h in sorted(history, key=lambda h: h.batch_id):  # the latest live batch of each month counts
        if h.status != "rolled_back":
            live[h.period] = h.batch_id
    rows = indicator_table.monthly_rows(info.spec, values, filters.as_of, live, ui.thresholds())
    unit = ui.unit_text(target.unit)
    header = [ui.tr("month"), f"{ui.tr('actual')} ({unit})", f"{ui.tr('expected')} ({unit})", ui.tr("completion"),
              ui.tr("status"), ui.tr("col_batch")]
    body = [[r["month"], r["actual"], None if r["expected"] is None else round(r["expected"], 1),
             None if r["completion"] is None else round(r["completion"], 4), ui.status_text(r["status"]), r["batch"]]
            for r in rows]
    st.dataframe(pd.DataFrame(body, columns=header), hide_index=True, width="stretch", key="indicator_table",
                 column_config={ui.tr("completion"): st.column_config.NumberColumn(format="percent")})
    stem = f"{target.id}_{filters.as_of}"
    cols = st.columns(3)
    cols[0].download_button(ui.tr("download_csv"), tabular.csv_bytes(header, body), file_name=f"{stem}.csv",
                            mime="text/csv", key="indicator_csv")
    cols[1].download_button(ui.tr("download_xlsx"), tabular.xlsx_bytes(header, body), file_name=f"{stem}.xlsx",
                            key="indicator_xlsx")
    if cols[2].button(ui.tr("ind_download_png"), key="indicator_render_png"):
        plan = ui.get_catalogue().plans[target.plan]
        exported = charts.ChartContext(ui.pick(plan.title, plan.title_en), filters.as_of, filters.lang,
                                       (plan.doc_number,), ui.demo_in_use(), "slide")
        name = ui.pick(target.name, target.name_en)
        picture = charts.trajectory(info.spec, values, exported, name, ui.thresholds())
        st.session_state["indicator_png"] = (target.id, filters.as_of, png.png_bytes(picture, "slide", ui.png_renderer()))
    rendered = st.session_state.get("indicator_png")
    if rendered and rendered[:2] == (target.id, filters.as_of):
        cols[2].download_button(ui.tr("download_png"), rendered[2], file_name=f"{stem}.png", mime="image/png",
                                key="indicator_png_download")


def _metadata(target, plan, catalogue) -> None:
    """指标说明: what the indicator is, in the plan's words, and how it is reported and judged."""
    kind = target.kind
    basis = {"increment": "basis_cumulative", "cap": "basis_cap", "level": "basis_level"}.get(kind, "basis_rate")
    rule = {"cap": "rule_cap", "growth": "rule_rate", "share": "rule_rate"}.get(kind, "rule_progressive")
    if getattr(target, "pacing", None) == "milestone":
        rule = "rule_milestone"
    frequency = getattr(target, "frequency", None) or getattr(plan, "frequency", None) or "monthly"
    where = ui.tr("ind_source_caption", title=ui.pick(plan.title, plan.title_en), doc=plan.doc_number,
                  clause=target.clause)
    sector = catalogue.sectors[target.sector]
    st.subheader(ui.tr("ind_metadata"))
    left, right = st.columns([3, 2])
    with left:
        st.markdown(ui.tr("label_value", label=ui.tr("ind_definition"), value=""))
        st.markdown(f"> {target.quote}")
        st.caption(" · ".join([where, target.chapter, target.task]) if ui.lang() == "zh" else where)
        if target.note:
            st.caption(ui.tr("ind_note", note=target.note))
    with right:
        for label, value in (
            (ui.tr("target"), ui.target_text(target)),
            (ui.tr("ind_unit_basis"), f"{ui.unit_text(target.unit)} · {ui.tr(basis)}"),
            (ui.tr("lead_units"), ui.departments_text(plan.jurisdiction, target.lead_units)),
            (ui.tr("jurisdiction"), ui.jurisdiction_text(plan.jurisdiction)),
            (ui.tr("col_plan"), ui.pick(plan.title, plan.title_en)),
            (ui.tr("ind_document"), f"{plan.doc_number} · {target.clause}"),
            (ui.tr("sector"), ui.pick(sector.zh, sector.en)),
            (ui.tr("ind_frequency"), ui.tr(f"freq_{frequency}")),
            (ui.tr("ind_rule"), ui.tr(rule)),
        ):
            st.markdown(ui.tr("label_value", label=label, value=value))


def _info(target_id: str):
    infos, _ = ui.compute_status(st.session_state["filters"])
    for info in infos:
        if info.spec.id == target_id:
            return info
    from indicators.progress import read_model

    with ui.engine().connect() as conn:
        found = [i for i in read_model.load_targets(conn) if i.spec.id == target_id]
    return found[0] if found else None


ui.run_page(body)
