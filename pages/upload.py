"""数据上报 Upload: the month's template, a validation preview naming every bad row, an all-or-nothing commit,
what changed, and the batch list with rollback. Writing needs a statistician of the jurisdiction or an admin."""

import pandas as pd
import streamlit as st

import ui
from indicators import accounts, service, store, upload


def body(filters: ui.Filters) -> None:
    lang = filters.lang
    zh = lang == "zh"
    st.title(ui.tr("upload"))
    ui.demo_banner()
    scope = ui.write_scope()  # None = admin (everything); empty set = may not write
    user = ui.current_user()
    can_write = scope is None or bool(scope)
    if not can_write:
        st.info("查看数据无需登录；上报、提交和撤销需要以本辖区统计员或管理员身份登录（左侧）。" if zh else
                "Reading needs no account; downloading templates, committing and rolling back need a statistician "
                "of the jurisdiction or an admin (sign in on the left).")
        _batches(filters, can_write=False)
        return
    catalogue = ui.get_catalogue()
    writable = accounts.writable_plans(ui.engine(), user)
    plans = [p for p in catalogue.plans.values() if writable is None or p.id in writable]

    st.subheader("1. 下载本月模板" if zh else "1. Download the month's template")
    cols = st.columns([3, 1, 1])
    plan_id = cols[0].selectbox(ui.tr("plans"), [p.id for p in plans], key="template_plan",
                                format_func=lambda p: catalogue.plans[p].title if zh else catalogue.plans[p].title_en)
    month = cols[1].text_input(ui.tr("month"), value=filters.as_of, key="template_month")
    period = upload.parse_period(month)
    if period is None:
        cols[2].error("月份格式应为 2023-06" if zh else "Use YYYY-MM")
    else:
        cols[2].download_button("下载模板" if zh else "Template", upload.template_csv(ui.engine(), plan_id, period),
                                file_name=f"{plan_id}_{period}_actuals.csv", mime="text/csv", key="template_download")

    st.subheader("2. 上传并校验" if zh else "2. Upload and check")
    uploaded = st.file_uploader("CSV / XLSX", type=["csv", "xlsx"], key="upload_file")
    if uploaded is None:
        _batches(filters, can_write)
        return
    data = uploaded.getvalue()
    report = service.validate_upload_as(ui.engine(), user, data, uploaded.name)
    issues = report.errors + report.warnings  # errors first
    if issues:
        frame = pd.DataFrame([{
            ("行" if zh else "Row"): i.row, ("列" if zh else "Column"): i.column,
            ("类型" if zh else "Type"): ("错误" if i.severity == "error" else "提醒") if zh else i.severity,
            ("说明" if zh else "Message"): i.message(lang),
        } for i in issues])
        st.dataframe(frame, hide_index=True, width="stretch")
    if not report.ok:
        st.error(f"发现 {len(report.errors)} 处错误，本文件未写入任何数据。请修改后重新上传。" if zh else
                 f"{len(report.errors)} error(s): nothing from this file was written. Fix them and upload again.")
        _batches(filters, can_write)
        return
    if report.duplicate_of is not None:
        st.info(f"此文件与已提交的批次 {report.duplicate_of} 完全相同，无需再次提交。" if zh else
                f"This file is identical to committed batch {report.duplicate_of}: nothing to do.")
        _batches(filters, can_write)
        return
    st.success(f"校验通过：{len(report.parsed)} 条数据，{report.rows_skipped} 条空值（本月未报）。" if zh else
               f"Valid: {len(report.parsed)} values, {report.rows_skipped} blank (not reported).")
    st.dataframe(pd.DataFrame([p._asdict() for p in report.parsed]), hide_index=True, width="stretch")
    if st.button("提交本批数据" if zh else "Commit this batch", type="primary", key="commit"):
        result = service.commit_as(ui.engine(), user, report, data)  # checks the scope again and audits
        st.success(result.message_zh if zh else result.message_en)
        if result.changes:
            st.dataframe(pd.DataFrame([{
                ("指标编号" if zh else "Target"): c.target_id, ui.tr("month"): c.period,
                ("原值" if zh else "Old"): ("（新增）" if zh else "new") if c.old is None else c.old,
                ("新值" if zh else "New"): c.new,
            } for c in result.changes]), hide_index=True, width="stretch")
    _batches(filters, can_write)


def _batches(filters: ui.Filters, can_write: bool) -> None:
    zh = filters.lang == "zh"
    st.subheader("上报批次" if zh else "Upload batches")
    batches = store.batch_list(ui.engine())
    if not batches:
        st.caption("尚无上报批次。" if zh else "No batches yet.")
        return
    st.dataframe(pd.DataFrame([{
        ("批次" if zh else "Batch"): b["id"], ("文件" if zh else "File"): b["file_name"],
        ("填报人" if zh else "By"): b["uploader"], ("时间" if zh else "When"): ui.local_time(b["uploaded_at"]),
        ("写入" if zh else "Written"): b["rows_written"],
        ("状态" if zh else "Status"): ("已撤销" if b["status"] == "rolled_back" else "有效") if zh else b["status"],
        ("示例数据" if zh else "Demo"): "✓" if b["is_demo"] else "",
    } for b in batches]), hide_index=True, width="stretch")
    if not can_write:
        return
    user = ui.current_user()
    live = [b["id"] for b in batches if b["status"] == "committed" and accounts.can_rollback(ui.engine(), user, b["id"])]
    if not live:
        return
    with st.expander("撤销批次" if zh else "Roll a batch back"):
        batch_id = st.selectbox("批次" if zh else "Batch", live, key="rollback_batch")
        confirm = st.checkbox("我确认撤销该批次（数据不会被删除，之前的数值将重新生效）" if zh else
                              "I confirm: roll this batch back (nothing is deleted; earlier values count again)",
                              key="rollback_confirm")
        if st.button("撤销" if zh else "Roll back", disabled=not confirm, key="rollback"):
            service.rollback_as(ui.engine(), user, batch_id)  # checks the scope again and audits
            st.success(f"批次 {batch_id} 已撤销" if zh else f"Batch {batch_id} rolled back")
            st.rerun()


ui.run_page(body)
