"""指标目录 Catalogue: every target as a filterable, searchable table with CSV/XLSX download, and "add a plan"
(candidate targets extracted from a new policy text, reviewed, checked by the validator and saved by an admin)."""

import io
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import ui


def catalogue_frame(filters: ui.Filters) -> pd.DataFrame:
    """One row per target: what a reader asks first (name, target, status, lead department), ids and plan later."""
    catalogue = ui.get_catalogue()
    _, results = ui.compute_status(ui.Filters([], [], filters.as_of, filters.lang)) if ui.has_data() else ([], [])
    status = {r.target_id: ui.status_text(r.status) for r in results}
    rows = []
    for t in catalogue.targets:
        plan = catalogue.plans[t.plan]
        sector = catalogue.sectors[t.sector]
        rows.append({
            ui.tr("name"): ui.pick(t.name, t.name_en), ui.tr("target"): ui.target_text(t),
            ui.tr("status"): status.get(t.id, ""), ui.tr("lead_units"): "、".join(t.lead_units),
            ui.tr("sector"): ui.pick(sector.zh, sector.en), ui.tr("jurisdiction"): ui.jurisdiction_text(plan.jurisdiction),
            ui.tr("col_clause"): t.clause, ui.tr("col_kind"): t.kind, ui.tr("col_id"): t.id,
            ui.tr("col_plan"): ui.pick(plan.title, plan.title_en), ui.tr("col_document"): plan.doc_number,
            ui.tr("col_quote"): t.quote, ui.tr("cat_open"): f"./indicator?target={t.id}",
            "_plan": t.plan, "_sector": t.sector, "_jurisdiction": plan.jurisdiction,
            # the filter offers canonical departments (a division under its bureau and on its own), not spellings
            "_units": tuple(dict.fromkeys(catalogue.departments.keys(plan.jurisdiction, t.lead_units)
                                          + catalogue.departments.keys(plan.jurisdiction, t.lead_units, True))),
        })
    return pd.DataFrame(rows)


def body(filters: ui.Filters) -> None:
    from indicators.outputs.tabular import safe_cell

    st.title(ui.tr("catalogue"))
    catalogue = ui.get_catalogue()
    frame = catalogue_frame(filters)
    cols = st.columns(4)
    sectors = cols[0].multiselect(ui.tr("sector"), list(catalogue.sectors), key="cat_sector",
                                  format_func=lambda k: ui.pick(catalogue.sectors[k].zh, catalogue.sectors[k].en),
                                  placeholder=ui.tr("all"))
    units = sorted({u for us in frame["_units"] for u in us})
    labels = catalogue.departments.labels(filters.lang)
    unit = cols[1].multiselect(ui.tr("lead_units"), units, key="cat_units", placeholder=ui.tr("all"),
                               format_func=lambda k: labels.get(k, k))
    kinds = cols[2].multiselect(ui.tr("col_kind"), ["increment", "level", "cap", "growth", "share"], key="cat_kind",
                                placeholder=ui.tr("all"))
    text = cols[3].text_input(ui.tr("cat_search"), key="cat_text")
    shown = frame
    if filters.plans:
        shown = shown[shown["_plan"].isin(filters.plans)]
    if filters.jurisdictions:
        shown = shown[shown["_jurisdiction"].isin(filters.jurisdictions)]
    if sectors:
        shown = shown[shown["_sector"].isin(sectors)]
    if unit:
        shown = shown[shown["_units"].apply(lambda us: any(u in us for u in unit))]
    if kinds:
        shown = shown[shown[ui.tr("col_kind")].isin(kinds)]
    if text:
        haystack = shown.drop(columns=["_units", ui.tr("cat_open")]).apply(lambda row: " ".join(map(str, row)), axis=1)
        shown = shown[haystack.str.contains(text, case=False, regex=False)]
    visible = shown.drop(columns=["_plan", "_sector", "_units", "_jurisdiction"])
    st.caption(f"{len(visible)} / {len(frame)}")
    link = ui.tr("cat_open")
    order = [visible.columns[0], link, *[c for c in visible.columns[1:] if c != link]]  # the link beside the name
    st.dataframe(visible, hide_index=True, width="stretch", column_order=order,
                 column_config={link: st.column_config.LinkColumn(link, display_text=link, width="small")})

    safe = visible.drop(columns=[link]).map(safe_cell)  # cells starting with = + - @ cannot run as formulas in Excel
    left, right = st.columns(2)
    left.download_button(ui.tr("download_csv"), safe.to_csv(index=False).encode("utf-8-sig"),
                         file_name="targets.csv", mime="text/csv", key="cat_csv")
    buffer = io.BytesIO()
    safe.to_excel(buffer, index=False)
    right.download_button(ui.tr("download_xlsx"), buffer.getvalue(), file_name="targets.xlsx", key="cat_xlsx")
    user = ui.current_user()
    if user is not None and user.role == "admin":  # adding a plan is an administrator's job
        _add_plan()


