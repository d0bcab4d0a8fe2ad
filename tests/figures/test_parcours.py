"""Builders of the Parcours page, on frames built by hand (no warehouse)."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from figures import parcours as pa
from figures.formats import fmt_days
from figures.theme import Caption

NBSP = "\u00a0"


def spec(fig) -> dict:
    return json.loads(fig.to_json())


# --- funnel -------------------------------------------------------------------------------------------

def test_funnel_shares_of_the_first_stage():
    funnel = pa.stages([("Saisines reçues", 200, False), ("Saisines acceptées", 150, False),
                        ("Accompagnements débutés", None, True), ("Entrées dans un logement", 50, False),
                        ("Maintenus dans le logement à 12 mois", 0, False)])
    assert [s.share for s in funnel] == [1.0, 0.75, None, 0.25, 0.0]
    assert [s.value_text(4) for s in funnel] == ["200", "150", "< 5", "50", "0"]
    assert funnel[1].share_text() == f"75{NBSP}%"
    # A masked first stage, or none at all: no share can be given.
    assert [s.share for s in pa.stages([("a", None, True), ("b", 20, False)])] == [None, None]
    assert [s.share for s in pa.stages([("a", 0, False), ("b", 0, False)])] == [None, None]


def test_funnel_figure_labels_and_masked_stage():
    funnel = pa.stages([("Saisines reçues", 200, False), ("Saisines acceptées", 150, False),
                        ("Accompagnements débutés", None, True)])
    fig = pa.funnel_figure(funnel, Caption("Parcours", "Année 2025", note=pa.FUNNEL_SHORT_NOTE), seuil=4)
    bars, marks = spec(fig)["data"]
    assert bars["y"] == ["Saisines reçues", "Saisines acceptées", "Accompagnements débutés"]
    assert bars["x"] == [200, 150, None]  # no bar for the masked stage
    assert bars["text"] == ["200", f"150 — 75{NBSP}% des saisines", ""]
    assert marks["text"] == ["< 5"] and marks["y"] == ["Accompagnements débutés"]
    footer = [a["text"] for a in spec(fig)["layout"]["annotations"]]
    assert any("indicateurs de la période, pas une cohorte suivie" in t for t in footer)


def test_funnel_stages_from_masked_indicators():
    def fetch(name, **params):
        column = {n: c for n, c, _ in pa.FUNNEL}[name]
        value = {"saisines": 6, "taux_acceptation": None, "accompagnements_debutes": None, "entrees_logement": None,
                 "maintien_12m": 0}[name]
        return pl.DataFrame({"territoire": ["ensemble"], "periode": [params["debut"]], column: [value],
                             f"{column}_masque": [value is None]})

    from figures.scope import Scope

    scope = Scope(date(2025, 1, 1), date(2025, 12, 31), ("Calaisis", "Lens-Hénin"))
    funnel = pa.funnel_stages(fetch, scope)["ensemble"]
    assert [(s.label, s.value_text(4)) for s in funnel] == [
        ("Saisines reçues", "6"), ("Saisines acceptées", "< 5"), ("Accompagnements débutés", "< 5"),
        ("Entrées dans un logement", "< 5"), ("Maintenus dans le logement à 12 mois", "0")]
    table = pa.funnel_table({"ensemble": funnel}, seuil=4)
    assert table.row(0) == ("Ensemble", "6", "< 5", "< 5", "< 5", "0")


# --- exits --------------------------------------------------------------------------------------------

SORTIES = pl.DataFrame({
    "territoire": ["ensemble"] * 4, "periode": [date(2025, 1, 1)] * 4,
    "motif_fin": ["acces_logement", "deces", "maintien_consolide", "rupture"],
    "nb_sorties": [12, None, 7, 20], "nb_sorties_masque": [False, True, False, False],
})


def test_exits_positive_first_in_french():
    exits = pa.exits_frame(SORTIES)
    assert exits["libelle"].to_list() == ["Accès au logement", "Maintien dans le logement consolidé",
                                          "Rupture de l'accompagnement", "Décès"]
    assert exits["positive"].to_list() == [True, True, False, False]
    assert exits["nb_sorties"].to_list() == [12, 7, 20, None]


def test_exits_figure_colours_and_masked_motif():
    fig = spec(pa.exits_figure(pa.exits_frame(SORTIES), Caption("Sorties"), seuil=4))
    positive, other, marks = fig["data"]
    assert (positive["name"], positive["marker"]["color"]) == ("Sortie positive", pa.POSITIVE)
    assert other["marker"]["color"] == pa.OTHER
    assert other["x"] == [20, None] and other["text"] == ["20", ""]
    assert marks["y"] == ["Décès"] and marks["text"] == ["< 5"]


# --- delays -------------------------------------------------------------------------------------------

def test_delay_classes_every_class_in_order():
    classes = pl.DataFrame({
        "territoire": ["ensemble"] * 2, "periode": [date(2025, 1, 1)] * 2,
        "classe_delai": ["15 à 30 jours", "moins de 15 jours"], "ordre_classe": [2, 1],
        "nb_decisions": [None, 40], "nb_decisions_total": [42, 42], "taux_part": [None, 40 / 42],
        "nb_decisions_masque": [True, False], "nb_decisions_total_masque": [False, False],
        "taux_part_masque": [True, False],
    })
    delay = pa.DELAYS["decision"]
    frame = pa.delay_classes_frame(classes, delay)
    assert frame["classe_delai"].to_list() == list(delay.classes)
    assert frame["nombre"].to_list() == [40, None, 0, 0]  # absent classes are zero, not unknown
    assert frame["masque"].to_list() == [False, True, False, False]
    fig = spec(pa.delay_classes_figure(frame, delay, Caption("Délai"), seuil=4))
    bars, marks = fig["data"]
    assert bars["x"] == ["Moins de 15 jours", "15 à 30 jours", "1 à 3 mois", "Plus de 3 mois"]
    assert bars["y"][1] is None and bars["text"][0] == f"95{NBSP}% (40)"
    assert marks["x"] == ["15 à 30 jours"]
    assert fig["layout"]["yaxis"]["title"]["text"] == "Part des décisions (%)"


def test_delay_medians_with_reference_line():
    per_platform = pl.DataFrame({
        "territoire": ["Lens-Hénin", "Calaisis"], "periode": [date(2025, 1, 1)] * 2, "nb_decisions": [None, 12],
        "nb_jours_decision_median": [None, 10.5], "nb_decisions_masque": [True, False],
        "nb_jours_decision_median_masque": [True, False]})
    overall = pl.DataFrame({"territoire": ["ensemble"], "nb_decisions": [15], "nb_jours_decision_median": [11.0],
                            "nb_decisions_masque": [False], "nb_jours_decision_median_masque": [False]})
    fig = spec(pa.delay_medians_figure(per_platform, overall, pa.DELAYS["decision"], Caption("Délai"), seuil=4))
    bars, marks, reference = fig["data"]
    assert bars["x"] == ["Calaisis", "Lens-Hénin"] and bars["y"] == [10.5, None]
    assert bars["text"] == [f"10,5{NBSP}jours", ""]
    assert "sur 12 décisions" in bars["customdata"][0][0]
    assert marks["x"] == ["Lens-Hénin"] and marks["text"] == ["< 5"]
    assert reference["name"] == f"Médiane de l'ensemble : 11{NBSP}jours"
    assert fig["layout"]["shapes"][0]["y0"] == 11.0


# --- reviews ------------------------------------------------------------------------------------------

def test_reviews_rate_masked_when_small_and_none_due():
    per_platform = pl.DataFrame({
        "territoire": ["Lens-Hénin", "Calaisis", "Audomarois"], "periode": [date(2025, 1, 1)] * 3,
        "nb_bilans_attendus": [20, None, 0], "nb_bilans_a_jour": [15, None, 0],
        "taux_bilans_a_jour": [0.75, None, None],
        "nb_bilans_attendus_masque": [False, True, False], "nb_bilans_a_jour_masque": [False, True, False],
        "taux_bilans_a_jour_masque": [False, True, False]})
    overall = per_platform.head(1)
    fig = spec(pa.reviews_figure(per_platform, overall, Caption("Bilans"), seuil=4))
    bars, marks, reference = fig["data"]
    assert bars["x"] == ["Audomarois", "Calaisis", "Lens-Hénin"]
    assert bars["y"] == [None, None, 75.0]
    assert bars["text"] == ["", "", f"75{NBSP}%"]
    assert "15 bilans à jour sur 20 attendus" in bars["customdata"][2][0]
    assert marks["text"] == ["aucun bilan attendu", "< 5"]
    assert reference["name"] == f"Ensemble : 75{NBSP}% à temps"



def test_many_platforms_show_the_most_active_ones(monkeypatch):
    monkeypatch.setattr("figures.chart_helpers.MAX_PLATFORM_BARS", 2)
    per_platform = pl.DataFrame({
        "territoire": ["Lens-Hénin", "Calaisis", "Audomarois"], "periode": [date(2025, 1, 1)] * 3,
        "nb_bilans_attendus": [20, None, 8], "nb_bilans_a_jour": [15, None, 8],
        "taux_bilans_a_jour": [0.75, None, 1.0],
        "nb_bilans_attendus_masque": [False, True, False], "nb_bilans_a_jour_masque": [False, True, False],
        "taux_bilans_a_jour_masque": [False, True, False]})
    fig = pa.reviews_figure(per_platform, per_platform.head(1), Caption("Bilans"), seuil=4)
    assert list(fig.data[0].x) == ["Audomarois", "Lens-Hénin"]  # the masked count ranks as nothing shown
    assert "Les 2 plateformes les plus actives sur 3 (toutes dans le tableau)." in fig.layout.annotations[-1].text
    decisions = pl.DataFrame({
        "territoire": ["Lens-Hénin", "Calaisis", "Audomarois"], "periode": [date(2025, 1, 1)] * 3,
        "nb_decisions": [30, 12, 40], "nb_jours_decision_median": [9.0, 10.5, 14.0]})
    fig = pa.delay_medians_figure(decisions, decisions.head(0), pa.DELAYS["decision"], Caption("Délai"))
    assert list(fig.data[0].x) == ["Audomarois", "Lens-Hénin"]
    assert "Les 2 plateformes les plus actives sur 3." in fig.layout.annotations[-1].text  # no table of medians


OVERDUE = pl.DataFrame({
    "plateforme": ["Calaisis", "Lens-Hénin", "Lens-Hénin"], "id_accompagnement": ["A03", "A04", "A02"],
    "mesure": ["IML", "chez_soi_dabord", "AVDL"], "operateur": ["Opérateur C", "Opérateur A", "Opérateur B"],
    "echeance": ["3 mois", "3 mois", "6 mois"],
    "date_echeance": [date(2025, 9, 10), date(2025, 3, 1), date(2025, 9, 1)],
    "date_bilan": [None, date(2025, 4, 20), None], "nb_jours_retard": [112, 50, 121],
    "est_manquant": [True, False, True],
})


def test_overdue_table_typed_and_in_french():
    table = pa.overdue_table(OVERDUE)
    assert table.columns == list(pa.OVERDUE_COLUMNS)
    assert table.schema["Date d'échéance"] == pl.Date and table.schema["Jours de retard"] == pl.Int64
    assert table.row(1) == ("Lens-Hénin", "A04", "Un chez-soi d'abord", "Opérateur A", "3 mois", date(2025, 3, 1),
                            50, "Reçu en retard le 20/04/2025")
    assert table["Situation"].to_list()[0] == "Manquant"
    assert pa.overdue_table(OVERDUE.clear()).columns == list(pa.OVERDUE_COLUMNS)


def test_overdue_counts_every_platform_of_the_scope():
    counts = pa.overdue_counts(OVERDUE, ["Lens-Hénin", "Calaisis", "Audomarois"])
    assert counts.rows() == [("Audomarois", 0, 0, 0), ("Calaisis", 1, 1, 0), ("Lens-Hénin", 2, 1, 1),
                             ("Ensemble", 3, 2, 1)]


# --- profile ------------------------------------------------------------------------------------------

def test_profile_labels_order_and_mask():
    profil = pl.DataFrame({
        "territoire": ["ensemble"] * 4, "periode": [date(2025, 1, 1)] * 4,
        "modalite": ["non renseigné", "sante_mentale", "addictions", "errance"],
        "nb_saisines": [10, 6, 8, None], "nb_saisines_total": [30] * 4, "taux_part": [1 / 3, 0.2, 8 / 30, None],
        "nb_saisines_masque": [False, False, False, True], "nb_saisines_total_masque": [False] * 4,
        "taux_part_masque": [False, False, False, True]})
    frame = pa.profile_frame(profil, "publics")
    assert frame["libelle"].to_list() == ["Conduites addictives", "Troubles psychiques", "Personnes en errance",
                                          "Aucun public spécifique"]
    fig = spec(pa.profile_figure(frame, "publics", Caption("Profil"), seuil=4))
    bars, marks = fig["data"]
    assert bars["x"][:3] == [pytest.approx(800 / 30), 20.0, None]
    assert bars["text"][1] == f"20{NBSP}% (6)"
    assert marks["y"] == ["Personnes en errance"] and marks["text"] == ["< 5"]
    assert fig["layout"]["xaxis"]["ticksuffix"] == f"{NBSP}%"


def test_days_and_months():
    assert fmt_days(189) == f"189{NBSP}jours"
    assert fmt_days(1) == f"1{NBSP}jour"
    assert pa.fmt_months(189) == f"6,2{NBSP}mois"
