"""XLSX templates: one per table, built from the contracts, and importable once filled."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from etl import contracts as c
from etl.load import IMPORTED, load_files
from etl.templates import EXPLANATION_SHEET, template_name, write_templates, write_workbook
from tests.helpers import scalar

# One valid row per table, consistent with the fixture warehouse (platforms, referrals, funding lines).
VALID_ROWS = {
    "decoupage": {"plateforme": "Boulonnais", "code_epci": "246200729"},
    "saisines": {"id_saisine": "S90", "date_saisine": date(2026, 3, 2), "plateforme": "Calaisis",
                 "type_sollicitation": "situation", "id_menage": "H90", "code_commune": "62193",
                 "orienteur": "SIAO", "composition": "famille_monoparentale", "nb_personnes": 3,
                 "tranche_age": "25-34", "sexe": "F", "situation_logement": "rue",
                 "publics": ["violences_intrafamiliales", "sante_mentale"], "decision": "acceptee",
                 "date_decision": date(2026, 3, 9)},
    "accompagnements": {"id_accompagnement": "A90", "id_menage": "H90", "id_saisine": "S90",
                        "plateforme": "Calaisis", "mesure": "AVDL", "operateur": "Opérateur C",
                        "date_debut": date(2026, 3, 20), "date_bilan_3m": date(2026, 6, 22)},
    "logements": {"id_menage": "H90", "plateforme": "Calaisis", "date_entree": date(2026, 5, 4),
                  "type_logement": "parc_social", "code_commune": "62193"},
    "instances": {"date": date(2026, 4, 14), "plateforme": "Calaisis", "type_instance": "coordination",
                  "nb_participants": 9, "nb_situations": 4},
    "captations": {"date": date(2026, 4, 20), "plateforme": "Calaisis", "code_commune": "62193",
                   "parc": "prive", "dispositif": "IML", "typologie": "T2", "nb_logements": 2},
    "financements": {"id_financement": "DIHAL-2026-90", "financeur": "DIHAL", "annee": 2026,
                     "action": "Accompagnement renforcé", "axe": 3, "plateforme": "Calaisis",
                     "montant_conventionne": 45_600.5, "taux_cofinancement": 0.6,
                     "date_signature": date(2026, 2, 15)},
    "depenses": {"date": date(2026, 3, 31), "id_financement": "DIHAL-2026-90", "nature": "personnel",
                 "mouvement": "paiement", "montant": 9_500.25},
    "postes": {"plateforme": "Calaisis", "annee": 2026, "etp": 0.8, "cout_annuel": 46_000,
               "operateur": "Opérateur C"},
    "plan_actions": {"id_action": "9.1", "axe": 2, "intitule": "Tester le modèle", "pilote": "DDETS",
                     "statut": "en_cours", "avancement_pct": 25, "echeance": date(2026, 12, 31)},
    "cibles": {"indicateur": "taux_acceptation", "annee": 2026, "valeur_cible": 0.7},
}
assert set(VALID_ROWS) == set(c.CONTRACTS)


@pytest.fixture(scope="module")
def template_files(tmp_path_factory):
    return write_templates(tmp_path_factory.mktemp("modeles"))


def test_one_template_per_table_in_load_order(template_files):
    assert [p.name for p in template_files] == [f"modele_{t}.xlsx" for t in c.LOAD_ORDER]


@pytest.mark.parametrize("table", c.LOAD_ORDER)
def test_template_sheets_headers_and_formats(template_files, table):
    contract = c.CONTRACTS[table]
    path = next(p for p in template_files if p.name == template_name(table))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [table, EXPLANATION_SHEET]
    sheet = workbook[table]
    header = [cell.value for cell in sheet[1]]
    assert header == contract.column_names
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    validations = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    for j, column in enumerate(contract.columns, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        # Adjacent columns with the same width and format are stored as one range.
        dimension = next(d for d in sheet.column_dimensions.values() if d.min <= j <= d.max)
        assert dimension.width >= len(column.name)
        if column.kind == c.DATE:
            assert dimension.number_format == "dd/mm/yyyy"
        if column.kind == c.ENUM:
            dv = validations[f"{letter}2"]
            assert dv.type == "list"
            assert dv.formula1.strip('"').split(",") == [str(v) for v in column.values]


@pytest.mark.parametrize("table", c.LOAD_ORDER)
def test_explanations_describe_every_column(template_files, table):
    contract = c.CONTRACTS[table]
    path = next(p for p in template_files if p.name == template_name(table))
    rows = list(openpyxl.load_workbook(path)[EXPLANATION_SHEET].iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if r[0] == "colonne")
    assert rows[header_index][:6] == ("colonne", "obligatoire", "description", "format attendu",
                                       "valeurs autorisées", "exemple")
    described = {r[0]: r for r in rows[header_index + 1: header_index + 1 + len(contract.columns)]}
    assert list(described) == contract.column_names
    for column in contract.columns:
        required, description, fmt, allowed, example = described[column.name][1:6]
        assert required == ("oui" if column.required else "non")
        assert description == column.description
        assert fmt.startswith(c.KIND_LABELS[column.kind])
        for value in column.values:
            assert str(value) in allowed
        assert (example or "") == column.example


def test_saisines_explanations_list_the_values(template_files):
    path = next(p for p in template_files if p.name == "modele_saisines.xlsx")
    text = "\n".join(str(v) for row in openpyxl.load_workbook(path)[EXPLANATION_SHEET].iter_rows(values_only=True)
                     for v in row if v is not None)
    assert "rue, habitat_precaire, hebergement_urgence, hebergement_insertion, heberge_tiers" in text
    assert "acceptee, reorientee, refusee, sans_suite, en_attente" in text
    assert "date_decision ne peut pas être antérieure à date_saisine" in text


def test_templates_are_byte_deterministic(tmp_path):
    first = write_templates(tmp_path / "a")
    second = write_templates(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_filled_workbook_holds_typed_cells(tmp_path):
    path = write_workbook(tmp_path / "saisines.xlsx", "saisines", [VALID_ROWS["saisines"]])
    sheet = openpyxl.load_workbook(path)["saisines"]
    row = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert row["date_saisine"].is_date and row["date_saisine"].number_format == "dd/mm/yyyy"
    assert row["code_commune"].data_type == "s" and row["code_commune"].value == "62193"
    assert row["nb_personnes"].value == 3
    assert row["publics"].value == "violences_intrafamiliales|sante_mentale"


def test_filled_templates_import(warehouse_copy, tmp_path):
    paths = [write_workbook(tmp_path / template_name(t), t, [VALID_ROWS[t]]) for t in c.LOAD_ORDER]
    report = load_files(paths, warehouse_copy)
    assert report.ok, report.text()
    assert [s.statut for s in report.sheets] == [IMPORTED] * len(c.LOAD_ORDER)
    assert scalar(warehouse_copy, "SELECT publics FROM raw.saisines WHERE id_saisine = 'S90'") == \
        ["violences_intrafamiliales", "sante_mentale"]
    assert scalar(warehouse_copy, "SELECT date_decision FROM raw.saisines WHERE id_saisine = 'S90'") == \
        date(2026, 3, 9)
    assert float(scalar(warehouse_copy, "SELECT montant_conventionne FROM raw.financements "
                                        "WHERE id_financement = 'DIHAL-2026-90'")) == 45_600.5
    assert scalar(warehouse_copy, "SELECT taux_cofinancement FROM raw.financements "
                                  "WHERE id_financement = 'DIHAL-2026-90'") == 0.6
    assert scalar(warehouse_copy, "SELECT count(*) FROM ref.plateformes WHERE plateforme = 'Boulonnais'") == 1
