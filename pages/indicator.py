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
        return f"{t.clause} · {t.name if lang == 'zh' else t.name_en} · {t.id}"

    # the selectbox filters as you type: search by name, id or clause number
    target_id = st.selectbox("搜索指标（名称、编号或条款号）" if lang == "zh" else "Find a target (name, id or clause)",
                             list(by_id), key="indicator_target", format_func=label)
    st.query_params["target"] = target_id
    st.session_state["indicator_target_from_url"] = target_id
    target = by_id[target_id]
    plan = catalogue.plans[target.plan]
    info = _info(target_id)
    values = ui.series(target_id)
    name = target.name if lang == "zh" else target.name_en

    if info is None:
        st.warning("该指标已停用。" if lang == "zh" else "This target is retired.")
        return
    result = progress.evaluate(info.spec, values, filters.as_of, ui.thresholds())
    st.markdown(f"### {name} &nbsp; {ui.status_badge(result.status)}", unsafe_allow_html=True)
    st.write(result.explanation_zh if lang == "zh" else result.explanation_en)
    ctx = charts.ChartContext(plan.title if lang == "zh" else plan.title_en, filters.as_of, lang,
                              (plan.doc_number,), ui.demo_in_use())
    st.plotly_chart(charts.trajectory(info.spec, values, ctx, name, ui.thresholds()), width="stretch")

    left, right = st.columns([3, 2])
    with left:
        st.markdown("**原文**" if lang == "zh" else "**Source sentence**")
        st.markdown(f"> {target.quote}")
        st.caption(f"{plan.title}（{plan.doc_number}）第{target.clause}条 · {target.chapter} · {target.task}"
                   if lang == "zh" else f"{plan.title_en} ({plan.doc_number}), clause {target.clause}")
        if target.note:
            st.caption(("编目说明：" if lang == "zh" else "Cataloguing note: ") + target.note)
    with right:
        comparator = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "range": "∈"}[target.comparator]
        upper = f"–{progress.format_number(target.value_max)}" if target.value_max is not None else ""
        st.markdown(f"**{ui.tr('target')}**：{comparator} {progress.format_number(target.value)}{upper} {target.unit}"
                    f"（{target.deadline}）")
        st.markdown(f"**{ui.tr('lead_units')}**：{'、'.join(target.lead_units) or '—'}")
        sector = catalogue.sectors[target.sector]
        st.markdown(f"**{ui.tr('sector')}**：{sector.zh if lang == 'zh' else sector.en}")

    st.subheader("修订历史" if lang == "zh" else "Revision history")
    history = store.revision_history(ui.engine(), target_id)
    if not history:
        st.caption("尚无上报数据。" if lang == "zh" else "No values reported yet.")
        return
    frame = pd.DataFrame([{
        ui.tr("month"): h["period"], ui.tr("actual"): h["value"],
        ("填报值" if lang == "zh" else "As uploaded"): f"{h['value_raw']} {h['unit_raw'] or ''}".strip(),
        ("口径" if lang == "zh" else "Basis"): h["basis"],
        ("填报人" if lang == "zh" else "By"): h["uploader"],
        ("时间" if lang == "zh" else "When"): ui.local_time(h["uploaded_at"]),
        ("批次" if lang == "zh" else "Batch"): h["batch_id"],
        ("已撤销" if lang == "zh" else "Rolled back"): "是" if h["status"] == "rolled_back" and lang == "zh"
        else ("yes" if h["status"] == "rolled_back" else ""),
        ("备注" if lang == "zh" else "Note"): h["note"] or "",
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
