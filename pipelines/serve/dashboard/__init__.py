"""Streamlit dashboards over the marts: `make dashboard` or `grandstand dashboard`."""
