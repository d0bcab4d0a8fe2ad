"""Builders of the Plan d'actions page, on frames built by hand (the shape `queries.display` returns)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from figures import plan_actions
from figures.labels import AXES, STATUTS_ACTION, axe_label

FIN = date(2025, 12, 31)
PERIOD = "Au 31/12/2025"


def plan_frame(rows=None) -> pl.DataFrame:
    rows = rows if rows is not None else [
        (1, "en_cours", 2, 0.5, 1), (1, "realisee", 1, 1.0, 0), (3, "a_lancer", 1, 0.0, 1),
        (4, "abandonnee", 1, 0.1, 0), (4, "en_cours", 1, 0.7, 0),
    ]
    return pl.DataFrame(rows, schema={"axe": pl.Int64, "statut": pl.Utf8, "nb_actions": pl.Int64,
                                      "taux_avancement_moyen": pl.Float64, "nb_actions_en_retard": pl.Int64},
                        orient="row")


def actions_frame() -> pl.DataFrame:
    rows = [
        ("1.10", 1, "Dixième", "DDETS", "en_cours", 0.3, date(2026, 6, 30), False, None),
        ("1.2", 1, "Deuxième", "DDETS", "en_cours", 0.7, date(2025, 6, 30), True, 184),
        ("1.1", 1, "Première", None, "realisee", 1.0, date(2025, 3, 31), False, None),
        ("3.1", 3, "Bilans", "Plateformes", "a_lancer", 0.0, date(2025, 3, 31), True, 275),
        ("4.1", 4, "Abandon", "ARS", "abandonnee", 0.1, date(2025, 1, 31), False, None),
    ]
    return pl.DataFrame(rows, schema={"id_action": pl.Utf8, "axe": pl.Int64, "intitule": pl.Utf8, "pilote": pl.Utf8,
                                      "statut": pl.Utf8, "taux_avancement": pl.Float64, "date_echeance": pl.Date,
                                      "est_en_retard": pl.Boolean, "nb_jours_retard": pl.Int64}, orient="row")


def test_labels_of_the_five_axes_and_statuts():
    assert AXES[1] == "Produire et mobiliser des logements abordables et adaptés"
    assert AXES[4] == "Prévenir les ruptures dans les parcours résidentiels"
    assert axe_label(5) == "Axe 5 — Mobiliser les acteurs locaux"
    assert axe_label(2, short=True) == "Axe 2"
    assert list(STATUTS_ACTION.values()) == ["À lancer", "En cours", "Réalisée", "Reportée", "Abandonnée"]


def test_progress_by_axe_leaves_abandoned_actions_aside():
    result = plan_actions.progress_by_axe(plan_frame())
    rows = {r["axe"]: r for r in result.iter_rows(named=True)}
    assert rows[1]["taux_avancement_moyen"] == pytest.approx((2 * 0.5 + 1.0) / 3)
    assert (rows[4]["nb_actions"], rows[4]["nb_actions_suivies"], rows[4]["taux_avancement_moyen"]) == (2, 1, 0.7)
    assert rows[3]["nb_actions_en_retard"] == 1
    assert plan_actions.progress_by_axe(plan_frame([])).is_empty()


def test_key_figures():
    figures = {f.id: f for f in plan_actions.key_figures(plan_frame(), FIN)}
    assert figures["actions"].value_text == "6"
    assert figures["actions"].detail == "3 axes sur 5"
    assert (figures["realisees"].value_text, figures["realisees"].detail) == ("1", "17\u00a0% des actions")
    assert figures["en_cours"].value_text == "3"
    assert figures["en_retard"].label == "En retard au 31/12/2025"
    assert figures["en_retard"].value_text == "2"
    assert figures["en_retard"].delta_color == "inverse"
    # (0,5 + 0,5 + 1 + 0 + 0,7) / 5 actions followed = 54 %.
    assert figures["avancement"].value_text == "54,0\u00a0%"
    assert figures["avancement"].detail == "sur 5 actions suivies"
    empty = plan_actions.key_figures(plan_frame([]), FIN)
    assert [f.value_text for f in empty] == ["0", "0", "0", "0", "—"]


def test_actions_by_axe_stacks_statuts_and_hatches_late_actions():
    fig = plan_actions.actions_by_axe(plan_frame(), PERIOD)
    names = [t.name for t in fig.data]
    assert names[:2] == ["À lancer", "En retard (échéance dépassée)"]
    assert "Réalisée" in names and "Abandonnée" in names
    every_axe = [y.split("<br>")[0] for y in fig.data[0].y]
    assert len(every_axe) == 5  # all five axes, even without actions
    assert fig.data[0].y[0].replace("<br>", " ") == "Axe 1 — Produire et mobiliser des logements abordables et adaptés"
    running = next(t for t in fig.data if t.name == "En cours")
    assert list(running.x) == [1, None, None, 1, None]  # axe 1: 2 running, 1 of them late
    late = [t for t in fig.data if t.name == "En retard (échéance dépassée)"]
    assert [list(t.x) for t in late] == [[None, None, 1, None, None], [1, None, None, None, None]]
    assert all(t.marker.pattern.shape == "/" for t in late)
    assert [t.showlegend for t in late] == [True, False]  # a single legend entry
    done = next(t for t in fig.data if t.name == "Réalisée")
    assert done.marker.color == "#009E73"
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.dtick == 1


def test_progress_bars():
    fig = plan_actions.progress_bars(plan_frame(), PERIOD)
    bars = fig.data[0]
    assert list(bars.x) == [pytest.approx(2 / 3), None, 0.0, 0.7, None]
    assert list(bars.text) == ["67\u00a0%", "", "0\u00a0%", "70\u00a0%", ""]
    assert fig.data[1].text == ("aucune action", "aucune action")
    assert list(fig.layout.xaxis.ticktext)[-1] == "100\u00a0%"
    assert fig.layout.title.text == "Avancement moyen des actions par axe"


def test_late_table_latest_first():
    late = actions_frame().filter(pl.col("est_en_retard"))
    table = plan_actions.late_table(late)
    assert table.columns == list(plan_actions.LATE_COLUMNS)
    assert table.rows() == [
        ("3.1", "Axe 3", "Bilans", "Plateformes", "À lancer", "31/03/2025", "275"),
        ("1.2", "Axe 1", "Deuxième", "DDETS", "En cours", "30/06/2025", "184"),
    ]


def test_full_list_order_filters_and_delays():
    table = plan_actions.actions_table(actions_frame())
    assert table["Action"].to_list() == ["1.1", "1.2", "1.10", "3.1", "4.1"]  # natural order
    first = table.row(0, named=True)
    assert (first["Pilote"], first["Avancement"], first["Retard"]) == ("—", "100\u00a0%", "—")
    assert table.row(1, named=True)["Retard"] == "184 jours"
    assert plan_actions.filter_actions(actions_frame(), axes=[1])["id_action"].to_list() == ["1.10", "1.2", "1.1"]
    assert plan_actions.filter_actions(actions_frame(), statuts=["en_cours", "a_lancer"]).height == 3
    assert plan_actions.filter_actions(actions_frame(), late_only=True)["id_action"].to_list() == ["1.2", "3.1"]
    assert plan_actions.filter_actions(actions_frame(), axes=["3"], late_only=True)["id_action"].to_list() == ["3.1"]
