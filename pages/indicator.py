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

    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{ui.tr('ind_source_sentence')}**")
        st.markdown(f"> {target.quote}")
        where = ui.tr("ind_source_caption", title=ui.pick(plan.title, plan.title_en), doc=plan.doc_number,
                      clause=target.clause)
        st.caption(" · ".join([where, target.chapter, target.task]) if lang == "zh" else where)
        if target.note:
            st.caption(ui.tr("ind_note", note=target.note))
    with right:
        comparator = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "range": "∈"}[target.comparator]
        upper = f"–{progress.format_number(target.value_max)}" if target.value_max is not None else ""
        st.markdown(f"**{ui.tr('target')}**：{comparator} {progress.format_number(target.value)}{upper} {target.unit}"
                    f"（{target.deadline}）")
        st.markdown(f"**{ui.tr('lead_units')}**：{'、'.join(target.lead_units) or '—'}")
        sector = catalogue.sectors[target.sector]
        st.markdown(f"**{ui.tr('sector')}**：{ui.pick(sector.zh, sector.en)}")

    st.subheader(ui.tr("ind_history"))
    history = store.revision_history(ui.engine(), target_id)
    if not history:
        st.caption(ui.tr("ind_no_values"))
        return
    frame = pd.DataFrame([{
        ui.tr("month"): h["period"], ui.tr("actual"): h["value"],
        ui.tr("col_as_uploaded"): f"{h['value_raw']} {h['unit_raw'] or ''}".strip(),
        ui.tr("col_basis"): h["basis"],
        ui.tr("col_by"): h["uploader"],
        ui.tr("col_when"): ui.local_time(h["uploaded_at"]),
        ui.tr("col_batch"): h["batch_id"],
        ui.tr("col_rolled_back"): ui.tr("yes") if h["status"] == "rolled_back" else "",
        ui.tr("col_note"): h["note"] or "",
    } for h in history])
    st.dataframe(frame, hide_index=True, width="stretch")


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
