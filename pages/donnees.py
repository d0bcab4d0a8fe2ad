"""Données: what the warehouse holds, how fresh it is, and the import journal."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

import data_access
from figures.formats import fmt_date, fmt_datetime, fmt_int

st.title("Données chargées")

if data_access.warehouse_version() is None:
    st.warning(
        f"Aucun entrepôt de données à {data_access.warehouse_path()}. Chargez la démonstration avec "
        "`python -m etl demo` ou vos fichiers avec `python -m etl load FICHIER…`."
    )
    st.stop()

status = data_access.status()
today = date.today()

loaded = status.filter(pl.col("nb_lignes") > 0)
col1, col2, col3 = st.columns(3)
col1.metric("Tables alimentées", f"{loaded.height} / {status.height}")
col2.metric("Lignes chargées", fmt_int(status["nb_lignes"].sum()))
last_import = status["dernier_import"].max()
col3.metric("Dernier import", fmt_datetime(last_import))


def freshness(last: date | None) -> str:
    """How old the most recent dated row is, in words."""
    if last is None:
        return "—"
    days = (today - last).days
    return "à jour" if days <= 31 else f"{days} jours"


table = status.select(
    pl.col("titre").alias("Table"),
    pl.col("nb_lignes").map_elements(fmt_int, return_dtype=pl.Utf8).alias("Lignes"),
    pl.col("nb_fichiers").alias("Fichiers"),
    pl.col("date_debut").map_elements(fmt_date, return_dtype=pl.Utf8).alias("Du"),
    pl.col("date_fin").map_elements(fmt_date, return_dtype=pl.Utf8).alias("Au"),
    pl.col("date_fin").map_elements(freshness, return_dtype=pl.Utf8).alias("Fraîcheur"),
    pl.col("dernier_import").map_elements(fmt_datetime, return_dtype=pl.Utf8).alias("Dernier import"),
)
st.dataframe(table, hide_index=True, width="stretch")

source = data_access.reference_source()
st.caption(f"Géographie : {source.get('source', '')} — {source.get('millesime', '')}.")

st.subheader("Journal des imports")
journal = data_access.journal(50)
labels = {"importe": "✔ importé", "identique": "= identique", "rejete": "✘ rejeté"}
st.dataframe(
    journal.select(
        pl.col("date_import").map_elements(fmt_datetime, return_dtype=pl.Utf8).alias("Date"),
        pl.col("fichier").alias("Fichier"),
        pl.col("feuille").alias("Feuille"),
        pl.col("table_cible").alias("Table"),
        pl.col("statut").replace_strict(labels, default=pl.col("statut")).alias("Résultat"),
        pl.col("nb_lignes").alias("Lignes"),
        pl.col("nb_erreurs").alias("Erreurs"),
        pl.col("message").alias("Message"),
    ),
    hide_index=True,
    width="stretch",
)
