"""A national-scale data set for the ETL benchmark: one platform per EPCI over all France, 2022-2025.

Written as CSV files the way French Excel exports them (`;` separator, dd/mm/yyyy dates, decimal comma,
UTF-8 with BOM), one per table, named after the table. Generated vectorised with numpy and polars: a
million referrals take seconds. The values follow the contracts (the load must be accepted) and the
shapes of the Pas-de-Calais demo (`etl.demo`), without its care for small details.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from etl import contracts as c
from etl import demo, geo

START, END = date(2022, 1, 1), date(2025, 12, 31)
YEARS = range(START.year, END.year + 1)
N_MONTHS = 12 * len(YEARS)
# Frequent combinations of publics (None: no specific public), with their weights.
PUBLICS_COMBOS = {
    None: 0.45, "sante_mentale": 0.12, "addictions": 0.06, "sante_mentale|addictions": 0.06,
    "violences_intrafamiliales": 0.08, "jeune_vulnerable": 0.05, "jeune_vulnerable|sortant_ase": 0.03,
    "expulsion": 0.07, "errance": 0.04, "errance|addictions": 0.02, "sortant_prison": 0.02,
}
W_DECISION = {"acceptee": 0.7, "reorientee": 0.12, "refusee": 0.08, "sans_suite": 0.1}
SHARE_ESPACE_RESSOURCE = 0.08
SHARE_HOUSED = 0.45
CSV_OPTIONS = {"separator": ";", "date_format": "%d/%m/%Y", "decimal_comma": True, "include_bom": True}


def generate(out_dir: Path, n_saisines: int = 1_000_000, seed: int = 1) -> list[Path]:
    """Write one CSV per table into `out_dir` (≥ `n_saisines` referrals); return their paths in load order."""
    rng = np.random.default_rng(seed)
    territory = Territory.load()
    referrals = saisines(rng, territory, n_saisines)
    measures = accompagnements(rng, referrals)
    funding = financements(territory)
    tables = {
        "decoupage": territory.decoupage(),
        "saisines": referrals,
        "accompagnements": measures,
        "logements": logements(rng, measures, referrals),
        "instances": instances(rng, territory),
        "captations": captations(rng, territory),
        "financements": funding,
        "depenses": depenses(rng, funding),
        "postes": postes(territory),
        "plan_actions": demo.action_plan(END),
        "cibles": cibles(territory, referrals, measures),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in c.LOAD_ORDER:
        path = out_dir / f"{table}.csv"
        tables[table].select(c.CONTRACTS[table].column_names).write_csv(path, **CSV_OPTIONS)
        paths.append(path)
    return paths


# --- helpers ------------------------------------------------------------------------------------------

def categorical(rng: np.random.Generator, weights: dict, n: int) -> pl.Series:
    """`n` values drawn with the given weights, as a text column (None keys give nulls)."""
    keys = list(weights)
    p = np.array(list(weights.values()), dtype=float)
    codes = rng.choice(len(keys), n, p=p / p.sum())
    return pl.Series(codes, dtype=pl.UInt32).replace_strict(dict(enumerate(keys)), return_dtype=pl.Utf8)


def weighted(values: tuple, weights: tuple) -> dict:
    return dict(zip(values, weights, strict=True))


def as_dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype("datetime64[D]"), dtype=pl.Date)


def random_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` days of the period, with the demo's monthly seasonality."""
    months = np.arange(np.datetime64(f"{START.year}-01", "M"), np.datetime64(f"{END.year + 1}-01", "M"))
    lengths = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(int)
    p = np.tile(demo.MONTH_WEIGHTS, len(YEARS)) * lengths
    month = rng.choice(len(months), n, p=p / p.sum())
    offset = np.floor(rng.random(n) * lengths[month]).astype(int)
    return months[month].astype("datetime64[D]") + offset


def prefixed(prefix: str, n: int) -> pl.Series:
    """`prefix0`, `prefix1`, … as text."""
    return pl.select(pl.concat_str(pl.lit(prefix), pl.int_range(0, n).cast(pl.Utf8))).to_series()


def keep_where(series: pl.Series, mask: np.ndarray) -> pl.Series:
    """The values where `mask` holds, null elsewhere."""
    frame = pl.DataFrame({"v": series, "m": mask})
    return frame.select(pl.when(pl.col("m")).then(pl.col("v"))).to_series().alias(series.name)


