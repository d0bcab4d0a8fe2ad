"""Données: what the warehouse holds and how fresh it is, the import journal, data quality warnings,
the templates to download, and an upload that runs the real import with its French report.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

import data_access
from etl import templates
from etl.contracts import CONTRACTS, LOAD_ORDER
from etl.load import IDENTICAL, IMPORTED
from figures.formats import fmt_date, fmt_datetime, fmt_int
from ui import router

router.through_entry_point()

st.title("Données")
st.caption("Ce que contient l'entrepôt, d'où viennent les données et comment les mettre à jour.")


def templates_zip() -> bytes:
    """Every import template, zipped; built only when the button is clicked."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in templates.write_templates(Path(tmp)):
            archive.write(path, path.name)
    return buffer.getvalue()


def template_bytes(table: str) -> bytes:
    """One table's template."""
    with tempfile.TemporaryDirectory() as tmp:
        return templates.write_workbook(Path(tmp) / templates.template_name(table), table, ()).read_bytes()


def freshness(last: date | None, today: date) -> str:
    """How old the most recent dated row is, in words."""
    if last is None:
        return "—"
    days = (today - last).days
    return "à jour" if days <= 31 else f"{fmt_int(days)} jours"


def run_import(uploaded: list, table: str | None) -> None:
    """Save the uploaded files under their own names (the name says the table and the version) and import."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for file in uploaded:
            path = Path(tmp) / Path(file.name).name
            path.write_bytes(file.getvalue())
            paths.append(path)
        with st.spinner("Import en cours…"):
            report = data_access.import_files(paths, table)
    st.session_state["rapport_import"] = (report.ok, report.text(), [s.statut for s in report.sheets])


# --- import -------------------------------------------------------------------------------------------

tab_import, tab_status, tab_journal, tab_models = st.tabs(
    ["Importer des fichiers", "Contenu de l'entrepôt", "Journal des imports", "Modèles de fichiers"])

with tab_import:
    st.markdown(
        "Déposez un ou plusieurs fichiers **CSV** (séparateur `;` ou `,`, dates `jj/mm/aaaa`) ou **XLSX** (une "
        "feuille par table, nommée comme la table). La table d'un CSV se déduit de son nom (`saisines_2026.csv`). "
        "Un fichier qui contient une erreur est **rejeté entier** : l'entrepôt ne change pas. Réimporter un fichier "
        "sous le même nom remplace sa version précédente."
    )
    with st.form("import", clear_on_submit=True):
        uploaded = st.file_uploader("Fichiers à importer", type=["csv", "xlsx", "txt"], accept_multiple_files=True)
        forced = st.selectbox("Table (si le nom des fichiers ne la donne pas)", [None, *LOAD_ORDER],
                              format_func=lambda t: "déduite du nom du fichier" if t is None
                              else f"{t} — {CONTRACTS[t].title}")
        submitted = st.form_submit_button("Importer", type="primary")
    if submitted and uploaded:
        run_import(uploaded, forced)
    elif submitted:
        st.warning("Choisissez d'abord un ou plusieurs fichiers.")
    if "rapport_import" in st.session_state:
        ok, text, statuses = st.session_state["rapport_import"]
        if not ok:
            st.error("Import refusé : au moins un fichier contient des erreurs. Les fichiers rejetés n'ont rien "
                     "modifié ; corrigez-les puis déposez-les à nouveau.", icon=":material/error:")
        elif all(s == IDENTICAL for s in statuses):
            st.info("Rien de nouveau : ces fichiers sont identiques à ceux déjà importés.", icon=":material/info:")
        elif IMPORTED in statuses:
            st.success("Import terminé : les pages affichent désormais les nouvelles données.",
                       icon=":material/check_circle:")
        st.code(text, language=None)

if data_access.warehouse_version() is None:
    with tab_status:
        st.warning(f"Aucun entrepôt de données à {data_access.warehouse_path()}. Importez le découpage puis vos "
                   "fichiers ci-dessus, ou chargez la démonstration avec `python -m etl demo`.")
    st.stop()

# --- status -------------------------------------------------------------------------------------------

status = data_access.status()
today = date.today()

with tab_status:
    loaded = status.filter(pl.col("nb_lignes") > 0)
    col1, col2, col3 = st.columns(3)
    col1.metric("Tables alimentées", f"{loaded.height} / {status.height}")
    col2.metric("Lignes chargées", fmt_int(status["nb_lignes"].sum()))
    col3.metric("Dernier import", fmt_datetime(status["dernier_import"].max()))
    table = status.select(
        pl.col("titre").alias("Table"),
        pl.col("nb_lignes").map_elements(fmt_int, return_dtype=pl.Utf8).alias("Lignes"),
        pl.col("nb_fichiers").alias("Fichiers"),
        pl.col("date_debut").map_elements(fmt_date, return_dtype=pl.Utf8).alias("Du"),
        pl.col("date_fin").map_elements(fmt_date, return_dtype=pl.Utf8).alias("Au"),
        pl.col("date_fin").map_elements(lambda d: freshness(d, today), return_dtype=pl.Utf8).alias("Fraîcheur"),
        pl.col("dernier_import").map_elements(fmt_datetime, return_dtype=pl.Utf8).alias("Dernier import"),
    ).with_columns(pl.col("Du", "Au", "Fraîcheur", "Dernier import").fill_null("—"))
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption("Fraîcheur : ancienneté de la donnée datée la plus récente de chaque table.")

    st.subheader("Contrôles de qualité")
    warnings = data_access.quality_warnings().filter(pl.col("nb_lignes") > 0)
    if warnings.is_empty():
        st.success("Aucune anomalie détectée par les contrôles de cohérence.", icon=":material/check_circle:")
    else:
        st.dataframe(warnings.select(pl.col("table_cible").alias("Table"), pl.col("controle").alias("Contrôle"),
                                     pl.col("nb_lignes").alias("Lignes concernées")),
                     hide_index=True, width="stretch")
        st.caption("Ces points n'empêchent pas l'import mais peuvent fausser certains indicateurs.")

    source = data_access.reference_source()
    platforms = data_access.platforms()
    st.subheader("Territoires")
    st.dataframe(platforms.select(
        pl.col("plateforme").alias("Plateforme"), pl.col("nb_communes").alias("Communes"),
        pl.col("population_municipale").map_elements(fmt_int, return_dtype=pl.Utf8).alias("Population municipale"),
    ), hide_index=True, width="stretch")
    st.caption(f"Géographie : {source.get('source', '')} — {source.get('millesime', '')}. Populations municipales "
               "INSEE ; contours simplifiés pour l'affichage (WGS84).")

with tab_journal:
    journal = data_access.journal(200)
    labels = {"importe": "✔ importé", "identique": "= identique", "rejete": "✘ rejeté"}
    st.dataframe(
        journal.select(
            pl.col("date_import").map_elements(fmt_datetime, return_dtype=pl.Utf8).alias("Date"),
            pl.col("fichier").alias("Fichier"),
            pl.col("feuille").alias("Feuille"),
            pl.col("table_cible").alias("Table"),
            pl.col("statut").replace_strict(labels, default=pl.col("statut")).alias("Résultat"),
            pl.col("nb_lignes").alias("Lignes"),
            pl.col("nb_lignes_remplacees").alias("Remplacées"),
            pl.col("nb_erreurs").alias("Erreurs"),
            pl.col("message").alias("Message"),
            pl.col("avertissements").alias("Avertissements"),
        ),
        hide_index=True, width="stretch",
    )

with tab_models:
    st.markdown("Chaque modèle contient une feuille au nom de la table, avec les en-têtes attendus et des listes "
                "déroulantes, et une feuille « Explications » (format et valeurs autorisées de chaque colonne).")
    st.download_button("Télécharger tous les modèles (.zip)", templates_zip, file_name="modeles_copilote.zip",
                       mime="application/zip", icon=":material/folder_zip:", on_click="ignore", type="primary")
    columns = st.columns(3)
    for i, table_name in enumerate(LOAD_ORDER):
        columns[i % 3].download_button(
            f"{CONTRACTS[table_name].title}", lambda t=table_name: template_bytes(t),
            file_name=templates.template_name(table_name), on_click="ignore", key=f"modele_{table_name}",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
