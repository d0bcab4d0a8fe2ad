"""The briefing note (DOCX): the key figures of the period, the generated sentences, charts and tables,
ready to paste into a note.
"""

from __future__ import annotations

import io
from datetime import date

import polars as pl
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from exports import images
from figures.formats import fmt_date
from figures.overview import Overview
from figures.scope import Scope
from figures.screens import Screen
from figures.theme import confidentiality_note

BLUE = RGBColor(0x1F, 0x4E, 0x8C)
GREY = RGBColor(0x5F, 0x63, 0x68)


def _table(document, frame: pl.DataFrame) -> None:
    """A Word table of a formatted frame, header in bold, numbers right-aligned."""
    table = document.add_table(rows=1, cols=frame.width)
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].font.bold = True
    for row in frame.iter_rows():
        cells = table.add_row().cells
        for col, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = "—" if value is None else str(value)
            if col > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic, run.font.size = True, Pt(8)
    run.font.color.rgb = GREY


def key_figures_table(summary: Overview) -> pl.DataFrame:
    """The key figures as a formatted table: value, comparison, target."""
    return pl.DataFrame([{
        "Indicateur": f.label,
        "Valeur": f.value_text,
        "Évolution": (f.change_text or "—").replace(" vs période précédente", ""),
        "Cible": f.target_text.removeprefix("Cible : ") or "—",
        "Précision": f.detail or "—",
    } for f in summary.figures])


def note(summary: Overview, screens: list[Screen], scope: Scope, territory: str, seuil: int, geography: str,
         today: date | None = None) -> bytes:
    """The DOCX briefing note."""
    today = today or date.today()
    document = Document()
    document.core_properties.title = f"Note de synthèse Logement d'abord — {scope.periode}"
    document.core_properties.author = "Copilote"
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10)

    heading = document.add_heading("Note de synthèse — Logement d'abord", level=0)
    heading.runs[0].font.color.rgb = BLUE
    document.add_paragraph(f"{territory} — {scope.legende}")
    _caption(document, f"Note préparée le {fmt_date(today)} avec Copilote. Comparaison : {scope.precedente().periode}.")

    document.add_heading("Chiffres clés", level=1)
    _table(document, key_figures_table(summary))
    _caption(document, confidentiality_note(seuil))

    document.add_heading("À retenir", level=1)
    for sentence in summary.sentences or ("Pas assez de données sur la période pour en tirer des constats.",):
        document.add_paragraph(sentence, style="List Bullet")

    for screen in screens:
        if screen.id == "synthese":
            continue
        document.add_heading(screen.title, level=1)
        document.add_paragraph(screen.message)
        if screen.chart is not None:
            document.add_picture(io.BytesIO(images.png(screen.chart, confidentiality_note(seuil))), width=Cm(17))
            _caption(document, f"{screen.chart.layout.title.text} — {scope.legende}.")
        if screen.table is not None and not screen.table.is_empty():
            _table(document, screen.table)
        for line in screen.notes:
            document.add_paragraph(line, style="List Bullet")

    document.add_heading("Sources et méthode", level=1)
    document.add_paragraph(
        f"Sources : fichiers de suivi des plateformes chargés dans Copilote ; géographie : {geography}. "
        f"{confidentiality_note(seuil)} Les définitions des indicateurs figurent dans le catalogue des "
        "indicateurs de Copilote.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
