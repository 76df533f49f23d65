"""Outputs:

style, charts (the chart set, built once), png (kaleido + Chromium), pack, word, tabular (formula-safe CSV/XLSX),
audit_report.
"""
