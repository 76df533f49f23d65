"""审计日志 Audit log (admins only): logins, commits, rollbacks and account changes, filterable, with CSV download."""

import pandas as pd
import streamlit as st

import ui


def body(filters: ui.Filters) -> None:
    from indicators.outputs import audit_report
    from indicators.store import audit as audit_trail

    st.title(ui.tr("audit"))
    user = ui.current_user()
    if user is None or user.role != "admin":
        st.error(ui.tr("audit_admin_only"))
        return
    cols = st.columns(2)
    actor = cols[0].text_input(ui.tr("audit_who"), key="audit_actor") or None
    action = cols[1].text_input(ui.tr("audit_action"), key="audit_action") or None
    rows = audit_trail.audit_rows(ui.engine(), actor=actor, action=action, limit=2000)
    st.dataframe(pd.DataFrame(audit_report.audit_table(rows, filters.lang)), hide_index=True, width="stretch")
    st.download_button(ui.tr("download_csv"), audit_report.audit_csv(rows, filters.lang), file_name="audit_log.csv",
                       mime="text/csv", key="audit_csv")


ui.run_page(body)
