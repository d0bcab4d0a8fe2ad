"""The import path: every kind of bad input is reported in French and changes nothing."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from etl import warehouse
from etl.load import IDENTICAL, IMPORTED, REJECTED, load_files
from etl.pseudonym import pseudonym
from tests.conftest import TEST_KEY, WAREHOUSE_FILES
from tests.helpers import data_snapshot, scalar

SAISINES_HEADER = ("id_saisine;date_saisine;plateforme;type_sollicitation;id_menage;code_commune;orienteur;"
                   "composition;nb_personnes;tranche_age;sexe;situation_logement;publics;decision;date_decision")
GOOD_ROW = "S90;02/03/2025;Calaisis;situation;H90;62193;SIAO;personne_seule;1;25-34;F;rue;;acceptee;09/03/2025"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def saisines_file(tmp_path: Path, *rows: str, name: str = "saisines_test.csv", header: str = SAISINES_HEADER) -> Path:
    return write(tmp_path / name, "\n".join([header, *rows]) + "\n")


def load_rejected(path: Path, warehouse_path: Path, **kwargs) -> list[str]:
    """Load a file expected to be rejected; check nothing changed; return the error sentences."""
    before = data_snapshot(warehouse_path)
    report = load_files([path], warehouse_path, **kwargs)
    assert not report.ok
    assert [s.statut for s in report.sheets] == [REJECTED]
    assert data_snapshot(warehouse_path) == before
    sheet = report.sheets[0]
    return sheet.error_lines(limit=None) or [sheet.message]


# --- the fixture files load, with their values typed -----------------------------------------------

def test_fixture_files_load_with_typed_values(fixture_warehouse):
    counts = {t: scalar(fixture_warehouse, f"SELECT count(*) FROM raw.{t}") for t in
              ("decoupage", "saisines", "accompagnements", "logements", "financements", "depenses")}
    assert counts == {"decoupage": 4, "saisines": 8, "accompagnements": 4, "logements": 4, "financements": 3,
                      "depenses": 5}
    assert scalar(fixture_warehouse, "SELECT date_saisine FROM raw.saisines WHERE id_saisine = 'S01'") == \
        date(2025, 1, 15)
    assert scalar(fixture_warehouse, "SELECT publics FROM raw.saisines WHERE id_saisine = 'S01'") == \
        ["sante_mentale", "addictions"]
    assert scalar(fixture_warehouse, "SELECT nb_etp FROM stg.postes WHERE plateforme = 'Calaisis'") == 0.8


def test_latin1_semicolon_and_decimal_comma(fixture_warehouse):
    """financements.csv is Windows-1252 with CRLF, `;`, `45 600,50` and `60 %`."""
    row = duckdb.connect(str(fixture_warehouse), read_only=True).execute(
        "SELECT action, montant_conventionne, taux_cofinancement FROM raw.financements "
        "WHERE id_financement = 'FSE-2025-01'").fetchone()
    assert row == ("Accompagnement renforcé", Decimal("60000.00"), 0.6)
    assert scalar(fixture_warehouse, "SELECT montant_conventionne FROM raw.financements "
                                     "WHERE id_financement = 'DEP-2025-01'") == Decimal("45600.50")
    assert scalar(fixture_warehouse, "SELECT taux_cofinancement FROM raw.financements "
                                     "WHERE id_financement = 'DEP-2025-01'") == 0.4


def test_platform_population_is_the_sum_of_its_communes(fixture_warehouse):
    platforms = dict(duckdb.connect(str(fixture_warehouse), read_only=True).execute(
        "SELECT plateforme, population_municipale FROM ref.plateformes").fetchall())
    communes = dict(duckdb.connect(str(fixture_warehouse), read_only=True).execute(
        "SELECT d.plateforme, sum(c.population_municipale) FROM raw.decoupage d "
        "JOIN ref.communes c ON c.code_epci = d.code_epci GROUP BY 1").fetchall())
    assert platforms == communes
    assert set(platforms) == {"Lens-Hénin", "Calaisis", "Audomarois"}


# --- personal data ----------------------------------------------------------------------------------

def test_household_ids_are_hashed_and_identifying_columns_dropped(warehouse_copy, tmp_path):
    header = SAISINES_HEADER + ";nom;Prénom;Date de naissance;téléphone;commentaire"
    path = saisines_file(tmp_path, GOOD_ROW + ";Dupont;Jeanne;01/01/1980;0601020304;appelle le lundi",
                         header=header)
    report = load_files([path], warehouse_copy)
    assert report.ok, report.text()
    warnings = " ".join(report.sheets[0].avertissements)
    for column in ("nom", "Prénom", "Date de naissance", "téléphone"):
        assert f"« {column} » supprimée" in warnings
    assert "« commentaire » ignorée" in warnings
    hashed = scalar(warehouse_copy, "SELECT id_menage FROM raw.saisines WHERE id_saisine = 'S90'")
    assert hashed == pseudonym("H90", TEST_KEY.encode()) and hashed != "H90"
    everything = repr(data_snapshot(warehouse_copy))
    for secret in ("Dupont", "Jeanne", "1980", "0601020304", "'H90'", "'H01'"):
        assert secret not in everything


def test_same_household_gets_the_same_pseudonym_across_tables(fixture_warehouse):
    n = scalar(fixture_warehouse, """
        SELECT count(*) FROM raw.accompagnements a JOIN raw.saisines s USING (id_saisine)
        WHERE a.id_menage = s.id_menage""")
    assert n == 4


# --- idempotence and replacement --------------------------------------------------------------------

def test_reimporting_the_same_file_changes_nothing(warehouse_copy):
    before = data_snapshot(warehouse_copy)
    report = load_files([WAREHOUSE_FILES / "saisines.csv"], warehouse_copy)
    assert report.ok and report.sheets[0].statut == IDENTICAL
    assert data_snapshot(warehouse_copy) == before


def test_same_content_under_another_name_changes_nothing(warehouse_copy, tmp_path):
    copy = tmp_path / "instances_copie.csv"
    shutil.copyfile(WAREHOUSE_FILES / "instances.csv", copy)
    before = data_snapshot(warehouse_copy)
    report = load_files([copy], warehouse_copy)
    assert report.sheets[0].statut == IDENTICAL
    assert "instances.csv" in report.sheets[0].message
    assert data_snapshot(warehouse_copy) == before


def test_corrected_file_replaces_its_earlier_version(warehouse_copy, tmp_path):
    lines = (WAREHOUSE_FILES / "instances.csv").read_text().splitlines()
    corrected = [lines[0], *lines[1:4], "30/04/2025;Calaisis;formation;15;0"]  # 3 rows kept, 3 removed, 1 added
    path = write(tmp_path / "instances.csv", "\n".join(corrected) + "\n")
    report = load_files([path], warehouse_copy)
    assert report.sheets[0].statut == IMPORTED
    assert report.sheets[0].nb_lignes == 4 and report.sheets[0].nb_lignes_remplacees == 6
    assert scalar(warehouse_copy, "SELECT count(*) FROM raw.instances") == 4
    assert scalar(warehouse_copy, "SELECT count(*) FROM raw.instances WHERE type_instance = 'formation'") == 1


def test_two_files_of_one_table_add_up(warehouse_copy, tmp_path):
    path = saisines_file(tmp_path, GOOD_ROW, name="saisines_2025_calaisis.csv")
    assert load_files([path], warehouse_copy).ok
    assert scalar(warehouse_copy, "SELECT count(*) FROM raw.saisines") == 9
    assert scalar(warehouse_copy, "SELECT count(DISTINCT _fichier) FROM raw.saisines") == 2


# --- bad input --------------------------------------------------------------------------------------

def test_missing_required_column(warehouse_copy, tmp_path):
    header = SAISINES_HEADER.replace(";decision;", ";")
    row = GOOD_ROW.replace(";acceptee;", ";")
    errors = load_rejected(saisines_file(tmp_path, row, header=header), warehouse_copy)
    assert errors == ["Fichier saisines_test.csv, ligne 1, colonne decision : colonne obligatoire absente de "
                      "l'en-tête"]


def test_unknown_value(warehouse_copy, tmp_path):
    errors = load_rejected(saisines_file(tmp_path, GOOD_ROW.replace("SIAO", "préfecture")), warehouse_copy)
    assert errors == ["Fichier saisines_test.csv, ligne 2, colonne orienteur, valeur « préfecture » : valeur hors "
                      "liste (valeurs possibles : SIAO, CCAS, bailleur, association, service_social_departemental, "
                      "sante, justice, menage, autre)"]


def test_values_are_matched_ignoring_case_and_accents(warehouse_copy, tmp_path):
    row = GOOD_ROW.replace(";acceptee;", ";Acceptée;").replace(";rue;", ";Rue;").replace(";SIAO;", ";siao;")
    assert load_files([saisines_file(tmp_path, row)], warehouse_copy).ok
    assert scalar(warehouse_copy, "SELECT decision || orienteur || situation_logement FROM raw.saisines "
                                  "WHERE id_saisine = 'S90'") == "accepteeSIAOrue"


def test_bad_date(warehouse_copy, tmp_path):
    errors = load_rejected(saisines_file(tmp_path, GOOD_ROW.replace("02/03/2025", "30/02/2025")), warehouse_copy)
    assert errors == ["Fichier saisines_test.csv, ligne 2, colonne date_saisine, valeur « 30/02/2025 » : date "
                      "invalide (attendu jj/mm/aaaa)"]


def test_decision_before_referral(warehouse_copy, tmp_path):
    errors = load_rejected(saisines_file(tmp_path, GOOD_ROW.replace("09/03/2025", "01/03/2025")), warehouse_copy)
    assert errors == ["Fichier saisines_test.csv, ligne 2, colonne date_decision, valeur « 01/03/2025 » : date "
                      "antérieure à date_saisine (02/03/2025)"]


def test_bad_encoding(warehouse_copy, tmp_path):
    path = tmp_path / "saisines_test.csv"
    path.write_bytes(SAISINES_HEADER.encode() + b"\nS90;02/03/2025;Calaisis\x81\x8d;situation\n")
    errors = load_rejected(path, warehouse_copy)
    assert errors == ["encodage non reconnu à la ligne 2 (octet 0x81) : enregistrez le fichier en « CSV UTF-8 » "
                      "ou en Windows-1252"]


def test_duplicate_key_in_file_and_with_another_file(warehouse_copy, tmp_path):
    errors = load_rejected(saisines_file(tmp_path, GOOD_ROW, GOOD_ROW, GOOD_ROW.replace("S90", "S01")),
                           warehouse_copy)
    assert errors == [
        "Fichier saisines_test.csv, ligne 3, colonne id_saisine, valeur « S90 » : clé en double dans le fichier "
        "(déjà ligne 2)",
        "Fichier saisines_test.csv, ligne 4, colonne id_saisine, valeur « S01 » : clé déjà importée depuis le "
        "fichier « saisines.csv » (pour corriger ce fichier, réimportez-le sous le même nom)",
    ]


def test_orphan_references(warehouse_copy, tmp_path):
    errors = load_rejected(saisines_file(tmp_path, GOOD_ROW.replace("Calaisis", "Boulonnais")), warehouse_copy)
    assert errors == ["Fichier saisines_test.csv, ligne 2, colonne plateforme, valeur « Boulonnais » : plateforme "
                      "absente du découpage (importez d'abord le découpage qui la définit)"]
    depenses = write(tmp_path / "depenses_2026.csv",
                     "date;id_financement;nature;mouvement;montant\n05/01/2026;DIHAL-2026-99;personnel;paiement;10\n")
    errors = load_rejected(depenses, warehouse_copy)
    assert errors == ["Fichier depenses_2026.csv, ligne 2, colonne id_financement, valeur « DIHAL-2026-99 » : "
                      "id_financement inconnu dans la table financements (importez-la d'abord)"]


def test_new_decoupage_replaces_the_old_one_but_keeps_platforms_in_use(warehouse_copy, tmp_path):
    # Audomarois has no data and may go; Lens-Hénin loses one EPCI: its population follows.
    path = write(tmp_path / "decoupage.csv", "plateforme;code_epci;code_commune\nCalaisis;200090751;\n"
                                             "Lens-Hénin;246200364;\n")
    assert load_files([path], warehouse_copy).ok
    lens = scalar(warehouse_copy, "SELECT population_municipale FROM ref.plateformes WHERE plateforme = 'Lens-Hénin'")
    assert lens == scalar(warehouse_copy, "SELECT sum(population_municipale) FROM ref.communes "
                                          "WHERE code_epci = '246200364'")
    assert scalar(warehouse_copy, "SELECT count(*) FROM ref.plateformes") == 2
    # Removing Lens-Hénin, which saisines and other tables use, is refused:
    path = write(tmp_path / "decoupage.csv", "plateforme;code_epci;code_commune\nCalaisis;200090751;\n")
    errors = load_rejected(path, warehouse_copy)
    assert ("Fichier decoupage.csv, colonne plateforme, valeur « Lens-Hénin » : valeur retirée par cette version "
            "alors que 5 ligne(s) de la table saisines l'utilisent encore") in errors


def test_unknown_commune_and_leading_zero_restored(warehouse_copy, tmp_path):
    errors = load_rejected(saisines_file(tmp_path, GOOD_ROW.replace("62193", "62999")), warehouse_copy)
    assert errors == ["Fichier saisines_test.csv, ligne 2, colonne code_commune, valeur « 62999 » : commune inconnue "
                      "du Code officiel géographique de l'INSEE"]


def test_negative_amount(warehouse_copy, tmp_path):
    path = write(tmp_path / "depenses_2025b.csv", "date;id_financement;nature;mouvement;montant\n"
                                                  "05/07/2025;DIHAL-2025-01;personnel;paiement;-1 200,00\n")
    errors = load_rejected(path, warehouse_copy)
    assert errors == ["Fichier depenses_2025b.csv, ligne 2, colonne montant, valeur « -1 200,00 » : valeur hors "
                      "limites (valeur négative interdite)"]


def test_empty_files(warehouse_copy, tmp_path):
    assert load_rejected(write(tmp_path / "saisines_vide.csv", ""), warehouse_copy) == ["le fichier est vide"]
    header_only = saisines_file(tmp_path, name="saisines_entete.csv")
    assert load_rejected(header_only, warehouse_copy) == ["Le fichier ne contient aucune ligne de données."]


def test_unknown_table_name(warehouse_copy, tmp_path):
    path = write(tmp_path / "export_siao.csv", SAISINES_HEADER + "\n" + GOOD_ROW + "\n")
    [message] = load_rejected(path, warehouse_copy)
    assert message.startswith("impossible de savoir quelle table contient ce fichier")
    report = load_files([path], warehouse_copy, table="saisines")
    assert report.ok and report.sheets[0].table == "saisines"


def test_every_error_is_reported_not_only_the_first(warehouse_copy, tmp_path):
    rows = [GOOD_ROW.replace("S90", f"S9{i}").replace("25-34", "30 ans") for i in range(5)]
    errors = load_rejected(saisines_file(tmp_path, *rows), warehouse_copy)
    assert [e.split(",")[1] for e in errors] == [f" ligne {n}" for n in range(2, 7)]


def test_ragged_csv_names_the_rows(warehouse_copy, tmp_path):
    path = saisines_file(tmp_path, GOOD_ROW, "S91;02/03/2025;Calaisis", GOOD_ROW.replace("S90", "S92"))
    [message] = load_rejected(path, warehouse_copy)
    assert message == ("nombre de colonnes incorrect à la ligne 3 (15 colonnes attendues d'après l'en-tête, "
                       "séparateur « ; »)")


# --- XLSX ---------------------------------------------------------------------------------------------

def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = xlsxwriter.Workbook(path)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                if isinstance(value, datetime):
                    ws.write_datetime(r, col, value, date_format)
                elif value is not None:
                    ws.write(r, col, value)
    wb.close()
    return path


def test_xlsx_with_date_cells_and_serials(warehouse_copy, tmp_path):
    rows = [
        ["date", "plateforme", "type_instance", "nb_participants", "nb_situations"],
        [datetime(2025, 11, 4), "Calaisis", "coordination", 9, 4],
        [45975, "Calaisis", "Commission fluidité", 11.0, 7],  # Excel serial 45975 = 14/11/2025
        ["21/11/2025", "Lens-Hénin", "cotech", 6, None],
    ]
    path = xlsx(tmp_path / "activite.xlsx", {"instances": rows, "Explications": [["notice"]]})
    report = load_files([path], warehouse_copy)
    assert report.ok, report.text()
    got = duckdb.connect(str(warehouse_copy), read_only=True).execute(
        "SELECT date, type_instance, nb_participants, nb_situations FROM raw.instances "
        "WHERE _fichier = 'activite.xlsx' ORDER BY date").fetchall()
    assert got == [(date(2025, 11, 4), "coordination", 9, 4), (date(2025, 11, 14), "commission_fluidite", 11, 7),
                   (date(2025, 11, 21), "cotech", 6, None)]


def test_xlsx_wrong_sheet_name(warehouse_copy, tmp_path):
    path = xlsx(tmp_path / "classeur.xlsx", {"Feuil1": [["date"], [datetime(2025, 1, 1)]]})
    [message] = load_rejected(path, warehouse_copy)
    assert message.startswith("feuille « Feuil1 » : le nom d'une feuille doit être celui d'une table (decoupage, ")


def test_xlsx_errors_name_the_sheet(warehouse_copy, tmp_path):
    rows = [["date", "plateforme", "type_instance"], [datetime(2025, 1, 1), "Calaisis", "apéro"]]
    path = xlsx(tmp_path / "classeur.xlsx", {"instances": rows})
    errors = load_rejected(path, warehouse_copy)
    assert errors == ["Fichier classeur.xlsx, feuille instances, ligne 2, colonne type_instance, valeur « apéro » : "
                      "valeur hors liste (valeurs possibles : coordination, concertation, commission_fluidite, copil, "
                      "cotech, formation)"]


# --- journal and concurrency --------------------------------------------------------------------------

def test_journal_records_every_outcome(warehouse_copy, tmp_path):
    load_files([write(tmp_path / "saisines_vide.csv", "")], warehouse_copy)
    load_files([WAREHOUSE_FILES / "cibles.csv"], warehouse_copy)
    journal = warehouse.journal(warehouse_copy)
    assert journal.select("fichier", "statut").head(2).rows() == [("cibles.csv", "identique"),
                                                                   ("saisines_vide.csv", "rejete")]
    assert journal.filter(journal["statut"] == "importe").height == 11


def test_failed_import_leaves_the_served_file_untouched(warehouse_copy, tmp_path, monkeypatch):
    before_bytes = warehouse_copy.read_bytes()

    def crash(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr("etl.load._replace_rows", crash)
    with pytest.raises(RuntimeError):
        load_files([saisines_file(tmp_path, GOOD_ROW)], warehouse_copy)
    assert warehouse_copy.read_bytes() == before_bytes
    assert [p.name for p in warehouse_copy.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_reader_keeps_serving_while_an_import_replaces_the_file(warehouse_copy, tmp_path):
    reader = warehouse.connect_read_only(warehouse_copy)
    version = warehouse.version(warehouse_copy)
    assert load_files([saisines_file(tmp_path, GOOD_ROW)], warehouse_copy).ok
    assert reader.execute("SELECT count(*) FROM raw.saisines").fetchone()[0] == 8  # its snapshot
    reader.close()
    assert warehouse.version(warehouse_copy) != version
    assert scalar(warehouse_copy, "SELECT count(*) FROM raw.saisines") == 9


# --- household identifiers in keys and in the journal ---------------------------------------------------

LOGEMENTS_HEADER = "id_menage;plateforme;date_entree;type_logement;code_commune;date_sortie;motif_sortie"


def test_a_housing_entry_already_brought_by_another_file_is_refused(warehouse_copy, tmp_path):
    # H01 entered on 01/06/2025 in logements.csv: the key (household, date) is compared once pseudonymised.
    path = write(tmp_path / "logements_2025b.csv",
                 f"{LOGEMENTS_HEADER}\nH01;Lens-Hénin;01/06/2025;IML;62498;;\n")
    errors = load_rejected(path, warehouse_copy)
    assert errors == ["Fichier logements_2025b.csv, ligne 2, colonne id_menage / date_entree, valeur « H01 / "
                      "2025-06-01 » : clé déjà importée depuis le fichier « logements.csv » (pour corriger ce "
                      "fichier, réimportez-le sous le même nom)"]


def test_the_journal_keeps_no_raw_household_identifier(warehouse_copy, tmp_path):
    path = write(tmp_path / "logements_2025b.csv",
                 f"{LOGEMENTS_HEADER}\nH01;Lens-Hénin;01/06/2025;IML;62498;;\nH01;Lens-Hénin;01/06/2025;IML;62498;;\n")
    load_rejected(path, warehouse_copy)
    kept = duckdb.connect(str(warehouse_copy), read_only=True).execute(
        "SELECT colonne, valeur FROM meta.import_erreurs ORDER BY ligne").fetchall()
    assert kept and all(valeur == "(identifiant de ménage non conservé)" for _, valeur in kept)
    assert "H01" not in repr(data_snapshot(warehouse_copy))


def test_a_warehouse_of_an_earlier_version_is_upgraded_for_its_readers(warehouse_copy):
    """Views are those of the code that built the warehouse: a newer Copilote brings them up to date (on a copy
    swapped in, like an import) before reading, so an upgraded app does not fail on a missing view."""
    con = duckdb.connect(str(warehouse_copy))
    con.execute("DROP VIEW stg.logements")
    con.execute("UPDATE meta.info SET valeur = 'ancienne' WHERE cle = 'version_vues'")
    con.close()
    before = data_snapshot(warehouse_copy)
    assert not warehouse.is_current(warehouse_copy)
    assert warehouse.upgrade(warehouse_copy) is True
    assert warehouse.is_current(warehouse_copy) and warehouse.upgrade(warehouse_copy) is False
    assert scalar(warehouse_copy, "SELECT count(*) FROM stg.logements") == 4
    assert data_snapshot(warehouse_copy) == before
