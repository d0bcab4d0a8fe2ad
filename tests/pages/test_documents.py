"""Documents page: each document is built on demand, with a progress bar, then offered for download."""

from __future__ import annotations

import io

import openpyxl
from pptx import Presentation


def test_documents_are_described_and_built_on_demand(open_page):
    at = open_page("pages/documents.py", periode="annee", annee="2025")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Support de COPIL (PowerPoint)", "Note de synthèse (Word)",
                                               "Bilan annuel 2025 (Excel)"]
    assert not at.get("download_button")  # nothing is built before it is asked for


def test_the_annual_report_is_prepared_then_downloadable(open_page):
    at = open_page("pages/documents.py", periode="annee", annee="2025")
    at.button(key="preparer_bilan").click().run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Télécharger"]
    caption = [c.value for c in at.caption if c.value.startswith("bilan_2025.xlsx")]
    assert caption, "file name and size are shown"


def test_the_deck_without_charts_opens(open_page, monkeypatch):
    # The images need Chromium (tested in tests/exports); here the sequence is the synthesis only.
    monkeypatch.setattr("exports.settings.saved_sequence", lambda path: ("synthese",))
    at = open_page("pages/documents.py", periode="annee", annee="2025")
    at.button(key="preparer_copil").click().run()
    assert not at.exception
    data = at.session_state["document_copil"][0]
    assert len(Presentation(io.BytesIO(data)).slides) == 3


def test_the_report_content_follows_the_filters(open_page):
    at = open_page("pages/documents.py", periode="annee", annee="2025", plateformes=["Calaisis"])
    at.button(key="preparer_bilan").click().run()
    data, name, _, scope = at.session_state["document_bilan"]
    assert name == "bilan_2025.xlsx" and scope.plateformes == ("Calaisis",)
    activity = openpyxl.load_workbook(io.BytesIO(data))["Activité"]
    assert [activity.cell(row=r, column=1).value for r in (5, 6)] == ["Calaisis", "Ensemble"]
