"""Territories for maps and labels: outlines (WKB), populations and platform of each territory of a level.

Read by the app (through `data_access`, cached) and by the exports. Outlines are those of the
départements the découpage touches; a territory covered by no platform has a null `plateforme`.
"""

from __future__ import annotations

import duckdb
import polars as pl

from etl import warehouse

OUTLINES_SQL = {
    "plateforme": """
        SELECT plateforme AS territoire, plateforme AS libelle, population_municipale, plateforme, geometry
        FROM ref.plateformes ORDER BY 1""",
    # EPCIs of the départements of the découpage, with their platform when a single one covers them.
    "epci": """
        WITH couverture AS (
            SELECT code_epci, CASE WHEN count(DISTINCT plateforme) = 1 THEN min(plateforme) END AS plateforme
            FROM stg.communes GROUP BY code_epci
        )
        SELECT e.code_epci AS territoire, e.nom_epci AS libelle, e.population_municipale, c.plateforme, e.geometry
        FROM ref.epci e JOIN couverture c USING (code_epci) ORDER BY 1""",
    "commune": """
        SELECT c.code_commune AS territoire, c.nom_commune AS libelle, c.population_municipale, s.plateforme,
               c.geometry
        FROM stg.communes s JOIN ref.communes c USING (code_commune) ORDER BY 1""",
}


def outlines(con: duckdb.DuckDBPyConnection, maille: str) -> pl.DataFrame:
    """territoire, libelle, population_municipale, plateforme (null: covered by none), geometry (WKB)."""
    if maille not in OUTLINES_SQL:
        raise ValueError(f"maille sans contours : {maille}")
    return warehouse.frame(con, OUTLINES_SQL[maille])


def departement_outlines(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Outlines of the départements the découpage touches (context layer of the maps)."""
    return warehouse.frame(con, """
        SELECT code_departement AS territoire, nom_departement AS libelle, population_municipale, geometry
        FROM ref.departements
        WHERE code_departement IN (SELECT DISTINCT code_departement FROM stg.plateforme_communes)""")


def territory_names(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(maille, code) → display name."""
    rows = con.execute("SELECT maille, territoire, libelle FROM stg.territoires").fetchall()
    return {(m, t): label for m, t, label in rows}


def main_departements(con: duckdb.DuckDBPyConnection, share: float = 0.1) -> list[str]:
    """Names of the départements holding at least `share` of the population the platforms cover.

    An EPCI may straddle a border: its few communes in a neighbouring département do not make the plan a
    three-département one.
    """
    rows = con.execute("""
        SELECT d.nom_departement, sum(pc.population_municipale) AS population
        FROM stg.plateforme_communes pc JOIN ref.departements d USING (code_departement)
        GROUP BY 1 ORDER BY 2 DESC""").fetchall()
    total = sum(p or 0 for _, p in rows)
    return [name for name, population in rows if total and (population or 0) / total >= share]


def map_communes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every commune of the départements of the découpage, with its EPCI, platform (null: none) and outline."""
    return warehouse.frame(con, """
        SELECT s.code_commune, s.nom_commune, s.code_epci, s.nom_epci, s.code_departement,
               s.population_municipale, s.plateforme, c.geometry
        FROM stg.communes s JOIN ref.communes c USING (code_commune) ORDER BY 1""")


def platforms(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The platforms of the découpage: plateforme, nb_communes, population_municipale."""
    return warehouse.frame(con, "SELECT plateforme, nb_communes, population_municipale FROM ref.plateformes "
                                "ORDER BY plateforme")
