"""Builders of the Budget page, on frames built by hand (the shape `queries.display` returns)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest

from figures import budget
from figures.theme import ALERT

PERIOD = "Du 01/01/2025 au 30/06/2025 — toutes les plateformes"
FIN = date(2025, 6, 30)
D = Decimal


def lines_frame(rows=None) -> pl.DataFrame:
    rows = rows if rows is not None else [
        ("DIHAL-1", "DIHAL", 2025, "Coordination", 5, "Transverse", D("100000"), D("50000"), D("30000.50"), D(0),
         0.300005, D("69999.50")),
        ("FSE-1", "FSE+", 2025, "Accompagnement", 3, "Lens-Hénin", D("60000"), D(0), D("15000"), D(0), 0.25,
         D("45000")),
        ("EPCI-1", "EPCI", 2025, "Captation", 1, "Lens-Hénin", D("10000"), D("12000"), D("12000"), D(0), 1.2,
         D("-2000")),
    ]
    return pl.DataFrame(rows, schema={
        "id_financement": pl.Utf8, "financeur": pl.Utf8, "annee": pl.Int32, "action": pl.Utf8, "axe": pl.Int64,
        "plateforme": pl.Utf8, "montant_conventionne": pl.Decimal(18, 2), "montant_engage": pl.Decimal(38, 2),
        "montant_paye": pl.Decimal(38, 2), "montant_verse_recu": pl.Decimal(38, 2), "taux_consommation": pl.Float64,
        "montant_reste": pl.Decimal(38, 2)}, orient="row")


def projection_frame(rows=None) -> pl.DataFrame:
    rows = rows if rows is not None else [
        ("DIHAL", D("100000"), D("30000.50"), 0.300005, 181, 60498.0, 0.60498, "sous-consommation"),
        ("Ensemble", D("170000"), D("57000.50"), 0.3353, 181, 114940.0, 0.6761, "sous-consommation"),
    ]
    return pl.DataFrame(rows, schema={
        "financeur": pl.Utf8, "montant_conventionne": pl.Decimal(38, 2), "montant_paye": pl.Decimal(38, 2),
        "taux_consommation": pl.Float64, "nb_jours_ecoules": pl.Int64, "montant_projete": pl.Float64,
        "taux_consommation_projete": pl.Float64, "alerte": pl.Utf8}, orient="row")


def cumul_frame() -> pl.DataFrame:
    rows = []
    paid = [0, 0, 0, 20000, 20000, D("30000.50")]
    engaged = [0, 0, 50000, 50000, 50000, 50000]
    for m in range(1, 7):
        end = date(2025, m + 1, 1)
        rows.append(("DIHAL", date(2025, m, 1), min(end - timedelta(days=1), FIN), D("100000"),
                     D(engaged[m - 1]), D(paid[m - 1])))
    return pl.DataFrame(rows, schema={"financeur": pl.Utf8, "mois": pl.Date, "date_arrete": pl.Date,
                                      "montant_conventionne": pl.Decimal(38, 2),
                                      "montant_engage_cumule": pl.Decimal(38, 2),
                                      "montant_paye_cumule": pl.Decimal(38, 2)}, orient="row")


def test_money_format_shows_cents_only_when_there_are_some():
    assert budget.fmt_money(100000) == "100\u202f000\u00a0€"
    assert budget.fmt_money(30000.5) == "30\u202f000,50\u00a0€"
    assert budget.fmt_money(D("45600.50")) == "45\u202f600,50\u00a0€"
    assert budget.fmt_money(-2000) == "-2\u202f000\u00a0€"
    assert budget.fmt_money(None) == "—"


def test_key_figures_in_euros_against_the_previous_period():
    previous = lines_frame([("DIHAL-0", "DIHAL", 2024, "Coordination", 5, "Transverse", D("80000"), D("40000"),
                             D("20000"), D(0), 0.25, D("60000"))])
    figures = {f.id: f for f in budget.key_figures(lines_frame(), projection_frame(), previous,
                                                   projection_frame([]), FIN)}
    assert list(figures) == ["conventionne", "engage", "paye", "taux", "reste", "projection"]
    assert figures["conventionne"].label == "Conventionné 2025"
    assert figures["conventionne"].value_text == "170\u202f000\u00a0€"
    assert figures["conventionne"].change_text == "+112,5\u00a0% vs période précédente"
    assert figures["paye"].label == "Payé au 30/06/2025"
    assert figures["paye"].value_text == "57\u202f001\u00a0€"  # to the euro on a card, 0,50 counting for one
    assert figures["taux"].value_text == "33,5\u00a0%"
    assert figures["reste"].value_text == "113\u202f000\u00a0€"
    assert figures["projection"].value_text == "114\u202f940\u00a0€"
    assert figures["projection"].detail == "67,6\u00a0% du conventionné — sous-consommation"
    assert figures["projection"].change_text is None
    assert figures["engage"].detail == "36,5\u00a0% du conventionné"
    assert all(f.delta_color == "off" for f in figures.values())


def test_key_figures_without_any_line():
    figures = budget.key_figures(lines_frame([]), projection_frame([]), lines_frame([]), projection_frame([]), FIN)
    assert {f.value_text for f in figures} == {"—"}


def test_bars_per_platform_keep_the_largest_when_there_are_many(monkeypatch):
    monkeypatch.setattr("figures.chart_helpers.MAX_PLATFORM_BARS", 1)
    fig = budget.consumption_bars(lines_frame(), "plateforme", PERIOD)
    assert list(fig.data[0].y) == ["Transverse"]  # 100 000 € conventionnés, against 70 000 € for Lens-Hénin
    assert "Les 1 plateformes aux montants conventionnés les plus élevés sur 2" in fig.layout.annotations[-1].text
    assert len(budget.consumption_bars(lines_frame(), "financeur", PERIOD).data[0].y) == 3  # only platforms


def test_consumption_by_and_bars():
    by_financeur = budget.consumption_by(lines_frame(), "financeur")
    assert by_financeur["financeur"].to_list() == ["DIHAL", "FSE+", "EPCI"]  # largest conventionné first
    by_axe = budget.consumption_by(lines_frame(), "axe")
    assert by_axe["axe"].to_list() == [1, 3, 5]
    fig = budget.consumption_bars(lines_frame(), "financeur", PERIOD)
    assert [t.name for t in fig.data] == ["Conventionné", "Engagé", "Payé"]
    paid = fig.data[2]
    assert list(paid.y) == ["DIHAL", "FSE+", "EPCI"] and list(paid.x) == [30000.5, 15000, 12000]
    assert list(paid.text) == ["30,0\u00a0%", "25,0\u00a0%", "120,0\u00a0%"]
    assert paid.customdata[0][0] == "DIHAL — payé : 30\u202f000,50\u00a0€"
    axes = budget.consumption_bars(lines_frame(), "axe", PERIOD)
    assert axes.data[0].y[0].startswith("Axe 1 — Produire et mobiliser")
    assert axes.layout.title.text == "Crédits conventionnés, engagés et payés par axe"


def test_reste_bars_flag_an_overspend():
    fig = budget.reste_bars(lines_frame(), PERIOD)
    bars = fig.data[0]
    assert list(bars.y) == ["DIHAL", "FSE+", "EPCI"] and list(bars.x) == [69999.5, 45000, -2000]
    assert bars.marker.color[2] == ALERT["dépassement"]
    assert fig.data[1].text == ("dépassement de 2\u202f000\u00a0€",)


def test_burn_up_points_conventionne_bands_and_projection():
    fig = budget.burn_up(cumul_frame(), "DIHAL", projection_frame(), FIN, PERIOD, seuil_bas=90, seuil_haut=100)
    traces = {t.name: t for t in fig.data}
    paid = traces["Payé cumulé"]
    assert list(paid.x) == [date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31),
                            date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)]
    assert list(paid.y) == [0, 0, 0, 0, 20000, 20000, 30000.5]
    assert list(traces["Engagé cumulé"].y) == [0, 0, 0, 50000, 50000, 50000, 50000]
    assert list(traces["Conventionné"].y) == [100000, 100000]
    band = traces["Zone conforme au 31/12 (90 à 100\u00a0%)"]
    assert set(band.y) == {90000, 100000}
    projection = traces["Projection au 31/12"]
    assert list(projection.x) == [FIN, date(2025, 12, 31)] and list(projection.y) == [30000.5, 60498.0]
    assert projection.line.color == ALERT["sous-consommation"]
    assert "60\u202f498\u00a0€" in fig.layout.annotations[0].text
    assert list(fig.layout.xaxis.ticktext)[:2] == ["janv.", "févr."]
    assert fig.layout.title.text == "Consommation des crédits 2025 — DIHAL : payé cumulé et projection au 31 décembre"
    other = budget.burn_up(cumul_frame(), "DIHAL", projection_frame(), FIN, PERIOD, seuil_bas=50, seuil_haut=120)
    assert set({t.name: t for t in other.data}["Zone conforme au 31/12 (50 à 120\u00a0%)"].y) == {50000, 120000}


def test_burnup_options():
    frame = pl.concat([cumul_frame(), cumul_frame().with_columns(pl.lit("Ensemble").alias("financeur"))])
    assert budget.burnup_options(frame) == ["Ensemble", "DIHAL"]
    assert budget.burnup_options(frame.clear()) == []


def test_projection_table():
    table = budget.projection_table(projection_frame())
    assert table.rows()[0] == ("DIHAL", "100\u202f000\u00a0€", "30\u202f000,50\u00a0€", "30,0\u00a0%",
                               "60\u202f498\u00a0€", "60,5\u00a0%", "sous-consommation")
    assert table["Financeur"].to_list() == ["DIHAL", "Tous financeurs"]


def test_cofinancing_real_and_expected_shares():
    cofin = pl.DataFrame([
        ("Postes", "FSE+", D("60000"), 0.6, 0.6, 0.0),
        ("Postes", "Departement", D("40000"), 0.4, None, None),
        ("Accompagnement", "DIHAL", D("50000"), 1.0, None, None),
    ], schema={"action": pl.Utf8, "financeur": pl.Utf8, "montant_conventionne": pl.Decimal(38, 2),
               "taux_part_reelle": pl.Float64, "taux_attendu": pl.Float64, "ecart_points": pl.Float64}, orient="row")
    fig = budget.cofinancing(cofin, PERIOD)
    names = [t.name for t in fig.data]
    assert names == ["DIHAL", "FSE+", "Département", "Taux attendu non renseigné"]
    fse = fig.data[1]
    assert list(fse.y[0]) == ["Postes", "Postes", "Accompagnement"]  # largest action first; expected bar only if known
    assert list(fse.y[1]) == ["Réel", "Attendu", "Réel"]
    assert list(fse.x) == [0.6, 0.6, None]
    departement = fig.data[2]
    assert list(departement.x) == [0.4, None, None]
    gap = fig.data[3]
    assert gap.x[1] == pytest.approx(0.4)
    assert list(fig.layout.xaxis.ticktext) == ["0\u00a0%", "20\u00a0%", "40\u00a0%", "60\u00a0%", "80\u00a0%",
                                               "100\u00a0%"]


def cost_frame() -> pl.DataFrame:
    return pl.DataFrame([
        ("Audomarois", D(0), 0, 0, None, False, False, False),
        ("Calaisis", D("12000"), 8, 8, 1500.0, False, False, False),
        ("Lens-Hénin", D("15000"), None, None, None, True, True, True),
        ("ensemble", D("27000"), 11, 11, 27000 / 11, False, False, False),
    ], schema={"territoire": pl.Utf8, "montant_paye": pl.Decimal(38, 2), "nb_menages_accompagnes": pl.Int64,
               "nb_menages_tous_publics": pl.Int64, "montant_par_menage": pl.Float64,
               "nb_menages_accompagnes_masque": pl.Boolean, "nb_menages_tous_publics_masque": pl.Boolean,
               "montant_par_menage_masque": pl.Boolean}, orient="row")


def test_cost_per_household_never_draws_a_masked_value():
    fig = budget.cost_per_household(cost_frame(), PERIOD)
    bars = fig.data[0]
    assert list(bars.y) == ["Audomarois", "Calaisis", "Lens-Hénin"]
    assert list(bars.x) == [None, 1500.0, None]
    assert list(bars.text) == ["", "1\u202f500\u00a0€", ""]
    notes = dict(zip(fig.data[1].y, fig.data[1].text, strict=True))
    assert notes == {"Audomarois": "aucun ménage", "Lens-Hénin": "masqué (moins de 5 ménages)"}
    assert fig.layout.annotations[0].text == "Ensemble : 2\u202f455\u00a0€"


def test_cost_per_household_draws_the_platforms_that_paid_most_when_there_are_many(monkeypatch):
    monkeypatch.setattr("figures.chart_helpers.MAX_PLATFORM_BARS", 2)
    fig = budget.cost_per_household(cost_frame(), PERIOD)
    assert list(fig.data[0].y) == ["Calaisis", "Lens-Hénin"]  # 12 000 and 15 000 € paid; Audomarois nothing
    assert "Les 2 plateformes les plus actives sur 3 (toutes dans le tableau)." in fig.layout.annotations[-1].text


def test_cost_table_masks_the_amount_with_its_households():
    table = budget.cost_table(cost_frame())
    assert table.columns == ["Territoire", "Payé dans la période", "Ménages accompagnés", "Coût par ménage"]
    assert table.rows() == [
        ("Audomarois", "0\u00a0€", "0", "aucun ménage"),
        ("Calaisis", "12\u202f000\u00a0€", "8", "1\u202f500\u00a0€"),
        ("Lens-Hénin", "15\u202f000\u00a0€", "< 5", "masqué"),
        ("Ensemble", "27\u202f000\u00a0€", "11", "2\u202f455\u00a0€"),
    ]
    with_public = budget.cost_table(cost_frame(), "Personnes sans domicile")
    assert with_public.columns[3] == "dont personnes sans domicile"


def postes_frame() -> pl.DataFrame:
    return pl.DataFrame([
        ("Departement", 1.8, D("102600"), D("45600.50"), D("41040"), D("4560.50"), "au-delà du plafond"),
        ("Segur", 1.8, D("102600"), D(0), D("9486"), D("-9486"), "dans le plafond"),
    ], schema={"financeur": pl.Utf8, "nb_etp": pl.Float64, "montant_cout_postes": pl.Decimal(38, 2),
               "montant_conventionne": pl.Decimal(38, 2), "montant_plafond": pl.Decimal(18, 2),
               "montant_ecart": pl.Decimal(38, 2), "statut": pl.Utf8}, orient="row")


def test_caps_chart_and_table():
    fig = budget.caps(postes_frame(), PERIOD)
    bars, caps = fig.data[0], fig.data[1]
    assert list(bars.y) == ["Département", "Ségur"] and list(bars.x) == [45600.5, 0]
    assert list(bars.marker.color) == [ALERT["dépassement"], budget.CAP_STATUS_COLOURS["dans le plafond"]]
    assert bars.text[0] == "45\u202f600,50\u00a0€ — au-delà du plafond"
    assert caps.name == "Plafond" and list(caps.x) == [41040, 9486]
    note = fig.layout.annotations[0].text
    assert "1,8 ETP" in note and "22\u202f800\u00a0€ par ETP" in note
    table = budget.caps_table(postes_frame())
    assert table.rows()[0] == ("Département", "1,8", "102\u202f600\u00a0€", "45\u202f600,50\u00a0€",
                               "41\u202f040\u00a0€", "4\u202f560,50\u00a0€", "au-delà du plafond")


def test_lines_filter_and_table():
    assert budget.filter_lines(lines_frame(), ["DIHAL"])["id_financement"].to_list() == ["DIHAL-1"]
    assert budget.filter_lines(lines_frame(), axes=[1, 3])["id_financement"].to_list() == ["FSE-1", "EPCI-1"]
    assert budget.filter_lines(lines_frame(), ["DIHAL"], [3]).is_empty()
    table = budget.lines_table(lines_frame())
    assert table.columns == list(budget.LINE_COLUMNS)
    assert table.rows()[0] == ("DIHAL", "2025", "Coordination", "Axe 5", "Transverse", "100\u202f000\u00a0€",
                               "50\u202f000\u00a0€", "30\u202f000,50\u00a0€", "30,0\u00a0%", "69\u202f999,50\u00a0€")
    assert table.rows()[-1] == ("Total", "", "3 lignes", "", "", "170\u202f000\u00a0€", "62\u202f000\u00a0€",
                                "57\u202f000,50\u00a0€", "33,5\u00a0%", "112\u202f999,50\u00a0€")
    assert budget.lines_table(lines_frame([])).is_empty()
