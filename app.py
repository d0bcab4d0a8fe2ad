"""Copilote: the steering dashboard of a Logement d'abord plan. Entry point and router.

Run with `make run` (or `streamlit run app.py`). This file sets the page frame, draws the shared filters
(so they persist across pages and live in the URL) and routes to the pages in `pages/`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import data_access
from ui import filters

# A local image: a Material or emoji icon would make the browser fetch the tab icon from the internet.
ICON = Path(__file__).with_name("ui") / "icone.png"
st.set_page_config(page_title="Copilote — Logement d'abord", page_icon=str(ICON), layout="wide",
                   initial_sidebar_state="expanded")

PAGES = {
    "Pilotage": [
        st.Page("pages/synthese.py", title="Synthèse", icon=":material/dashboard:", url_path="synthese", default=True),
        st.Page("pages/copil.py", title="Mode COPIL", icon=":material/co_present:", url_path="copil"),
        st.Page("pages/documents.py", title="Documents", icon=":material/description:", url_path="documents"),
    ],
    "Suivi": [
        st.Page("pages/territoires.py", title="Territoires", icon=":material/map:", url_path="territoires"),
        st.Page("pages/evolutions.py", title="Évolutions", icon=":material/trending_up:", url_path="evolutions"),
        st.Page("pages/parcours.py", title="Parcours", icon=":material/route:", url_path="parcours"),
        st.Page("pages/partenariat.py", title="Partenariat", icon=":material/handshake:", url_path="partenariat"),
        st.Page("pages/budget.py", title="Budget", icon=":material/euro:", url_path="budget"),
        st.Page("pages/plan_actions.py", title="Plan d'actions", icon=":material/checklist:", url_path="plan-actions"),
    ],
    "Administration": [
        st.Page("pages/donnees.py", title="Données", icon=":material/database:", url_path="donnees"),
    ],
}

navigation = st.navigation({section: pages for section, pages in PAGES.items() if pages})
if data_access.warehouse_version() is not None and not data_access.platforms().is_empty():
    filters.render_sidebar()
try:
    navigation.run()
finally:
    filters.forget()
