"""Exports: chart images, XLSX tables, and the COPIL deck (PPTX), the briefing note (DOCX) and the annual
report (XLSX). Everything here is built from masked indicators (`queries.display`), like the screen.

No Streamlit import: the app calls these builders from download buttons, and `python -m exports` calls them
from the command line so documents can be scheduled.
"""
