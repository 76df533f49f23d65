"""数据上报 Upload: the month's template, a validation preview naming every bad row, an all-or-nothing commit,
what changed, and the batch list with rollback. Writing needs a statistician of the jurisdiction or an admin."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from indicators import accounts, progress, service, store, upload
from indicators.months import add, of_date, span


def body(filters: ui.Filters) -> None:
    st.title(ui.tr("upload"))
    ui.demo_banner()
    scope = ui.write_scope()  # None = admin (everything); empty set = may not write
    user = ui.current_user()
    can_write = scope is None or bool(scope)
    if not can_write:
        st.info(ui.tr("up_read_only"))
        _batches(can_write=False)
        return
    catalogue = ui.get_catalogue()
    writable = accounts.writable_plans(ui.engine(), user)
    plans = [p for p in catalogue.plans.values() if writable is None or p.id in writable]

    st.subheader(ui.tr("up_step_template"))
    cols = st.columns([3, 1, 1], vertical_alignment="bottom")
    plan_id = cols[0].selectbox(ui.tr("plans"), [p.id for p in plans], key="template_plan",
                                format_func=lambda p: ui.pick(catalogue.plans[p].title, catalogue.plans[p].title_en))
    months = template_months()
    period = cols[1].selectbox(ui.tr("month"), months, index=len(months) - 1, key="template_month")
    cols[2].download_button(ui.tr("up_template"), upload.template_csv(ui.engine(), plan_id, period),
                            file_name=f"{plan_id}_{period}_actuals.csv", mime="text/csv", key="template_download")

    st.subheader(ui.tr("up_step_upload"))
    uploaded = st.file_uploader(ui.tr("up_file_label"), type=["csv", "xlsx"], key="upload_file")
    if uploaded is None:
        _batches(can_write)
        return
    data = uploaded.getvalue()
    report = service.validate(ui.engine(), user, data, uploaded.name)
    issues = report.errors + report.warnings  # errors first
    if issues:
        frame = pd.DataFrame([{
            ui.tr("col_row"): i.row, ui.tr("col_column"): i.column_label(filters.lang),  # D列（实际值）
            ui.tr("col_code"): i.code,
            ui.tr("col_type"): ui.tr("up_error_kind" if i.severity == "error" else "up_warning_kind"),
            ui.tr("col_message"): i.message(filters.lang),
        } for i in issues])
        st.dataframe(frame, hide_index=True, width="stretch")
        # a table cell cuts a long sentence: an unknown id's suggestions are written out in full under the table
        for issue in [i for i in issues if i.params.get("suggestions")][:10]:
            st.caption(f"{issue.where(filters.lang)}：{issue.message(filters.lang)}")
    if not report.ok:
        st.error(ui.tr("up_errors", n=len(report.errors)))
        _batches(can_write)
        return
    if report.duplicate_of is not None:
        st.info(ui.tr("up_duplicate", batch=report.duplicate_of))
        _batches(can_write)
        return
    st.success(ui.tr("up_valid", n=len(report.parsed), blank=report.rows_skipped))
    st.dataframe(preview_frame(report.parsed), hide_index=True, width="stretch")
    if st.button(ui.tr("up_commit"), type="primary", key="commit"):
        try:
            result = service.commit(ui.engine(), user, report, data)  # checks the scope again, audits with the batch
        except service.Denied as exc:
            st.error(exc.message(filters.lang))
            _batches(can_write)
            return
        st.success(result.message(filters.lang))
        if result.changes:
            st.dataframe(pd.DataFrame([{
                ui.tr("col_target_id"): c.target_id, ui.tr("month"): c.period,
                ui.tr("col_old"): ui.tr("up_new_value") if c.old is None else c.old, ui.tr("col_new"): c.new,
            } for c in result.changes]), hide_index=True, width="stretch")
    _batches(can_write)


def template_months(today: dt.date | None = None) -> list[str]:
    """The months a template can be for, oldest first, ending at the month now due (last month's figures)."""
    today = today or dt.date.today()
    due = add(of_date(today), -1)
    return span(add(due, -23), due)


def preview_frame(parsed) -> pd.DataFrame:
    """The rows about to be written, as a reader checks them: indicator name, month, value and last month's value."""
    names = {t.id: ui.pick(t.name, t.name_en) for t in ui.get_catalogue().targets}
    with ui.engine().connect() as conn:
        before = store.latest_values(conn, [p.target_id for p in parsed])
    return pd.DataFrame([{
        ui.tr("name"): names.get(p.target_id, p.target_id), ui.tr("month"): p.period,
        ui.tr("actual"): progress.format_number(p.value), ui.tr("col_unit"): ui.unit_text(p.unit),
        ui.tr("col_last_value"): _format(before.get((p.target_id, upload.previous_month(p.period)))),
        ui.tr("col_basis"): p.basis, ui.tr("col_note"): p.note or "", ui.tr("col_target_id"): p.target_id,
    } for p in parsed])


def _format(value: float | None) -> str:
    return "—" if value is None else progress.format_number(value)


def _batches(can_write: bool) -> None:
    st.subheader(ui.tr("up_batches"))
    done = st.session_state.pop("rollback_done", None)  # the outcome of a rollback clicked on the previous run
    if done is not None:
        (st.success if done[0] else st.error)(done[1])
    batches = store.batch_list(ui.engine())
    if not batches:
        st.caption(ui.tr("up_no_batches"))
        return
    months = store.batch_months(ui.engine(), [b.id for b in batches])
    st.dataframe(pd.DataFrame([{
        ui.tr("col_batch"): b.id, ui.tr("col_file"): b.file_name, ui.tr("col_by"): b.uploader,
        ui.tr("col_when"): ui.local_time(b.uploaded_at), ui.tr("col_months"): _months_text(months.get(b.id, [])),
        ui.tr("col_written"): b.rows_written,
        ui.tr("status"): ui.tr("up_status_rolled_back" if b.status == "rolled_back" else "up_status_committed"),
        ui.tr("col_demo"): "✓" if b.is_demo else "",
    } for b in batches]), hide_index=True, width="stretch")
    if not can_write:
        return
    user = ui.current_user()
    live = {b.id: b for b in batches
            if b.status == "committed" and accounts.can_rollback(ui.engine(), user, b.id)}
    if not live:
        return

    def choice(batch_id: int) -> str:
        b = live[batch_id]
        return ui.tr("up_batch_choice", batch=batch_id, file=b.file_name, uploader=b.uploader,
                     when=ui.local_time(b.uploaded_at), months=_months_text(months.get(batch_id, [])),
                     n=b.rows_written)

    with st.expander(ui.tr("up_rollback_title"), expanded=done is not None):
        # nothing is chosen until the user picks a batch, and the confirmation is cleared after every rollback
        batch_id = st.selectbox(ui.tr("col_batch"), list(live), index=None, key="rollback_batch",
                                format_func=choice, placeholder=ui.tr("up_choose_batch"))
        confirm = st.checkbox(ui.tr("up_rollback_confirm"), key="rollback_confirm")
        st.button(ui.tr("up_rollback"), disabled=not confirm or batch_id is None, key="rollback",
                  on_click=_roll_back, args=(user,), type="primary")


def _roll_back(user) -> None:
    """The rollback button's callback: runs once per armed click, then disarms the form before the page redraws.

    It reads the confirmation itself, so a click on a form that is not armed (a second click) does nothing.
    """
    state = st.session_state
    batch_id, armed = state.get("rollback_batch"), state.get("rollback_confirm")
    state["rollback_confirm"] = False
    state["rollback_batch"] = None
    if not armed or batch_id is None:
        return
    try:
        service.rollback(ui.engine(), user, batch_id)  # checks the scope again, audits with the change
    except service.Denied as exc:
        state["rollback_done"] = (False, exc.message(ui.lang()))
        return
    except store.RollbackError as exc:
        state["rollback_done"] = (False, service.rollback_message(exc, ui.lang()))
        return
    state["rollback_done"] = (True, ui.tr("up_rolled_back", batch=batch_id))


def _months_text(months: list[str]) -> str:
    if not months:
        return "—"
    return months[0] if len(months) == 1 else f"{months[0]}–{months[-1]} ({len(months)})"


ui.run_page(body)
