"""The data of the exports on the command line: masked indicators straight from a warehouse file.

Same interface as the app's `data_access` (`figures.screens.Source`), same masking (`queries.display`).
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import polars as pl

import queries
from etl import warehouse
from queries import geography, targets


class WarehouseSource(contextlib.AbstractContextManager):
    """Masked indicators, outlines and targets read from a warehouse (read-only)."""

    def __init__(self, path: Path, seuil: int | None = None):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"aucun entrepôt à {self.path} : lancez `python -m etl demo` ou importez vos "
                                    "fichiers")
        warehouse.upgrade(self.path)  # a warehouse built by an earlier Copilote gets the current views
        self.con = warehouse.connect_read_only(self.path)
        self.seuil = seuil
        self._cache: dict = {}

    def __exit__(self, *exc) -> None:
        self.con.close()

    def indicator(self, name: str, **params) -> pl.DataFrame:
        kept = queries.accepted_params(name, params)
        key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kept.items())))
        if key not in self._cache:
            self._cache[key] = queries.display(name, self.con, seuil=self.seuil, **kept)
        return self._cache[key]

    def outlines(self, maille: str) -> pl.DataFrame:
        return geography.outlines(self.con, maille)

    def departement_outlines(self) -> pl.DataFrame:
        return geography.departement_outlines(self.con)

    def targets_status(self, fin: date, plateformes: list[str]) -> pl.DataFrame:
        key = ("cibles", fin, tuple(plateformes))
        if key not in self._cache:
            self._cache[key] = targets.targets_status(self.con, fin, plateformes)
        return self._cache[key]

    def map_base(self, maille: str):
        """The features of a level for the maps, built once per source."""
        from figures import maps

        key = ("map_base", maille)
        if key not in self._cache:
            outlines = None if maille == "commune" else self.outlines(maille)
            self._cache[key] = maps.map_base(maille, geography.map_communes(self.con), outlines,
                                             self.departement_outlines())
        return self._cache[key]

    def main_departements(self) -> list[str]:
        return geography.main_departements(self.con)

    def platforms(self) -> pl.DataFrame:
        return geography.platforms(self.con)

    def platform_names(self) -> list[str]:
        return queries.scope_all(self.con)

    def territory_name(self, maille: str, territoire: str) -> str:
        return geography.territory_names(self.con).get((maille, territoire), territoire)
