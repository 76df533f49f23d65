"""Policy target monitoring: the pure library behind the dashboard (no streamlit imports here)."""

__version__ = "0.1.0"
