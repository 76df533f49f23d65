"""Streamlit entry point (placeholder until the dashboard pages land)."""

import streamlit as st

st.set_page_config(page_title="指标目标—实绩监测看板", layout="wide")
st.title("指标目标—实绩监测看板")
st.write("Policy target monitoring dashboard")
