"""报送情况 Reporting: for a month, reports expected / reported / on time / late / missing by department or
jurisdiction, a month-by-month grid, the 催报 list of missing reports with CSV/XLSX download, and approval."""

import pandas as pd
import streamlit as st

import ui
from indicators import service
from indicators.months import span as month_span
from indicators.months import year_start
from indicators.outputs import tabular


def body(filters: ui.Filters) -> None:
    st.title(ui.tr("reporting"))
    ui.demo_banner()
    cycle = ui.reporting_cycle(filters.plans, filters.jurisdictions)
    if not cycle.duties:
        st.info(ui.tr("no_duties"))
        return
    as_of = filters.as_of
    st.caption(ui.tr("due_rule", day=cycle.due_day))
    by = st.radio(ui.tr("group_department"), ["unit", "jurisdiction"], horizontal=True, key="reporting_by",
                  label_visibility="collapsed",
                  format_func=lambda b: ui.tr("by_department" if b == "unit" else "by_jurisdiction_short"))
    group_label = ui.tr("group_department" if by == "unit" else "group_jurisdiction")
    department_names = ui.get_catalogue().departments.labels(filters.lang)  # short name -> name in the UI language

    def shown(group: str) -> str:
        return department_names.get(group, group) if by == "unit" else ui.jurisdiction_text(group)
    month_label = ui.month_option(as_of, None)

    cells = cycle.tally([as_of], by)
    total = cycle.per_month([as_of]).get(as_of)
    if total is not None:  # the overview's tiles: five in a row, two to a row on a phone
        ui.tiles([(ui.tr("expected_reports"), total.expected, None), (ui.tr("reported_reports"), total.reported, None),
                  (ui.tr("on_time_reports"), total.on_time, "green"), (ui.tr("late_reports"), total.late, "amber"),
                  (ui.tr("missing_reports"), total.missing, "red")])
    st.subheader(ui.tr("month_summary", month=month_label))
    st.dataframe(pd.DataFrame([{
        group_label: shown(c.group), ui.tr("expected_reports"): c.expected, ui.tr("reported_reports"): c.reported,
        ui.tr("on_time_reports"): c.on_time, ui.tr("late_reports"): c.late, ui.tr("missing_reports"): c.missing,
        ui.tr("completeness"): f"{c.completeness:.0%}" if c.completeness is not None else "—",
    } for c in sorted(cells, key=lambda c: (-c.missing, c.group))]), hide_index=True, width="stretch",
        key="reporting_month_table")

    first = min(cycle.months_with_data + [as_of])  # the grid: the as-of month's year, from the first month with data
    months = month_span(max(first, year_start(as_of)), as_of)
    st.subheader(ui.tr("month_grid"))
    grid: dict[str, dict[str, str]] = {}
    for c in cycle.tally(months, by):
        grid.setdefault(shown(c.group), {})[ui.month_option(c.month, None)] = f"{c.reported}/{c.expected}"
    st.dataframe(pd.DataFrame.from_dict(grid, orient="index").rename_axis(group_label).reset_index().fillna(""),
                 hide_index=True, width="stretch", key="reporting_grid")

    st.subheader(ui.tr("chase_list"))
    earlier = st.checkbox(ui.tr("include_earlier"), key="reporting_earlier")
    missing = [m for m in cycle.missing(months if earlier else [as_of]) if m.days_overdue > 0]
    if not missing:
        st.success(ui.tr("chase_none"))
    else:
        header = [ui.tr("group_department"), ui.tr("group_jurisdiction"), ui.tr("target_id_col"), ui.tr("target_col"),
                  ui.tr("month"), ui.tr("due_day_col"), ui.tr("chase_days")]
        rows = [[department_names.get(m.reporter, m.reporter), ui.jurisdiction_text(m.jurisdiction), m.target_id,
                 ui.pick(m.name, m.name_en), m.month, m.due.isoformat(), m.days_overdue] for m in missing]
        st.dataframe(pd.DataFrame(rows, columns=header), hide_index=True, width="stretch", key="reporting_chase")
        cols = st.columns(2)
        cols[0].download_button(ui.tr("download_csv"), tabular.csv_bytes(header, rows),
                                file_name=f"missing_reports_{as_of}.csv", mime="text/csv", key="chase_csv")
        cols[1].download_button(ui.tr("download_xlsx"), tabular.xlsx_bytes(header, rows, "missing"),
                                file_name=f"missing_reports_{as_of}.xlsx", key="chase_xlsx",
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    user = ui.current_user()
    if user is not None and user.may_approve:
        _approvals(user)


def _approvals(user) -> None:
    """Batches awaiting approval that this approver (or admin) may decide on, with approve / reject and a comment."""
    st.subheader(ui.tr("approval_title"))
    pending = service.pending_batches(ui.engine(), user)
    if "approval_message" in st.session_state:
        st.success(st.session_state.pop("approval_message"))
    if not pending:
        st.caption(ui.tr("approval_none"))
        return
    st.dataframe(pd.DataFrame([{
        ui.tr("col_batch"): b.id, ui.tr("col_file"): b.file_name, ui.tr("col_by"): b.uploader,
        ui.tr("col_when"): ui.local_time(b.uploaded_at), ui.tr("col_written"): b.rows_written,
    } for b in pending]), hide_index=True, width="stretch")
    cols = st.columns([1, 3, 1, 1])
    batch_id = cols[0].selectbox(ui.tr("approval_batch"), [b.id for b in pending], key="approval_batch")
    comment = cols[1].text_input(ui.tr("approval_comment"), key="approval_comment")
    if cols[2].button(ui.tr("approve"), type="primary", key="approval_approve"):
        service.approve(ui.engine(), user, batch_id, comment=comment)  # checks the scope again and audits
        st.session_state["approval_message"] = ui.tr("approved_msg", batch=batch_id)
        st.rerun()
    if cols[3].button(ui.tr("reject"), key="approval_reject"):
        if not comment.strip():
            st.error(ui.tr("approval_reason_needed"))
            return
        service.reject(ui.engine(), user, batch_id, reason=comment)
        st.session_state["approval_message"] = ui.tr("rejected_msg", batch=batch_id)
        st.rerun()


ui.run_page(body)
