"""The contracts are consistent, and match domain.md's tables and value lists."""

from __future__ import annotations

import pytest

from etl import contracts as c


@pytest.mark.parametrize("table", c.LOAD_ORDER)
def test_contract_is_consistent(table):
    contract = c.CONTRACTS[table]
    names = contract.column_names
    assert len(names) == len(set(names)), "duplicate column"
    assert set(contract.key) <= set(names)
    for rule in contract.rules:
        columns = (rule.before, rule.after) if isinstance(rule, c.DateOrder) else rule.columns
        assert set(columns) <= set(names)
    for ref in contract.references:
        assert ref.column in names
        assert ref.target in c.CONTRACTS[ref.table].column_names
        assert c.LOAD_ORDER.index(ref.table) < c.LOAD_ORDER.index(table), "referenced table loads first"
    for col in contract.columns:
        assert col.kind in c.SQL_TYPES
        assert bool(col.values) == (col.kind in (c.ENUM, c.ENUM_LIST))
        assert col.description
    assert not set(names) & set(c.IDENTIFYING_COLUMNS), "a contract column would be dropped as identifying"


def test_domain_columns():
    assert c.CONTRACTS["saisines"].column_names == [
        "id_saisine", "date_saisine", "plateforme", "type_sollicitation", "id_menage", "code_commune", "orienteur",
        "composition", "nb_personnes", "tranche_age", "sexe", "situation_logement", "publics", "decision",
        "date_decision"]
    assert c.CONTRACTS["accompagnements"].column_names == [
        "id_accompagnement", "id_menage", "id_saisine", "plateforme", "mesure", "operateur", "date_debut",
        "date_bilan_3m", "date_bilan_6m", "date_bilan_12m", "date_fin", "motif_fin"]
    assert c.CONTRACTS["financements"].column("financeur").values == (
        "DIHAL", "FSE+", "Departement", "Etat", "EPCI", "Segur", "autre")
    assert set(c.SITUATIONS_SANS_DOMICILE) < set(c.SITUATIONS_LOGEMENT)
    assert set(c.TYPES_LOGEMENT_ACCES_SANS_DOMICILE) < set(c.TYPES_LOGEMENT)
    assert "residence_sociale" not in c.TYPES_LOGEMENT_ACCES_SANS_DOMICILE


def test_household_ids_are_pseudonymised_everywhere():
    kinds = {t: ct.column("id_menage").kind for t, ct in c.CONTRACTS.items() if "id_menage" in ct.column_names}
    assert kinds == {"saisines": c.PSEUDONYM, "accompagnements": c.PSEUDONYM, "logements": c.PSEUDONYM}
