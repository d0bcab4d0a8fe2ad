"""The one data-access layer of the app: read-only warehouse connections and cached reads.

Every cached read is keyed by the warehouse version (inode, mtime, size of the file), so a new import
is seen on the next rerun without restarting the app. The DuckDB connection is shared between sessions
(`cache_resource`): each read uses its own cursor, which makes it thread-safe.

Indicators are only ever read through `queries.display`: what the app shows is masked by the one
confidentiality rule (`queries.confidentiality`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

import queries
from etl import warehouse
from etl.load import LoadReport, load_files
from queries import confidentiality, geography, targets

Version = tuple[int, int, int]


def warehouse_path() -> Path:
    """The warehouse the app serves (COPILOTE_WAREHOUSE, else data/warehouse.duckdb)."""
    return warehouse.default_path()


def warehouse_version() -> Version | None:
    """The current version of the warehouse file, None when there is none yet."""
    path = warehouse_path()
    return warehouse.version(path) if path.exists() else None


@st.cache_resource(max_entries=2)
def _connection(path: str, version: Version) -> duckdb.DuckDBPyConnection:
    if warehouse.upgrade(Path(path)):  # built by an earlier Copilote: views brought up to date first
        return _connection(path, warehouse.version(Path(path)))
    return warehouse.connect_read_only(Path(path))


def _cursor() -> duckdb.DuckDBPyConnection:
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(warehouse_path()))
    return warehouse.read_cursor(_connection(str(warehouse_path()), version))


def _frame(sql: str, params: list | dict | None = None) -> pl.DataFrame:
    return warehouse.frame(_cursor(), sql, params)


# --- indicators ---------------------------------------------------------------------------------------

@st.cache_data(max_entries=512, show_spinner=False)
def _indicator(version: Version, seuil: int, name: str, params: tuple) -> pl.DataFrame:
    return queries.display(name, _cursor(), seuil=seuil, **dict(params))


def indicator(name: str, **params) -> pl.DataFrame:
    """An indicator as it may be shown: small counts masked (`<column>_masque` flags).

    Parameters the indicator does not take (e.g. `public` for a budget indicator) are dropped, so that a
    page can pass the shared filters to every indicator.
    """
    kept = tuple(sorted((k, _hashable(v)) for k, v in queries.accepted_params(name, params).items()))
    return _indicator(warehouse_version(), confidentiality.seuil_secret(), name, kept)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@st.cache_data(max_entries=64, show_spinner=False)
def _targets(version: Version, seuil: int, fin: date, plateformes: tuple[str, ...]) -> pl.DataFrame:
    return targets.targets_status(_cursor(), fin, list(plateformes))


def targets_status(fin: date, plateformes: list[str]) -> pl.DataFrame:
    """The targets of the year of `fin`, with value (masked like the screen) and status."""
    return _targets(warehouse_version(), confidentiality.seuil_secret(), fin, tuple(plateformes))


# --- territories --------------------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def _platforms(version: Version) -> pl.DataFrame:
    return geography.platforms(_cursor())


def platforms() -> pl.DataFrame:
    """The platforms of the découpage with their number of communes and population."""
    return _platforms(warehouse_version())


def platform_names() -> list[str]:
    """Every platform the viewer may see (no roles yet: all of them)."""
    return platforms()["plateforme"].to_list()


@st.cache_data(max_entries=32, show_spinner=False)
def _outlines(version: Version, maille: str) -> pl.DataFrame:
    return geography.outlines(_cursor(), maille)


def outlines(maille: str) -> pl.DataFrame:
    """Outlines (WKB) of the territories of a level in the départements of the découpage.

    Columns: territoire, libelle, population_municipale, plateforme (null: covered by no platform), geometry.
    """
    return _outlines(warehouse_version(), maille)


@st.cache_data(max_entries=8, show_spinner=False)
def _departement_outlines(version: Version) -> pl.DataFrame:
    return geography.departement_outlines(_cursor())


def departement_outlines() -> pl.DataFrame:
    """Outlines of the départements the découpage touches (context layer of the maps)."""
    return _departement_outlines(warehouse_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _main_departements(version: Version) -> list[str]:
    return geography.main_departements(_cursor())


def main_departements() -> list[str]:
    """The départements the plan covers (not those an EPCI barely straddles), for titles of documents."""
    return _main_departements(warehouse_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _territory_names(version: Version) -> dict[tuple[str, str], str]:
    return geography.territory_names(_cursor())


def territory_name(maille: str, territoire: str) -> str:
    """The display name of a territory code (« 62 » → « Pas-de-Calais », « ensemble » → « Ensemble »)."""
    return _territory_names(warehouse_version()).get((maille, territoire), territoire)


# --- data span and status -----------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def _data_span(version: Version) -> tuple[date | None, date | None]:
    return _cursor().execute("SELECT min(date_saisine), max(date_saisine) FROM raw.saisines").fetchone()


def data_span() -> tuple[date | None, date | None]:
    """First and last referral dates: the years the period filter offers."""
    return _data_span(warehouse_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _status(version: Version) -> pl.DataFrame:
    return warehouse.status_frame(_cursor())


def status() -> pl.DataFrame:
    """Per table: rows, files, period covered, last import."""
    return _status(warehouse_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _journal(version: Version, limit: int) -> pl.DataFrame:
    return _frame(
        "SELECT import_id, date_import, fichier, feuille, table_cible, statut, nb_lignes, nb_lignes_remplacees, "
        "nb_erreurs, message, array_to_string(avertissements, ' ; ') AS avertissements "
        "FROM meta.imports ORDER BY import_id DESC LIMIT ?", [limit],
    )


def journal(limit: int = 50) -> pl.DataFrame:
    """The latest imports, newest first."""
    return _journal(warehouse_version(), limit)


@st.cache_data(max_entries=8, show_spinner=False)
def _reference_source(version: Version) -> dict[str, str]:
    return dict(_cursor().execute("SELECT cle, valeur FROM ref.source").fetchall())


def reference_source() -> dict[str, str]:
    """Source and vintage of the geography."""
    return _reference_source(warehouse_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _quality_warnings(version: Version) -> pl.DataFrame:
    return _frame("""
        SELECT 'accompagnements' AS table_cible, 'mesures sans saisine d''origine renseignée' AS controle,
               count(*) AS nb_lignes FROM raw.accompagnements WHERE id_saisine IS NULL
        UNION ALL
        SELECT 'saisines', 'saisines en attente de décision depuis plus de 60 jours', count(*)
        FROM raw.saisines WHERE decision = 'en_attente' AND date_saisine < current_date - 60
        UNION ALL
        SELECT 'saisines', 'situations sans commune renseignée', count(*)
        FROM raw.saisines WHERE type_sollicitation = 'situation' AND code_commune IS NULL
        UNION ALL
        SELECT 'logements', 'entrées de ménages sans saisine connue', count(*)
        FROM raw.logements l WHERE NOT EXISTS (SELECT 1 FROM raw.saisines s WHERE s.id_menage = l.id_menage)
        UNION ALL
        SELECT 'accompagnements', 'mesures terminées sans bilan à 3 mois alors qu''elles ont duré plus de 4 mois',
               count(*)
        FROM raw.accompagnements WHERE date_bilan_3m IS NULL AND date_fin > date_debut + INTERVAL 4 MONTH
        UNION ALL
        SELECT 'financements', 'lignes de financement sans aucun mouvement', count(*)
        FROM raw.financements f
        WHERE NOT EXISTS (SELECT 1 FROM raw.depenses d WHERE d.id_financement = f.id_financement)
    """)


def quality_warnings() -> pl.DataFrame:
    """Data quality checks that do not block an import but deserve a look: table, check, number of rows."""
    return _quality_warnings(warehouse_version())


# --- imports ------------------------------------------------------------------------------------------

def import_files(paths: list[Path], table: str | None = None) -> LoadReport:
    """Run the real import on uploaded files; the app sees the new warehouse on its next read."""
    return load_files(paths, warehouse_path(), table=table)


# --- maps (Territoires page) --------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def _map_communes(version: Version) -> pl.DataFrame:
    return geography.map_communes(_cursor())


@st.cache_resource(max_entries=16, show_spinner=False)
def _map_base(version: Version, maille: str):
    from figures import maps

    return maps.map_base(maille, _map_communes(version), None if maille == "commune" else outlines(maille),
                         departement_outlines())


def map_base(maille: str):
    """The GeoJSON features of a level for the maps (`figures.maps.MapBase`), built once per warehouse version.

    Shared between sessions without copy (`cache_resource`: building or unpickling the features of hundreds of
    communes on every rerun would cost more than the rest of the page): read-only, never modify it.
    """
    return _map_base(warehouse_version(), maille)