def _add_plan() -> None:
    """Paste or upload a plan, fill its fields, accept candidates, check them with the validator, save (admins)."""
    from indicators import authoring, config, service
    from indicators.authoring.fragment import FragmentError, build_fragment, fragment_from_rows
    from indicators.authoring.merge import check_fragment
    from indicators.authoring.normalise import PlanTextError, read_plan_text

    st.subheader(ui.tr("add_plan"))
    st.caption(ui.tr("add_plan_help"))
    uploaded = st.file_uploader("TXT / DOCX", type=["txt", "docx"], key="plan_text_file")
    text = st.text_area(ui.tr("plan_text"), key="plan_text", height=150)
    name = "plan.txt"
    if uploaded is not None:
        suffix = Path(uploaded.name).suffix.lower()
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / f"upload{suffix}"
            path.write_bytes(uploaded.getvalue())
            try:
                text = read_plan_text(path)
            except PlanTextError as exc:
                st.error(f"{uploaded.name}: {exc.message(ui.lang())}")
                return
        name = f"{Path(uploaded.name).stem}.txt"
    if not text.strip():
        return
    plan_id = st.text_input(ui.tr("plan_id"), value="new-plan", key="plan_id")
    candidates = authoring.extract_candidates(text, plan_id=plan_id)
    if not candidates:
        st.info(ui.tr("no_candidates"))
        return
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / (name if name != "plan.txt" else f"{plan_id}.txt")
        source.write_text(text, encoding="utf-8")
        draft = build_fragment(source, text, plan_id, candidates, ui.lang())
    plan = _plan_fields(draft["plan"])
    rows = _review_table(draft["targets"])
    if not st.button(ui.tr("check_and_save"), key="plan_save"):
        return
    try:
        fragment = fragment_from_rows(plan, text.encode("utf-8"), rows)
        problems = check_fragment(fragment, config.targets_path().parent).problems
    except FragmentError as exc:  # missing plan fields, nothing accepted, plan id taken: listed the same way
        problems = exc.problems
    if problems:
        st.error(ui.tr("plan_refused", count=len(problems)))
        # a static table: its cells wrap, so a long sentence is read whole (a data grid cut it at the column's edge)
        st.table(_problem_frame(problems), hide_index=True, border="horizontal")
        return
    user = ui.current_user()
    if user is None or user.role != "admin":
        st.warning(ui.tr("plan_needs_admin"))
        return
    result, synced = service.add_plan(ui.engine(), user, fragment, config.targets_path().parent)
    ui.clear_caches()  # the catalogue is cached per process, not by data version
    st.success(ui.tr("plan_added", plan=result.plan_id, count=len(result.target_ids)) + " "
               + ui.tr("plan_synced", count=synced))
    if result.department_ids:
        st.info(ui.tr("plan_departments_added", ids=ui.tr("briefing.list_sep").join(result.department_ids)))


def _problem_frame(problems: list) -> pd.DataFrame:
    """The add-plan check's problems, one a row, in the reader's language: entry, field, the sentence."""
    lang = ui.lang()
    return pd.DataFrame([{ui.tr("catalogue_column.entry"): p.place(lang), ui.tr("catalogue_column.field"): p.field,
                          ui.tr("catalogue_column.problem"): p.message(lang)} for p in problems])


def _plan_fields(plan: dict) -> dict:
    """The plan's metadata, pre-filled where the text tells, for the reviewer to complete."""
    left, right = st.columns(2)
    fields = {
        "id": plan["id"],
        "title": left.text_input(ui.tr("plan_title"), value=plan["title"], key="plan_title"),
        "title_en": right.text_input(ui.tr("plan_title_en"), key="plan_title_en"),
        "issuer": left.text_input(ui.tr("plan_issuer"), key="plan_issuer"),
        "doc_number": right.text_input(ui.tr("plan_doc_number"), value=plan["doc_number"], key="plan_doc_number"),
        "issued": str(left.date_input(ui.tr("plan_issued"), key="plan_issued")),
        "jurisdiction": right.text_input(ui.tr("jurisdiction"), key="plan_jurisdiction"),
        "period": {"start": left.text_input(ui.tr("plan_start"), value=plan["period"]["start"], key="plan_start"),
                   "end": right.text_input(ui.tr("plan_end"), value=plan["period"]["end"], key="plan_end")},
        "source": plan["source"],
    }
    return fields


def _review_table(targets: list[dict]) -> list[dict]:
    """Candidates in an editable table (doubtful ones last); the accepted ones, with a sector each, are kept."""
    catalogue = ui.get_catalogue()
    ids = [t["id"] for t in targets]
    accepted = set(st.multiselect(ui.tr("accept_candidates"), ids, key="plan_accept"))
    sector = st.selectbox(ui.tr("sector"), list(catalogue.sectors), key="plan_sector",
                          format_func=lambda k: ui.pick(catalogue.sectors[k].zh, catalogue.sectors[k].en))
    shown = ["accepted", "id", "name", "name_en", "kind", "comparator", "value", "value_max", "unit", "deadline",
             "lead_units", "sector", "quote", "doubt"]
    frame = pd.DataFrame([{key: ("、".join(t[key]) if key == "lead_units" else t.get(key))
                           for key in shown} | {"accepted": t["id"] in accepted, "sector": sector,
                                                "name_en": t["name"]} for t in targets])
    # the columns keep the catalogue's keys (the rows are catalogue entries); their headers are in the reader's language
    labels = {key: ui.tr(f"candidate_column.{key}") for key in shown}
    edited = st.data_editor(frame, hide_index=True, width="stretch", key="plan_candidates", disabled=["id", "quote"],
                            column_config={
                                **{key: st.column_config.Column(label) for key, label in labels.items()},
                                "kind": st.column_config.SelectboxColumn(
                                    labels["kind"], options=["increment", "level", "cap", "growth", "share"]),
                                "sector": st.column_config.SelectboxColumn(labels["sector"],
                                                                           options=list(catalogue.sectors))})
    rows = []
    for original, row in zip(targets, edited.to_dict("records"), strict=True):
        merged = dict(original)
        for key in shown:
            value = row.get(key)
            if isinstance(value, float) and value != value:  # NaN from an emptied cell
                value = None
            if key == "lead_units":
                value = [u.strip() for u in str(value or "").replace("，", "、").split("、") if u.strip()]
            merged[key] = value
        merged["accepted"] = bool(row.get("accepted"))
        rows.append(merged)
    return rows


ui.run_page(body)
