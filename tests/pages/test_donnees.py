"""The Données page: what is loaded, the journal, templates, and an upload through the real import."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from etl import warehouse
from tests.helpers import data_snapshot

SAISINES_HEADER = ("id_saisine;date_saisine;plateforme;type_sollicitation;id_menage;code_commune;orienteur;"
                   "composition;nb_personnes;tranche_age;sexe;situation_logement;publics;decision;date_decision")


def donnees(**query) -> AppTest:
    at = AppTest.from_file("../../app.py", default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/donnees.py")
    return at.run()


def test_shows_what_is_loaded(served):
    at = donnees()
    assert not at.exception
    assert at.title[0].value == "Données"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tables alimentées"] == "11 / 11"
    assert warehouse.status(served)["nb_lignes"].sum() == 45
    assert metrics["Lignes chargées"] == "45"
    table = at.dataframe[0].value
    assert list(table["Table"])[:3] == ["Découpage territorial", "Lignes de financement", "Saisines et sollicitations"]
    assert list(table["Lignes"])[:3] == ["4", "3", "8"]
    assert list(table["Du"])[:3] == ["—", "20/01/2025", "20/11/2024"]
    platforms = at.dataframe[2].value
    assert list(platforms["Plateforme"]) == ["Audomarois", "Calaisis", "Lens-Hénin"]
    assert list(platforms["Population municipale"])[1] == "105\u202f269"
    journal = at.dataframe[3].value
    assert set(journal["Résultat"]) == {"✔ importé"} and len(journal) == 11


def test_quality_warnings_name_the_check(served):
    at = donnees()
    checks = at.dataframe[1].value
    # S07 (Calaisis) is still « en_attente » more than 60 days after its referral.
    assert list(checks["Contrôle"]) == ["saisines en attente de décision depuis plus de 60 jours"]
    assert list(checks["Lignes concernées"]) == [1]


def test_templates_are_offered(served):
    at = donnees()
    labels = [b.label for b in at.get("download_button")]
    assert labels[0] == "Télécharger tous les modèles (.zip)"
    assert "Saisines et sollicitations" in labels and len(labels) == 12


def test_a_bad_upload_shows_its_report_and_changes_nothing(served):
    before = data_snapshot(served)
    at = donnees()
    bad = f"{SAISINES_HEADER}\nS90;02/03/2025;Calaisis;situation;H90;62193;préfecture;personne_seule;1;25-34;F;rue;;" \
          "acceptee;09/03/2025\n"
    at.get("file_uploader")[0].upload("saisines_mars.csv", bad.encode("utf-8"), "text/csv")
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Import refusé")
    report = at.code[0].value
    assert "✘ saisines_mars.csv → table saisines : fichier rejeté, rien n'a été modifié." in report
    assert "ligne 2, colonne orienteur, valeur « préfecture » : valeur hors liste" in report
    assert data_snapshot(served) == before


def test_a_good_upload_is_imported_and_seen(served):
    at = donnees()
    good = f"{SAISINES_HEADER}\nS90;02/03/2025;Calaisis;situation;H90;62193;SIAO;personne_seule;1;25-34;F;rue;;" \
           "acceptee;09/03/2025\n"
    at.get("file_uploader")[0].upload("saisines_mars.csv", good.encode("utf-8"), "text/csv")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Import terminé")
    assert "✔ saisines_mars.csv → table saisines : 1 lignes importées." in at.code[0].value
    assert {m.label: m.value for m in at.metric}["Lignes chargées"] == "46"


def test_missing_warehouse_says_how_to_load(monkeypatch, tmp_path):
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(tmp_path / "absent.duckdb"))
    at = donnees()
    assert not at.exception
    assert "python -m etl demo" in at.warning[0].value
