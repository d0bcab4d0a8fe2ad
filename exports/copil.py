"""The COPIL deck (PPTX): a title slide, one slide per screen of the sequence (chart image, key figures,
speaker notes with the generated sentences), and a closing slide with definitions and sources.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

import queries
from exports import images
from figures.formats import fmt_date
from figures.scope import Scope
from figures.screens import Screen
from figures.theme import confidentiality_note

BLUE = RGBColor(0x1F, 0x4E, 0x8C)
DARK = RGBColor(0x1B, 0x1F, 0x24)
GREY = RGBColor(0x5F, 0x63, 0x68)
LIGHT = RGBColor(0xF1, 0xF4, 0xF9)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
FONT = "Arial"
Progress = Callable[[float, str], None]


def _text(slide, left, top, width, height, text: str, size: int, bold: bool = False, colour=DARK,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run.font.color.rgb = colour
    return box


def _footer(slide, scope: Scope, seuil: int, page: int) -> None:
    _text(slide, Inches(0.5), Inches(7.0), Inches(9.5), Inches(0.35),
          f"{scope.legende} — {confidentiality_note(seuil)}", 10, colour=GREY)
    _text(slide, Inches(11.8), Inches(7.0), Inches(1.0), Inches(0.35), str(page), 10, colour=GREY,
          align=PP_ALIGN.RIGHT)


def _band(slide) -> None:
    band = slide.shapes.add_shape(1, 0, 0, WIDTH, Inches(0.12))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = BLUE
    band.line.fill.background()


def _title_slide(prs, scope: Scope, territory: str, today: date) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _band(slide)
    _text(slide, Inches(0.8), Inches(2.0), Inches(11.7), Inches(1.2), "Comité de pilotage Logement d'abord", 40,
          bold=True, colour=BLUE)
    _text(slide, Inches(0.8), Inches(3.3), Inches(11.7), Inches(0.8), territory, 28)
    _text(slide, Inches(0.8), Inches(4.2), Inches(11.7), Inches(0.6), scope.legende, 20, colour=GREY)
    _text(slide, Inches(0.8), Inches(6.3), Inches(11.7), Inches(0.5),
          f"Document préparé le {fmt_date(today)} avec Copilote", 14, colour=GREY)
    slide.notes_slide.notes_text_frame.text = (
        f"Ordre du jour : présentation des indicateurs {scope.periode}, pour {scope.perimetre}.")


def _screen_slide(prs, screen: Screen, scope: Scope, seuil: int, page: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _band(slide)
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.6), screen.title, 28, bold=True, colour=BLUE)
    _text(slide, Inches(0.5), Inches(0.95), Inches(12.3), Inches(0.7), screen.message, 18)
    has_chart = screen.chart is not None
    figures = screen.figures[: 3 if has_chart else 6]
    if has_chart:
        picture = images.png(screen.chart, confidentiality_note(seuil))
        chart_width = Inches(9.0) if figures else Inches(12.3)
        slide.shapes.add_picture(io.BytesIO(picture), Inches(0.5), Inches(1.75), width=chart_width)
    for i, figure in enumerate(figures):
        if has_chart:
            left, top, width = Inches(9.8), Inches(1.8 + i * 1.7), Inches(3.0)
        else:
            left, top, width = Inches(0.5 + (i % 3) * 4.2), Inches(2.0 + (i // 3) * 2.3), Inches(3.9)
        card = slide.shapes.add_shape(1, left, top, width, Inches(1.55))
        card.fill.solid()
        card.fill.fore_color.rgb = LIGHT
        card.line.fill.background()
        _text(slide, left + Emu(91440), top + Emu(45720), width - Emu(182880), Inches(0.4), figure.label, 13,
              colour=GREY)
        value = figure.value_text
        _text(slide, left + Emu(91440), top + Inches(0.38), width - Emu(182880), Inches(0.7), value,
              32 if len(value) <= 9 else 22, bold=True, colour=DARK)
        extra = figure.change_text or figure.detail or ""
        if figure.status:
            extra = f"{extra} — cible : {figure.status}".strip(" —")
        if extra:
            _text(slide, left + Emu(91440), top + Inches(1.08), width - Emu(182880), Inches(0.45), extra, 11,
                  colour=GREY)
    _footer(slide, scope, seuil, page)
    notes = [screen.message, *screen.notes]
    slide.notes_slide.notes_text_frame.text = "\n".join(n for n in notes if n)


def _closing_slide(prs, screens: list[Screen], scope: Scope, seuil: int, page: int, geography: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _band(slide)
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.6), "Définitions et sources", 28, bold=True,
          colour=BLUE)
    catalogue = queries.catalogue()
    ids = list(dict.fromkeys(i for s in screens for i in s.definitions if i in catalogue))
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.1), Inches(12.3), Inches(5.6))
    frame = box.text_frame
    frame.word_wrap = True
    lines = [(catalogue[i].titre, first_sentence(catalogue[i].definition_lisible)) for i in ids]
    lines += [("Sources", "fichiers de suivi des plateformes (saisines, accompagnements, logements, instances, "
                          f"captations, financements), chargés dans Copilote ; géographie : {geography}.")]
    lines += [("Secret statistique", f"{confidentiality_note(seuil)} Les cases qui permettraient de retrouver un "
                                     "effectif masqué le sont aussi.")]
    size = 12 if len(lines) <= 8 else 10 if len(lines) <= 14 else 9
    for n, (term, text) in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(4)
        bold = paragraph.add_run()
        bold.text = f"{term} : "
        bold.font.bold, bold.font.size, bold.font.name = True, Pt(size), FONT
        rest = paragraph.add_run()
        rest.text = text
        rest.font.size, rest.font.name = Pt(size), FONT
    _footer(slide, scope, seuil, page)


def first_sentence(text: str) -> str:
    """The definition's first sentence: the closing slide must fit on one slide."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def deck(screens: list[Screen], scope: Scope, territory: str, seuil: int, geography: str,
         today: date | None = None, progress: Progress | None = None) -> bytes:
    """The PPTX deck of a sequence of screens."""
    today = today or date.today()
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = f"COPIL Logement d'abord — {scope.periode}"
    prs.core_properties.author = "Copilote"
    _title_slide(prs, scope, territory, today)
    for n, screen in enumerate(screens, start=1):
        if progress:
            progress(n / (len(screens) + 1), f"Diapositive {n + 1} : {screen.title}")
        _screen_slide(prs, screen, scope, seuil, n + 1)
    _closing_slide(prs, screens, scope, seuil, len(screens) + 2, geography)
    buffer = io.BytesIO()
    prs.save(buffer)
    if progress:
        progress(1.0, "Support prêt")
    return buffer.getvalue()