def short_name(name: pl.Expr) -> pl.Expr:
    """`CA du Boulonnais` for `Communauté d'agglomération du Boulonnais`: how coordinators name them."""
    return (name.str.replace(r"^Communauté de communes\b", "CC").str.replace(r"^Communauté d'agglomération\b", "CA")
            .str.replace(r"^Communauté urbaine\b", "CU"))


class Territory:
    """Platforms (one per EPCI, named after it), their population and their communes."""

    def __init__(self, platforms: pl.DataFrame, communes: pl.DataFrame):
        self.platforms = platforms  # plateforme, code_epci, population (index = platform number)
        self.communes = communes  # code_commune, platform number, population, sorted by platform
        pop = communes["population_municipale"].to_numpy().astype(float) + 1.0  # every commune may be drawn
        self._cum = np.cumsum(pop)
        idx = communes["idx"].to_numpy()
        self._first = np.searchsorted(idx, np.arange(platforms.height), side="left")
        self._last = np.searchsorted(idx, np.arange(platforms.height), side="right") - 1
        self._base = np.where(self._first > 0, self._cum[np.maximum(self._first - 1, 0)], 0.0)
        self._span = self._cum[self._last] - self._base

    @classmethod
    def load(cls) -> Territory:
        folder = geo.reference_dir()
        epci = pl.read_parquet(folder / "epci.parquet", columns=["code_epci", "nom_epci"])
        communes = pl.read_parquet(folder / "communes.parquet",
                                   columns=["code_commune", "population_municipale", "code_epci"])
        communes = communes.filter(pl.col("code_epci").is_not_null())
        platforms = (
            communes.group_by("code_epci").agg(pl.col("population_municipale").sum().alias("population"))
            .join(epci, on="code_epci").sort("code_epci")
            .with_columns(short_name(pl.col("nom_epci")).alias("nom"))
            .with_columns(
                # EPCI names are not unique across France: the SIREN disambiguates.
                pl.when(pl.col("nom").is_duplicated())
                .then(pl.format("{} ({})", pl.col("nom"), pl.col("code_epci")))
                .otherwise(pl.col("nom")).alias("plateforme")
            ).drop("nom").with_row_index("idx")
        )
        communes = communes.join(platforms.select("code_epci", "idx"), on="code_epci").sort("idx", "code_commune")
        return cls(platforms, communes)

    @property
    def n(self) -> int:
        return self.platforms.height

    def names(self, idx: np.ndarray) -> pl.Series:
        return self.platforms["plateforme"].gather(idx)

    def draw_platforms(self, rng: np.random.Generator, n: int) -> np.ndarray:
        pop = self.platforms["population"].to_numpy().astype(float)
        return rng.choice(self.n, n, p=pop / pop.sum())

    def draw_communes(self, rng: np.random.Generator, platform: np.ndarray) -> pl.Series:
        """A commune of each platform, weighted by population."""
        u = self._base[platform] + rng.random(len(platform)) * self._span[platform]
        idx = np.clip(np.searchsorted(self._cum, u, side="right"), self._first[platform], self._last[platform])
        return self.communes["code_commune"].gather(idx)

    def decoupage(self) -> pl.DataFrame:
        return self.platforms.select("plateforme", "code_epci", pl.lit(None, pl.Utf8).alias("code_commune"))


# --- tables -------------------------------------------------------------------------------------------

