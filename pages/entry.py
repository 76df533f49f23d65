"""填报 Data entry: a statistician types the month's figures into a grid of the targets their department owes;
saving builds an actuals CSV in memory and goes through the same checks and the same service as a file upload."""

import pandas as pd
import streamlit as st

import ui
from indicators import accounts, service
from indicators.months import span
from indicators.progress import format_number
from indicators.reporting import entry


def _months(plan) -> list[str]:
    return span(plan.period.start, plan.period.end)


def _choice(column, key: str, label: str, options: list, default, lang: str, format_func):
    """A select box keyed per language (its option labels change with it), keeping the choice across a switch."""
    chosen = st.session_state.get(f"{key}_value", default)
    index = options.index(chosen) if chosen in options else 0
    value = column.selectbox(label, options, index=index, key=f"{key}_{lang}", format_func=format_func)
    st.session_state[f"{key}_value"] = value
    return value


def body(filters: ui.Filters) -> None:
    st.title(ui.tr("entry"))
    ui.demo_banner()
    user = ui.current_user()
    if user is None or not user.may_write:
        st.info(ui.tr("entry_sign_in"))
        return
    catalogue, engine = ui.get_catalogue(), ui.engine()
    writable = accounts.writable_plans(engine, user)
    plans = [p for p in catalogue.plans.values() if writable is None or p.id in writable]
    if not plans:
        st.info(ui.tr("entry_sign_in"))
        return
    st.caption(ui.tr("entry_intro"))
    cols = st.columns([3, 1, 2])
    plan_id = _choice(cols[0], "entry_plan", ui.tr("plans"), [p.id for p in plans], None, filters.lang,
                      lambda p: ui.pick(catalogue.plans[p].title, catalogue.plans[p].title_en))
    months = _months(catalogue.plans[plan_id])
    month = _choice(cols[1], "entry_month", ui.tr("month"), months, filters.as_of, filters.lang,
                    lambda m: ui.month_option(m, None))
    departments = ["", *entry.reporters_owing(engine, plan_id, month)]
    department = _choice(cols[2], "entry_department", ui.tr("entry_department"), departments, "", filters.lang,
                         lambda d: d or ui.tr("entry_all_departments"))
    rows = entry.entry_rows(engine, plan_id, month, department or None, uploader=user.name)
    if not rows:
        st.info(ui.tr("entry_no_targets"))
        return
    if "entry_message" in st.session_state:  # the outcome of the save that reran the page
        st.success(st.session_state.pop("entry_message"))
    st.caption(ui.tr("entry_basis_note"))
    pending = ui.tr("pending_mark")
    frame = pd.DataFrame([{
        "target_id": r.target_id, "name": ui.pick(r.name, r.name_en), "unit": r.unit, "target": r.target,
        "last_month": r.last_month, "expected": r.expected,
        "current": ui.tr("pending_value", value=r.pending, mark=pending) if r.pending is not None else
        ("" if r.current is None else f"{r.current:g}"),
        "input": "",
    } for r in rows])
    for column in ("target", "last_month", "expected"):  # read-only numbers as text: blank, never "None"
        frame[column] = [("" if v is None or v != v else format_number(v)) for v in frame[column]]
    labels = {"target_id": ui.tr("target_id_col"), "name": ui.tr("target_col"), "unit": ui.tr("entry_unit"),
              "target": ui.tr("entry_target_value"), "last_month": ui.tr("entry_last_month"),
              "expected": ui.tr("entry_expected"), "current": ui.tr("entry_current"),
              "input": ui.tr("entry_input")}
    config = {key: st.column_config.Column(label, disabled=True) for key, label in labels.items() if key != "input"}
    config["input"] = st.column_config.TextColumn(labels["input"], max_chars=40,
                                                  validate=entry.TYPED_VALUE_PATTERN)
    generation = st.session_state.setdefault("entry_generation", 0)
    edited = st.data_editor(frame, column_config=config, hide_index=True, width="stretch", num_rows="fixed",
                            key=f"entry_grid_{generation}")
    if not st.button(ui.tr("entry_save"), type="primary", key="entry_save"):
        return
    typed = entry.changed_values(rows, zip(edited["target_id"], edited["input"], strict=True))
    if not typed:
        st.info(ui.tr("entry_nothing"))
        return
    data, row_targets = entry.entry_csv(month, typed)
    report = service.validate(engine, user, data, f"entry_{plan_id}_{month}.csv")
    names = {r.target_id: ui.pick(r.name, r.name_en) for r in rows}
    issues = report.errors + report.warnings
    if issues:
        st.dataframe(pd.DataFrame([{
            ui.tr("target_col"): names.get(row_targets.get(i.row, ""), ""),
            ui.tr("col_type"): ui.tr("up_error_kind" if i.severity == "error" else "up_warning_kind"),
            ui.tr("col_message"): i.message(filters.lang),
        } for i in issues]), hide_index=True, width="stretch", key="entry_issues")
    if not report.ok:
        st.error(ui.tr("entry_errors", n=len(report.errors)))
        return
    result = service.commit(engine, user, report, data)  # scope checked again, audited, one batch
    st.session_state["entry_message"] = ui.tr("entry_saved", message=result.message(filters.lang))
    st.session_state["entry_generation"] = generation + 1  # a fresh grid shows the saved values
    st.rerun()


ui.run_page(body)
