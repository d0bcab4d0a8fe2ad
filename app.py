"""Copilote: the steering dashboard of a Logement d'abord plan. Entry point and router.

Run with `make run` (or `streamlit run app.py`). The pages live in `pages/`; this file only sets the
page frame and the navigation.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Copilote — Logement d'abord", page_icon="🏠", layout="wide")

PAGES = [
    st.Page("pages/donnees.py", title="Données", icon="🗂️", url_path="donnees", default=True),
]

st.navigation(PAGES).run()