def saisines(rng: np.random.Generator, territory: Territory, n: int) -> pl.DataFrame:
    """Referrals; one household in ten was referred before (same id, another referral)."""
    platform = territory.draw_platforms(rng, n)
    day = random_days(rng, n)
    situation = rng.random(n) >= SHARE_ESPACE_RESSOURCE
    household = np.arange(n)
    again = situation & (rng.random(n) < 0.1)
    household[again] = rng.integers(0, n, int(again.sum()))
    composition = categorical(rng, weighted(c.COMPOSITIONS, demo.W_COMPOSITION), n)
    extra = rng.choice([1, 2, 3, 4], n, p=[0.4, 0.32, 0.18, 0.1])
    delay = 1 + np.minimum(np.round(rng.gamma(1.6, 8.0, n)), 70).astype(int)
    waiting = day + delay > np.datetime64(END)
    decision = pl.DataFrame({"d": categorical(rng, W_DECISION, n), "situation": situation, "waiting": waiting,
                             "advice": rng.random(n) < 0.7}).select(
        pl.when(pl.col("waiting")).then(pl.lit("en_attente"))
        .when(pl.col("situation")).then(pl.col("d"))
        .when(pl.col("advice")).then(pl.lit("sans_suite")).otherwise(pl.lit("reorientee"))
    ).to_series()
    frame = pl.DataFrame({
        "id_saisine": prefixed("S", n),
        "date_saisine": as_dates(day),
        "plateforme": territory.names(platform),
        "type_sollicitation": pl.Series(np.where(situation, "situation", "espace_ressource")),
        "id_menage": keep_where(prefixed("H", n).gather(household), situation),
        "code_commune": territory.draw_communes(rng, platform),
        "orienteur": categorical(rng, weighted(c.ORIENTEURS, demo.W_ORIENTEUR), n),
        "composition": composition,
        "tranche_age": categorical(rng, weighted(c.TRANCHES_AGE, demo.W_TRANCHE_AGE), n),
        "sexe": categorical(rng, {"F": 0.48, "M": 0.515, "X": 0.005}, n),
        "situation_logement": categorical(rng, weighted(c.SITUATIONS_LOGEMENT, demo.W_SITUATION), n),
        "publics": categorical(rng, PUBLICS_COMBOS, n),
        "decision": decision,
        "date_decision": as_dates(np.where(waiting, np.datetime64("NaT"), day + delay)),
        "_extra": extra,
    })
    size = (pl.when(pl.col("composition") == "personne_seule").then(1)
            .when(pl.col("composition") == "couple_sans_enfant").then(2)
            .when(pl.col("composition") == "famille_monoparentale").then(1 + pl.col("_extra"))
            .when(pl.col("composition") == "couple_avec_enfants").then(2 + pl.col("_extra"))
            .otherwise(pl.col("_extra")))
    personal = ["composition", "tranche_age", "sexe", "situation_logement", "publics"]
    return frame.with_columns(
        pl.when(pl.col("type_sollicitation") == "situation").then(size).alias("nb_personnes"),
        *[pl.when(pl.col("type_sollicitation") == "situation").then(pl.col(k)).alias(k) for k in personal],
    ).drop("_extra")


def accompagnements(rng: np.random.Generator, referrals: pl.DataFrame) -> pl.DataFrame:
    """A measure for every accepted referral of a household."""
    accepted = referrals.filter((pl.col("decision") == "acceptee") & pl.col("id_menage").is_not_null())
    n = accepted.height
    decided = accepted["date_decision"].to_numpy().astype("datetime64[D]")
    start = decided + 3 + np.round(rng.gamma(2.0, 5.0, n)).astype(int)
    duration = np.clip(np.round(300 * rng.lognormal(0, 0.5, n)), 45, 1100).astype(int)
    end = start + duration
    ended = end <= np.datetime64(END)
    motif = categorical(rng, weighted(c.MOTIFS_FIN, demo.W_MOTIF_FIN), n)
    reviews = {}
    for months, chance in demo.REVIEW_SENT.items():
        received = demo.add_months(start, months) + rng.integers(-10, 60, n)
        keep = (rng.random(n) < chance) & (received > start) & (~ended | (received <= end)) \
            & (received <= np.datetime64(END))
        reviews[f"date_bilan_{months}m"] = as_dates(np.where(keep, received, np.datetime64("NaT")))
    return pl.DataFrame({
        "id_accompagnement": prefixed("A", n),
        "id_menage": accepted["id_menage"],
        "id_saisine": accepted["id_saisine"],
        "plateforme": accepted["plateforme"],
        "mesure": categorical(rng, weighted(c.MESURES, demo.W_MESURE), n),
        "operateur": prefixed("Opérateur ", n).gather(rng.integers(0, 400, n)),
        "date_debut": as_dates(start),
        **reviews,
        "date_fin": as_dates(np.where(ended, end, np.datetime64("NaT"))),
        "motif_fin": keep_where(motif, ended),
    })


