"""The catalogue: every SQL file is documented, and docs/indicateurs.md is up to date."""

from __future__ import annotations

import re

import pytest

from queries import SQL_DIR, catalogue, load_indicator
from queries.docs import DOC_PATH, catalogue_markdown

REQUIRED = {"saisines", "sollicitations_espace_ressource", "saisines_pour_10000_habitants", "taux_acceptation",
            "delai_decision", "profil", "accompagnements_debutes", "file_active", "bilans_a_jour",
            "bilans_en_retard", "sorties", "taux_sortie_positive", "duree_accompagnement", "acces_logement",
            "acces_logement_sans_domicile", "delai_acces", "maintien_6m", "maintien_12m", "instances",
            "commissions_fluidite", "situations_examinees", "logements_captes", "participants_fse",
            "budget_consommation", "budget_projection", "cout_par_menage", "cofinancement", "postes_plafonds",
            "plan_actions", "actions_en_retard", "cibles"}


def test_every_required_indicator_exists():
    assert set(catalogue()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(p.stem for p in SQL_DIR.glob("*.sql")))
def test_header_documents_the_query(name):
    ind = load_indicator(SQL_DIR / f"{name}.sql")
    assert ind.titre and len(ind.definition) > 40
    assert "plateformes" in ind.parametres or name in ("plan_actions", "actions_en_retard", "actions")
    sql_body = "\n".join(line for line in ind.sql.splitlines() if not line.startswith("--"))
    assert ind.valeur in sql_body
    for column in (*ind.comptes, *ind.taux, *ind.totaux):
        assert re.search(rf"\b{column}\b", sql_body), f"{column} declared but not produced"
    assert "{" not in sql_body and "%s" not in sql_body, "parameters are bound, never formatted"


def test_a_header_parameter_missing_from_the_sql_is_refused(tmp_path):
    path = tmp_path / "essai.sql"
    path.write_text((SQL_DIR / "saisines.sql").read_text().replace("-- id: saisines", "-- id: essai")
                    .replace("-- parametres: debut, fin, plateformes, maille, pas",
                             "-- parametres: debut, fin, plateformes, maille, pas, seuil"))
    with pytest.raises(ValueError, match="header parameters"):
        load_indicator(path)


def test_docs_are_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == catalogue_markdown(), "run `python -m queries docs`"
