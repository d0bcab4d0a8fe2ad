"""Make sure every run goes through the entry point (app.py).

The pages live in `pages/`, the folder Streamlit's legacy multipage mode reads: until `st.navigation` has been
called once in the process, a request for a page URL (`/budget`) runs that page file alone, without app.py —
no navigation menu, no shared filters, no page frame. Every page calls `through_entry_point()` first: in that
legacy mode it switches the mode off and reruns, this time through app.py.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_entry_point() -> None:
    """Rerun through app.py when Streamlit ran this page on its own (legacy `pages/` mode)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