def logements(rng: np.random.Generator, measures: pl.DataFrame, referrals: pl.DataFrame) -> pl.DataFrame:
    """Entries into housing for about half the supported households, some leaving later."""
    housed = measures.filter(pl.Series(rng.random(measures.height) < SHARE_HOUSED))
    n = housed.height
    entry = housed["date_debut"].to_numpy().astype("datetime64[D]") + rng.integers(0, 300, n)
    u = rng.random(n)
    exit_ = entry + rng.integers(30, 700, n)
    leaves = (u < 0.25) & (exit_ <= np.datetime64(END))
    communes = referrals.select("id_saisine", "code_commune")
    frame = pl.DataFrame({
        "id_menage": housed["id_menage"],
        "plateforme": housed["plateforme"],
        "date_entree": as_dates(entry),
        "type_logement": categorical(rng, demo.W_TYPE_LOGEMENT, n),
        "id_saisine": housed["id_saisine"],
        "date_sortie": as_dates(np.where(leaves, exit_, np.datetime64("NaT"))),
        "motif_sortie": keep_where(pl.Series(np.where(u < 0.05, "relogement", "depart_volontaire")), leaves),
    })
    frame = frame.join(communes, on="id_saisine", how="left").drop("id_saisine")
    # A household referred twice could enter two dwellings the same day: the key forbids it.
    return frame.unique(["id_menage", "date_entree"], keep="first", maintain_order=True)


def instances(rng: np.random.Generator, territory: Territory) -> pl.DataFrame:
    """Per platform and month: a coordination meeting, a commission de fluidité, some concertations."""
    months = np.arange(np.datetime64(f"{START.year}-01", "M"), np.datetime64(f"{END.year + 1}-01", "M"))
    platform = np.repeat(np.arange(territory.n), len(months))
    month = np.tile(months, territory.n)
    kinds = []
    for kind, mask, participants, situations in (
        ("coordination", (month.astype(int) % 12) != 7, (6, 15), (3, 11)),
        ("commission_fluidite", ~np.isin(month.astype(int) % 12, (7, 11)), (8, 17), (4, 13)),
        ("concertation", rng.random(len(month)) < 0.6, (3, 8), (1, 4)),
    ):
        m = int(mask.sum())
        day = month[mask].astype("datetime64[D]") + rng.integers(0, 28, m)
        kinds.append(pl.DataFrame({
            "date": as_dates(day), "plateforme": territory.names(platform[mask]), "type_instance": [kind] * m,
            "nb_participants": rng.integers(*participants, m), "nb_situations": rng.integers(*situations, m),
        }))
    return pl.concat(kinds)


def captations(rng: np.random.Generator, territory: Territory) -> pl.DataFrame:
    """Captured dwellings: about one a year per 5 000 inhabitants."""
    pop = territory.platforms["population"].to_numpy()
    counts = rng.poisson(np.maximum(pop / 5_000, 1) * len(YEARS))
    platform = np.repeat(np.arange(territory.n), counts)
    n = len(platform)
    parc = np.where(rng.random(n) < 0.6, "prive", "social")
    return pl.DataFrame({
        "date": as_dates(random_days(rng, n)),
        "plateforme": territory.names(platform),
        "code_commune": territory.draw_communes(rng, platform),
        "parc": parc,
        "dispositif": categorical(rng, {"IML": 0.5, "bail_glissant": 0.2, "mandat_de_gestion": 0.15,
                                        "contingent_prefectoral": 0.15}, n),
        "typologie": categorical(rng, {"T1": 0.3, "T2": 0.35, "T3": 0.2, "T4": 0.1, "T5": 0.05}, n),
        "nb_logements": np.where(rng.random(n) < 0.8, 1, rng.integers(2, 5, n)),
    })


def postes(territory: Territory) -> pl.DataFrame:
    """One coordinator per platform and year (1.5 ETP above 150 000 inhabitants)."""
    years = pl.DataFrame({"annee": list(YEARS)})
    return territory.platforms.join(years, how="cross").select(
        "plateforme", "annee",
        pl.when(pl.col("population") > 150_000).then(1.5).otherwise(1.0).alias("etp"),
        operateur=pl.format("Opérateur {}", pl.col("idx") % 400),
    ).with_columns(
        (pl.col("etp") * 55_000 * (1.015 ** (pl.col("annee") - START.year))).round(0).alias("cout_annuel")
    )


