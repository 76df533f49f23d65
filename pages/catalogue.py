"""指标目录 Catalogue: every target as a filterable, searchable table with CSV/XLSX download, and "add a plan"
(candidate targets extracted from a new policy text, to review and download as YAML)."""

import io

import pandas as pd
import streamlit as st

import ui


def catalogue_frame(lang: str) -> pd.DataFrame:
    catalogue = ui.get_catalogue()
    zh = lang == "zh"
    rows = []
    for t in catalogue.targets:
        plan = catalogue.plans[t.plan]
        sector = catalogue.sectors[t.sector]
        rows.append({
            "id": t.id, ("计划" if zh else "Plan"): plan.title if zh else plan.title_en,
            ("辖区" if zh else "Jurisdiction"): plan.jurisdiction, ("条款" if zh else "Clause"): t.clause,
            ("领域" if zh else "Sector"): sector.zh if zh else sector.en,
            ("指标名称" if zh else "Name"): t.name if zh else t.name_en,
            ("类型" if zh else "Kind"): t.kind, ("比较" if zh else "Comparator"): t.comparator,
            ("目标值" if zh else "Value"): t.value, ("上限值" if zh else "Value max"): t.value_max,
            ("单位" if zh else "Unit"): t.unit, ("期限" if zh else "Deadline"): t.deadline,
            ("牵头单位" if zh else "Lead units"): "、".join(t.lead_units), ("原文" if zh else "Quote"): t.quote,
            "_plan": t.plan, "_sector": t.sector, "_units": t.lead_units,
        })
    return pd.DataFrame(rows)


def body(filters: ui.Filters) -> None:
    from indicators.outputs.tabular import safe_cell

    lang = filters.lang
    zh = lang == "zh"
    st.title(ui.tr("catalogue"))
    catalogue = ui.get_catalogue()
    frame = catalogue_frame(lang)
    cols = st.columns(4)
    sectors = cols[0].multiselect(ui.tr("sector"), list(catalogue.sectors), key="cat_sector",
                                  format_func=lambda k: catalogue.sectors[k].zh if zh else catalogue.sectors[k].en,
                                  placeholder="全部" if zh else "All")
    units = sorted({u for us in frame["_units"] for u in us})
    unit = cols[1].multiselect(ui.tr("lead_units"), units, key="cat_units", placeholder="全部" if zh else "All")
    kinds = cols[2].multiselect("类型" if zh else "Kind", ["increment", "level", "cap", "growth", "share"], key="cat_kind",
                                 placeholder="全部" if zh else "All")
    text = cols[3].text_input("搜索" if zh else "Search", key="cat_text")
    shown = frame
    if filters.plans:
        shown = shown[shown["_plan"].isin(filters.plans)]
    if filters.jurisdictions:
        shown = shown[shown["辖区" if zh else "Jurisdiction"].isin(filters.jurisdictions)]
    if sectors:
        shown = shown[shown["_sector"].isin(sectors)]
    if unit:
        shown = shown[shown["_units"].apply(lambda us: any(u in us for u in unit))]
    if kinds:
        shown = shown[shown["类型" if zh else "Kind"].isin(kinds)]
    if text:
        haystack = shown.drop(columns=["_units"]).apply(lambda row: " ".join(map(str, row)), axis=1)
        shown = shown[haystack.str.contains(text, case=False, regex=False)]
    visible = shown.drop(columns=["_plan", "_sector", "_units"])
    st.caption(f"{len(visible)} / {len(frame)}")
    st.dataframe(visible, hide_index=True, width="stretch")

    safe = visible.map(safe_cell)  # cells starting with = + - @ cannot run as formulas in Excel
    left, right = st.columns(2)
    left.download_button("下载 CSV" if zh else "Download CSV", safe.to_csv(index=False).encode("utf-8-sig"),
                         file_name="targets.csv", mime="text/csv", key="cat_csv")
    buffer = io.BytesIO()
    safe.to_excel(buffer, index=False)
    right.download_button("下载 XLSX" if zh else "Download XLSX", buffer.getvalue(), file_name="targets.xlsx",
                          key="cat_xlsx")
    _add_plan(zh)


def _add_plan(zh: bool) -> None:
    try:
        from indicators import authoring as extract
    except ImportError:
        return
    st.subheader("导入新计划 / add a plan")
    st.caption("粘贴或上传一份新计划的全文，系统列出候选量化指标；核对、修改后下载 YAML，人工审核后再并入指标目录。不会自动修改现有目录。"
               if zh else "Paste or upload a new plan's text: candidate targets are listed for you to check and edit, "
               "then download them as YAML to review and merge. Nothing is added to the live catalogue.")
    uploaded = st.file_uploader("TXT", type=["txt"], key="plan_text_file")
    text = st.text_area("计划全文" if zh else "Plan text", key="plan_text", height=150)
    if uploaded is not None:
        text = uploaded.getvalue().decode("utf-8", errors="replace")
    plan_id = st.text_input("计划编号（英文）" if zh else "Plan id (ASCII)", value="new-plan", key="plan_id")
    if not text.strip():
        return
    candidates = extract.extract_candidates(text, plan_id=plan_id)
    if not candidates:
        st.info("没有找到候选指标。" if zh else "No candidate targets found.")
        return
    frame = pd.DataFrame([extract.candidate_row(c) for c in candidates])
    edited = st.data_editor(frame, hide_index=True, width="stretch", key="candidates",
                            column_config={"kind": st.column_config.SelectboxColumn(
                                options=["increment", "level", "cap", "growth", "share"])})
    st.download_button("下载候选 YAML" if zh else "Download candidates as YAML",
                       extract.rows_to_yaml(edited.to_dict("records"), candidates).encode("utf-8"),
                       file_name=f"{plan_id}_candidates.yaml", mime="text/yaml", key="candidates_yaml")


ui.run_page(body)
