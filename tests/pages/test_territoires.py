"""The Territoires page on the fixture warehouse: the ranking table and the map equal the masked queries at each
level and in each mode, a chosen territory drives the comparison and the trend, and the controls follow the
indicator (rates have no « per 10 000 » mode, meetings are by platform only)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from figures.formats import fmt_decimal, fmt_masked
from queries import display

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
Y2025 = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31), "plateformes": ALL}
PAGE = "pages/territoires.py"
NAMES_SQL = {
    "plateforme": "SELECT plateforme, plateforme, population_municipale FROM ref.plateformes",
    "epci": "SELECT code_epci, nom_epci, population_municipale FROM ref.epci",
    "commune": "SELECT code_commune, nom_commune, population_municipale FROM ref.communes",
}


def expected_rows(con, maille: str) -> dict[str, tuple[str, str]]:
    """Territory name -> (saisines, per 10 000) as the page must show them: the masked query, formatted."""
    names = {code: (name, pop) for code, name, pop in con.execute(NAMES_SQL[maille]).fetchall()}
    rows = {}
    for r in display("saisines", con, maille=maille, **Y2025).iter_rows(named=True):
        if r["territoire"] is None:
            continue
        name, population = names[r["territoire"]]
        masked = r["nb_saisines_masque"]
        per = None if masked else r["nb_saisines"] * 10_000 / population
        rows[name] = (fmt_masked(r["nb_saisines"], masked), fmt_masked(per, masked, lambda v: fmt_decimal(v, 1)))
    return rows


def deck_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def features(at) -> dict[str, dict]:
    spec = deck_spec(at)
    layer = next(layer for layer in spec["layers"] if layer["id"] == "territoires")
    return {f["properties"]["territoire"]: f["properties"] for f in layer["data"]["features"]}


def trend(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


@pytest.mark.parametrize("maille", ["plateforme", "epci", "commune"])
def test_ranking_table_equals_the_masked_query_at_each_level(open_page, con, maille):
    at = open_page(PAGE, periode="annee", annee="2025")
    at.selectbox(key="maille").set_value(maille).run()
    for mode in ("brut", "p10000"):
        at.segmented_control(key="mode").set_value(mode).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value == "Territoires"
        table = at.dataframe[0].value
        shown = {row["Territoire"]: (row["Saisines"], row["Pour 10 000 hab."]) for row in table.to_dict("records")}
        assert shown == expected_rows(con, maille)
        assert len(features(at)) >= len(shown)  # the map draws every territory of the table, and the uncovered


def test_platform_values_and_masks(open_page, con):
    at = open_page(PAGE, periode="annee", annee="2025")
    assert not at.exception
    # Checked against the query: Calaisis and Lens-Hénin have 3 saisines each in 2025, masked; Audomarois 0.
    masked = display("saisines", con, maille="plateforme", **Y2025)
    assert dict(zip(masked["territoire"], masked["nb_saisines_masque"], strict=True)) == {
        "Audomarois": False, "Calaisis": True, "Lens-Hénin": True}
    table = at.dataframe[0].value.set_index("Territoire")
    assert table.loc["Calaisis", "Saisines"] == "< 5" and table.loc["Lens-Hénin", "Saisines"] == "< 5"
    assert table.loc["Audomarois", "Saisines"] == "0" and table.loc["Audomarois", "Rang"] == "1"
    assert table.loc["Calaisis", "Rang"] == "—"
    props = features(at)
    for code in ("Calaisis", "Lens-Hénin"):
        assert props[code]["ligne_valeur"] == "Saisines : < 5"
        assert props[code]["statut"] == "masque"
        assert not any("3" in str(v) for k, v in props[code].items() if k not in ("rgba", "ligne_population"))
    assert props["Audomarois"]["ligne_valeur"] == "Saisines : 0"
    uncovered = [p for p in props.values() if p["statut"] == "non_couvert"]
    assert uncovered and all(p["ligne_valeur"] == "Non couvert par une plateforme" for p in uncovered)
    assert any("Non couvert par une plateforme" in m.value for m in at.markdown)  # legend entry
    assert any("Effectif masqué (&lt; 5)" in m.value for m in at.markdown)
    assert deck_spec(at)["mapStyle"] == "__MAP_STYLE__"  # no basemap


def test_choosing_a_territory_drives_the_comparison_and_the_trend(open_page):
    at = open_page(PAGE, periode="annee", annee="2025", mode="p10000")
    assert [m.label for m in at.metric] == ["Ensemble des plateformes — Saisines pour 10 000 habitants"]
    assert [t["name"] for t in trend(at)["data"]] == ["Ensemble des plateformes"]
    assert "Ensemble des plateformes" in trend(at)["layout"]["title"]["text"]

    at.selectbox(key="territoire").set_value("Audomarois").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Audomarois — Saisines pour 10 000 habitants"] == "0,0"
    # 6 saisines in 2025 over the population of the three platforms
    population = 105_743 + 105_269 + 367_769
    assert metrics["Ensemble des plateformes — Saisines pour 10 000 habitants"] == fmt_decimal(6 * 10_000 / population)
    assert [t["name"] for t in trend(at)["data"]] == ["Audomarois", "Ensemble des plateformes"]
    assert trend(at)["layout"]["title"]["text"].startswith("Saisines pour 10 000 habitants par mois : Audomarois")
    table = at.dataframe[0].value.set_index("Territoire")
    assert table.loc["Audomarois", ""] == "▶" and table.loc["Calaisis", ""] == ""
    selection = next(layer for layer in deck_spec(at)["layers"] if layer["id"] == "selection")
    assert selection["data"]["features"][0]["properties"]["territoire"] == "Audomarois"

    at.selectbox(key="territoire").set_value("Calaisis").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Calaisis — Saisines pour 10 000 habitants"] == "< 5"
    assert "effectif masqué" in at.markdown[-1].value

    at.button[0].click().run()  # « Effacer la sélection »
    assert at.selectbox(key="territoire").value is None
    assert [t["name"] for t in trend(at)["data"]] == ["Ensemble des plateformes"]


def test_controls_follow_the_indicator(open_page):
    at = open_page(PAGE, periode="annee", annee="2025")
    at.selectbox(key="indicateur").set_value("taux_acceptation").run()
    assert not at.exception
    assert at.segmented_control(key="mode").options == ["Valeur"]
    table = at.dataframe[0].value
    assert "Pour 10 000 hab." not in table.columns and "Taux d'acceptation des saisines" in table.columns
    at.selectbox(key="indicateur").set_value("commissions_fluidite").run()
    assert not at.exception
    assert at.selectbox(key="maille").options == ["Plateforme"]


def test_other_indicators_and_the_static_map(open_page):
    at = open_page(PAGE, periode="annee", annee="2025")
    for indicator in ("logements_captes", "acces_logement", "delai_decision", "maintien_12m", "file_active"):
        at.selectbox(key="indicateur").set_value(indicator).run()
        assert not at.exception, (indicator, [e.value for e in at.exception])
    at.selectbox(key="indicateur").set_value("logements_captes").run()
    # 6 dwellings captured in 2025: 3 by Lens-Hénin, 3 by Calaisis (activity: not masked)
    table = at.dataframe[0].value.set_index("Territoire")
    assert table.loc["Lens-Hénin", "Logements captés"] == "3" and table.loc["Audomarois", "Logements captés"] == "0"
    at.toggle(key="carte_export").set_value(True).run()
    assert not at.exception
    static = json.loads(at.get("plotly_chart")[1].proto.spec)
    names = [t.get("name") for t in static["data"] if t.get("fill") == "toself"]
    assert "Non couvert par une plateforme" in names and "0" in names
    assert not any(t["type"] in ("choropleth", "scattergeo") for t in static["data"])  # no CDN world map
    hover = next(t for t in static["data"] if t.get("name") == "Territoires")
    texts = dict(zip((c[0] for c in hover["customdata"]), hover["text"], strict=True))
    assert "Logements captés : 3" in texts["Lens-Hénin"]


def test_a_shared_link_opens_the_same_view_and_the_url_follows(open_page):
    at = open_page(PAGE, periode="annee", annee="2025", indicateur="taux_acceptation", maille="epci",
                   territoire="200069037")
    assert not at.exception
    assert at.selectbox(key="indicateur").value == "taux_acceptation"
    assert at.selectbox(key="maille").value == "epci"
    assert at.selectbox(key="territoire").value == "200069037"
    assert at.metric[0].label.startswith("Communauté d'agglomération du Pays de Saint-Omer")
    at.selectbox(key="indicateur").set_value("saisines").run()
    at.segmented_control(key="mode").set_value("p10000").run()
    at.selectbox(key="territoire").set_value("246200364").run()
    url = {k: at.query_params[k] for k in ("indicateur", "mode", "maille", "territoire")}
    assert url == {"indicateur": "saisines", "mode": "p10000", "maille": "epci", "territoire": "246200364"}
    at.selectbox(key="maille").set_value("plateforme").run()  # the EPCI selected is no platform: unselected
    assert "territoire" not in at.query_params and "maille" not in at.query_params
    # Garbage in a link falls back to the defaults instead of failing.
    bad = open_page(PAGE, periode="annee", annee="2025", indicateur="nimporte", maille="canton", mode="x")
    assert not bad.exception and bad.selectbox(key="indicateur").value == "saisines"
    assert bad.selectbox(key="maille").value == "plateforme"