def financements(territory: Territory) -> pl.DataFrame:
    """Posts (FSE+, Département capped, Ségur) and DIHAL support lines per platform and year."""
    rules = demo.RULES
    posts = postes(territory).join(territory.platforms.select("plateforme", "idx"), on="plateforme")

    def line(prefix: str, financeur: str, action: str, axe: int, amount: pl.Expr, rate: float | None,
             signed: tuple[int, int]) -> pl.DataFrame:
        return posts.select(
            pl.format("{}-{}-{}", pl.lit(prefix), pl.col("annee"), pl.col("idx")).alias("id_financement"),
            pl.lit(financeur).alias("financeur"), "annee", pl.lit(action).alias("action"), pl.lit(axe).alias("axe"),
            "plateforme", amount.round(2).alias("montant_conventionne"),
            pl.lit(rate, pl.Float64).alias("taux_cofinancement"),
            pl.date(pl.col("annee"), *signed).alias("date_signature"),
        )

    cost, etp = pl.col("cout_annuel"), pl.col("etp")
    return pl.concat([
        line("FSE", "FSE+", demo.ACTION_POSTES, 5, cost * rules.fse_rate, rules.fse_rate, (4, 14)),
        line("DEP", "Departement", demo.ACTION_POSTES, 5,
             pl.min_horizontal(cost * rules.departement_rate, etp * rules.departement_cap_per_etp),
             rules.departement_rate, (2, 3)),
        line("SEG", "Segur", demo.ACTION_SEGUR, 5, etp * rules.segur_per_etp, None, (3, 1)),
        line("DIHAL", "DIHAL", demo.ACTION_ACCOMPAGNEMENT, 3, (cost * 0.012).round(0) * 100, None, (5, 17)),
    ])


def depenses(rng: np.random.Generator, funding: pl.DataFrame) -> pl.DataFrame:
    """Per line: the engagement at signature, twelve monthly payments, one receipt."""
    n = funding.height
    amount = funding["montant_conventionne"].to_numpy()
    year = funding["annee"].to_numpy()
    ids = funding["id_financement"]
    nature = pl.Series(np.where(funding["action"].is_in([demo.ACTION_POSTES, demo.ACTION_SEGUR]).to_numpy(),
                                "personnel", "prestation"))
    engagements = pl.DataFrame({"date": funding["date_signature"], "id_financement": ids, "nature": nature,
                                "mouvement": ["engagement"] * n, "montant": amount})
    month = np.tile(np.arange(12), n)
    line = np.repeat(np.arange(n), 12)
    first_day = (year[line] - 1970) * 12 + month
    payments = pl.DataFrame({
        "date": as_dates(first_day.astype("datetime64[M]").astype("datetime64[D]") + 14),
        "id_financement": ids.gather(line), "nature": nature.gather(line), "mouvement": ["paiement"] * (12 * n),
        "montant": np.round(amount[line] / 12 * rng.uniform(0.85, 1.1, 12 * n), 2),
    })
    receipts = pl.DataFrame({
        "date": as_dates(((year + 1 - 1970) * 12 + 5).astype("datetime64[M]").astype("datetime64[D]")),
        "id_financement": ids, "nature": nature, "mouvement": ["versement_recu"] * n, "montant": amount,
    })
    return pl.concat([engagements, payments, receipts]).sort("date")


def cibles(territory: Territory, referrals: pl.DataFrame, measures: pl.DataFrame) -> pl.DataFrame:
    """Yearly targets per platform (referrals, measures), ten percent above the year's activity."""
    per_year = []
    for frame, column, indicator in ((referrals, "date_saisine", "saisines"),
                                     (measures, "date_debut", "accompagnements_debutes")):
        per_year.append(frame.group_by("plateforme", pl.col(column).dt.year().alias("annee")).len().select(
            pl.lit(indicator).alias("indicateur"), "plateforme", "annee",
            (pl.col("len") * 1.1).round(0).alias("valeur_cible"),
        ).filter(pl.col("annee").is_between(START.year, END.year)))
    overall = pl.DataFrame({"indicateur": ["taux_sortie_positive"] * len(YEARS), "plateforme": [None] * len(YEARS),
                            "annee": list(YEARS), "valeur_cible": [0.55] * len(YEARS)},
                           schema_overrides={"plateforme": pl.Utf8, "annee": pl.Int32})
    return pl.concat([*per_year, overall], how="vertical_relaxed").sort("indicateur", "plateforme", "annee")
