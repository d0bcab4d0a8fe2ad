"""Demonstration data: seven Logement d'abord platforms of Pas-de-Calais, from January 2022 to today.

`generate` writes one XLSX file per table in the templates' format (`etl.templates.write_workbook`); the
files then go through the normal import path (`python -m etl demo`). The data are invented but shaped
like the real thing (domain.md, "Orders of magnitude"): 30-50 new support measures per platform and per
year, ~70 % of decided referrals accepted, decision delays of days to weeks, a summer dip and an autumn
rise, growth over the years, 80-90 % of households still housed after 12 months, funding lines that
follow the conventions' rules. Households live in real communes of their platform, drawn by population.

Everything random comes from one `numpy.random.default_rng(seed)`, and the only clock is `today`: the
same seed and day give byte-identical files. `generate_national` (in `etl.national`) builds the
nation-wide data set of the ETL benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from etl import contracts as c
from etl import geo, templates

START = date(2022, 1, 1)
REFERRAL_KEY = "_saisine"  # links a measure to its referral until referrals get their ids
UNCOVERED_EPCI = "200033579"  # CU d'Arras: covered by no demo platform


@dataclass(frozen=True)
class DemoPlatform:
    """One demonstration platform: its EPCIs and how busy it is."""

    name: str
    code: str  # short code used in identifiers
    epcis: tuple[str, ...]
    measures_2022: int  # new support measures in 2022, before growth
    acceptance: float  # share of decided referrals accepted
    operators: tuple[str, ...]


# domain.md section 2. Sizes roughly follow population; the Montreuillois is small but busy (seasonal
# work and coastal tourism), so it takes more referrals than its size and accepts fewer.
PLATFORMS = (
    DemoPlatform("Lens-Hénin", "LH", ("246200364", "246200299"), 43, 0.73,
                 ("Association Horizon Logement", "Solidarité Bassin Minier")),
    DemoPlatform("Artois", "AR", ("200072460", "245900758"), 41, 0.71,
                 ("Artois Accompagnement", "Association Habitat et Insertion")),
    DemoPlatform("Boulonnais", "BO", ("246200729", "200018083", "246200380"), 37, 0.72,
                 ("Côte d'Opale Solidarités", "Association Accueil et Logement")),
    DemoPlatform("Audomarois", "AU", ("200069037", "246201016"), 35, 0.74,
                 ("Audomarois Insertion Logement", "Association Habitat et Insertion")),
    DemoPlatform("Montreuillois", "MO", ("200069029", "200069235", "200044030"), 37, 0.62,
                 ("Association Sept Vallées Solidaires", "Côte d'Opale Solidarités")),
    DemoPlatform("Calaisis", "CA", ("200090751", "200072478", "246200844"), 38, 0.67,
                 ("Calaisis Accueil", "Association Accueil et Logement")),
    DemoPlatform("Ternois-Arrageois", "TA", ("200069672", "200069482", "200035442", "200044048"), 34, 0.75,
                 ("Ternois Solidarité", "Artois Accompagnement")),
)
PLATFORM_NAMES = tuple(p.name for p in PLATFORMS)

# Monthly seasonality of referrals and measure starts: summer dip, autumn rise.
MONTH_WEIGHTS = np.array([1.0, 1.0, 1.1, 1.05, 1.0, 0.95, 0.7, 0.5, 1.15, 1.25, 1.2, 0.85])
MEASURES_MIN, MEASURES_MAX = 31, 49  # new measures per platform and full year (domain: 30-50)

# Value weights, in the order of the contracts' value lists.
W_ORIENTEUR = (0.28, 0.14, 0.12, 0.16, 0.15, 0.06, 0.03, 0.03, 0.03)
W_COMPOSITION = (0.52, 0.08, 0.25, 0.12, 0.03)
W_TRANCHE_AGE = (0.14, 0.25, 0.33, 0.22, 0.06)
W_SITUATION = (0.10, 0.07, 0.16, 0.12, 0.17, 0.06, 0.17, 0.07, 0.08)
W_MESURE = (0.36, 0.20, 0.14, 0.12, 0.08, 0.06, 0.04)
W_MOTIF_FIN = (0.36, 0.20, 0.10, 0.10, 0.08, 0.10, 0.02, 0.04)  # 56 % positive
NEGATIVE_EXITS = ("rupture", "non_adhesion", "reorientation")
W_DECISION_NON_ACCEPTEE = {"reorientee": 0.42, "refusee": 0.25, "sans_suite": 0.33}
# Housing entered at the end of a measure (acces_logement): social housing dominates.
W_TYPE_LOGEMENT = {"parc_social": 0.58, "parc_prive": 0.10, "IML": 0.04, "bail_glissant": 0.02,
                   "pension_de_famille": 0.09, "residence_accueil": 0.05, "residence_sociale": 0.10, "autre": 0.02}
W_MOTIF_SORTIE = {"expulsion": 0.15, "depart_volontaire": 0.35, "hospitalisation": 0.12, "incarceration": 0.08,
                  "deces": 0.08, "autre": 0.22}
# Months of a measure's length (median), by kind of measure.
MEDIAN_MONTHS = {"accompagnement_renforce": 12, "AVDL": 9, "ASLL": 7, "IML": 15, "bail_glissant": 15,
                 "chez_soi_dabord": 24, "autre": 8}
# A review (bilan) is sent at all with these chances, at 3 (informal), 6 and 12 months.
REVIEW_SENT = {3: 0.6, 6: 0.88, 12: 0.85}
# Within 12 months of entry: left for a non-relogement reason / relogement. Retention lands near 85 %.
P_EXIT_12M, P_RELOGEMENT_12M, P_EXIT_LATER = 0.14, 0.05, 0.12


# --- small date helpers ---------------------------------------------------------------------------------

def to_days(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Same day `months` later (clipped to the month's last day), on datetime64[D] arrays."""
    month = days.astype("datetime64[M]")
    offset = (days - month.astype("datetime64[D]")).astype(int)
    target = month + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(int)
    return target.astype("datetime64[D]") + np.minimum(offset, length - 1)


def to_workday(days: np.ndarray, forward: bool = True) -> np.ndarray:
    """Move week-end days to the next Monday (or the previous Friday): offices are closed."""
    weekday = (days.astype("datetime64[D]").astype(int) + 3) % 7  # Monday = 0
    if forward:
        return days + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    return days - np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))


def workdays(year: int, month: int) -> np.ndarray:
    first = np.datetime64(f"{year}-{month:02d}", "M")
    days = np.arange(first.astype("datetime64[D]"), (first + 1).astype("datetime64[D]"))
    return days[(days.astype(int) + 3) % 7 < 5]


def seasonal_dates(rng: np.random.Generator, year: int, n: int) -> np.ndarray:
    """`n` working days of `year`, spread over the months by the seasonal weights, sorted."""
    months = rng.multinomial(n, MONTH_WEIGHTS / MONTH_WEIGHTS.sum())
    parts = [rng.choice(workdays(year, m + 1), k) for m, k in enumerate(months) if k]
    return np.sort(np.concatenate(parts)) if parts else np.array([], dtype="datetime64[D]")


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday = 0) of a month: the fixed day of a recurring meeting."""
    days = workdays(year, month)
    return days[(days.astype(int) + 3) % 7 == weekday][n - 1].item()


def pick(rng: np.random.Generator, values: tuple | list, weights, size: int) -> np.ndarray:
    p = np.asarray(list(weights.values()) if isinstance(weights, dict) else weights, dtype=float)
    keys = list(weights) if isinstance(weights, dict) else list(values)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size, p=p / p.sum())]


def growth(year: int) -> float:
    """Activity grows ~4 % a year from 2022, then levels off."""
    return min(1.0 + 0.04 * (year - START.year), 1.2)


def years(today: date) -> range:
    return range(START.year, today.year + 1)


# --- reference geography ------------------------------------------------------------------------------

def demo_communes() -> pl.DataFrame:
    """The communes of the demo platforms (plateforme, code_commune, population_municipale)."""
    communes = pl.read_parquet(geo.reference_dir() / "communes.parquet",
                               columns=["code_commune", "population_municipale", "code_epci"])
    membership = pl.DataFrame([(p.name, e) for p in PLATFORMS for e in p.epcis],
                              schema=["plateforme", "code_epci"], orient="row")
    return communes.join(membership, on="code_epci").select(
        "plateforme", "code_commune", "population_municipale"
    ).sort("plateforme", "code_commune")


class CommunePicker:
    """Draws communes of a platform, weighted by population municipale."""

    def __init__(self, communes: pl.DataFrame):
        self._by_platform = {}
        for (name,), group in communes.group_by("plateforme", maintain_order=True):
            pop = group["population_municipale"].to_numpy().astype(float)
            self._by_platform[name] = (np.array(group["code_commune"].to_list(), dtype=object), pop / pop.sum())
        self.population = {name: int(communes.filter(pl.col("plateforme") == name)["population_municipale"].sum())
                           for name in self._by_platform}

    def draw(self, rng: np.random.Generator, platform: str, size: int) -> np.ndarray:
        codes, p = self._by_platform[platform]
        return codes[rng.choice(len(codes), size, p=p)]


# --- generation ---------------------------------------------------------------------------------------

def generate(out_dir: Path, seed: int = 62, today: date | None = None) -> list[Path]:
    """Write the demonstration files (one XLSX per table) into `out_dir`; return their paths in load order."""
    if today is None:
        raise TypeError("generate() needs `today`: the demo data end on that day")
    if today < START:
        raise ValueError(f"today ({today}) is before the demo's start ({START})")
    rng = np.random.default_rng(seed)
    picker = CommunePicker(demo_communes())
    tables = build_tables(rng, picker, today)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [templates.write_workbook(out_dir / f"{table}.xlsx", table, tables[table].iter_rows(named=True))
            for table in c.LOAD_ORDER]


def build_tables(rng: np.random.Generator, picker: CommunePicker, today: date) -> dict[str, pl.DataFrame]:
    """Every table of the demo as a frame with the contract's columns."""
    accepted = accepted_referrals(rng, today)
    measures = support_measures(rng, accepted, today)
    accepted, measures = second_referrals(rng, accepted, measures)
    referrals = all_referrals(rng, picker, accepted, today)
    measures = measures.join(referrals.select(REFERRAL_KEY, "id_saisine").drop_nulls(REFERRAL_KEY), on=REFERRAL_KEY)
    housing = housing_entries(rng, picker, measures, referrals, today)
    posts = coordinator_posts(rng, today)
    funding = funding_lines(posts, measures, today)
    tables = {
        "decoupage": pl.DataFrame([(p.name, e, None) for p in PLATFORMS for e in p.epcis],
                                  schema={"plateforme": pl.Utf8, "code_epci": pl.Utf8, "code_commune": pl.Utf8},
                                  orient="row"),
        "saisines": referrals,
        "accompagnements": measures,
        "logements": housing,
        "instances": meetings(rng, today),
        "captations": captured_dwellings(rng, picker, today),
        "financements": funding,
        "depenses": movements(rng, funding, posts, today),
        "postes": posts,
        "plan_actions": action_plan(today),
    }
    tables["cibles"] = targets(rng, tables, today)
    return {t: _conform(tables[t], t) for t in c.LOAD_ORDER}


def _conform(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """The contract's columns, in order (missing optional ones empty)."""
    names = c.CONTRACTS[table].column_names
    missing = [pl.lit(None).alias(n) for n in names if n not in frame.columns]
    return frame.with_columns(missing).select(names)


def _date_series(name: str, days: np.ndarray) -> pl.Series:
    """A polars Date column from datetime64[D] (NaT -> null)."""
    return pl.Series(name, days.astype("datetime64[D]"), dtype=pl.Date)


# --- referrals and measures -----------------------------------------------------------------------------

def measure_counts(rng: np.random.Generator, platform: DemoPlatform, year: int) -> int:
    """New measures of a platform in a full year: its size, grown, jittered, kept within 30-50."""
    n = round(platform.measures_2022 * growth(year)) + int(rng.integers(-1, 2))
    return int(np.clip(n, MEASURES_MIN, MEASURES_MAX))


def accepted_referrals(rng: np.random.Generator, today: date) -> pl.DataFrame:
    """Accepted referrals, built back from the start of the measure they lead to.

    Counting from the measures keeps each platform's yearly number of new measures under control;
    the referral precedes its decision by a few days to weeks, and the measure follows the decision.
    Referrals after `today` are dropped; undecided ones are `en_attente`, measures not started yet wait.
    """
    rows = []
    for platform in PLATFORMS:
        for year in years(today):
            starts = to_workday(seasonal_dates(rng, year, measure_counts(rng, platform, year)))
            lag = 3 + np.round(rng.gamma(2.0, 5.0, len(starts))).astype(int)  # decision -> start
            delay = 1 + np.minimum(np.round(rng.gamma(1.6, 8.0, len(starts))), 70).astype(int)
            decision = to_workday(starts - lag, forward=False)
            referral = to_workday(decision - delay, forward=False)
            # The first measures of 2022 come from referrals of early January, not of 2021.
            early = referral < to_days(START)
            referral = np.where(early, to_workday(to_days(START) + rng.integers(2, 12, len(starts))), referral)
            decision = np.where(early, to_workday(referral + rng.integers(2, 8, len(starts))), decision)
            starts = np.where(early, np.maximum(starts, to_workday(decision + 3)), starts)
            rows.append(pl.DataFrame({
                "plateforme": [platform.name] * len(starts),
                "date_saisine": _date_series("date_saisine", referral),
                "date_decision": _date_series("date_decision", decision),
                "date_debut": _date_series("date_debut", starts),
            }))
    frame = pl.concat(rows).filter(pl.col("date_saisine") <= today)
    return frame.with_columns(
        pl.when(pl.col("date_decision") <= today).then(pl.lit("acceptee")).otherwise(pl.lit("en_attente"))
        .alias("decision"),
        pl.when(pl.col("date_decision") <= today).then(pl.col("date_decision")).alias("date_decision"),
        pl.when(pl.col("date_debut") <= today).then(pl.col("date_debut")).alias("date_debut"),
    ).with_row_index(REFERRAL_KEY).with_columns(
        # The raw household id a coordinator's file would carry: replaced by a pseudonym at import.
        pl.format("M-{}-{}", pl.col("plateforme").replace_strict({p.name: p.code for p in PLATFORMS}),
                  pl.col(REFERRAL_KEY).cast(pl.Utf8).str.zfill(5)).alias("id_menage")
    )


def support_measures(rng: np.random.Generator, accepted: pl.DataFrame, today: date) -> pl.DataFrame:
    """One measure per accepted referral that has started: kind, operator, reviews, end and motive."""
    started = accepted.filter(pl.col("date_debut").is_not_null()).sort("plateforme", "date_debut")
    n = started.height
    mesure = pick(rng, c.MESURES, W_MESURE, n)
    start = started["date_debut"].to_numpy().astype("datetime64[D]")
    median_days = np.array([MEDIAN_MONTHS[m] * 30.4 for m in mesure])
    motif = pick(rng, c.MOTIFS_FIN, W_MOTIF_FIN, n)
    # Breaks and refusals come earlier than the measures that reach their goal.
    factor = np.where(np.isin(motif, NEGATIVE_EXITS), 0.5, 1.0)
    duration = np.clip(np.round(median_days * factor * rng.lognormal(0, 0.35, n)), 45, 1100).astype(int)
    end = start + duration
    open_ = end > to_days(today)
    end = np.where(open_, np.datetime64("NaT"), end)
    motif = np.where(open_, None, motif)
    reviews = {k: review_dates(rng, start, end, k, today) for k in (3, 6, 12)}
    operators = {p.name: p.operators for p in PLATFORMS}
    operator = [operators[p][0 if u < 0.65 else 1] for p, u in zip(started["plateforme"], rng.random(n), strict=True)]
    codes = {p.name: p.code for p in PLATFORMS}
    frame = started.with_columns(
        pl.Series("mesure", mesure.tolist(), dtype=pl.Utf8),
        pl.Series("operateur", operator, dtype=pl.Utf8),
        *[_date_series(f"date_bilan_{k}m", reviews[k]) for k in (3, 6, 12)],
        _date_series("date_fin", end),
        pl.Series("motif_fin", motif.tolist(), dtype=pl.Utf8),
    )
    seq = frame.with_columns(pl.col("date_debut").dt.year().alias("annee")).with_columns(
        pl.int_range(1, pl.len() + 1).over("plateforme", "annee").alias("rang")
    )
    return seq.with_columns(
        pl.format("A-{}-{}-{}", pl.col("plateforme").replace_strict(codes), pl.col("annee"),
                  pl.col("rang").cast(pl.Utf8).str.zfill(3)).alias("id_accompagnement")
    ).drop("annee", "rang")


def review_dates(rng: np.random.Generator, start: np.ndarray, end: np.ndarray, months: int,
                 today: date) -> np.ndarray:
    """When the review due `months` after the start arrived: mostly on time, sometimes late or never."""
    n = len(start)
    due = add_months(start, months)
    late = rng.random(n) < 0.18
    delay = np.where(late, rng.integers(31, 100, n), rng.integers(-12, 26, n))
    received = to_workday(due + delay)
    sent = rng.random(n) < REVIEW_SENT[months]
    still_open = np.isnat(end) | (received <= end)
    keep = sent & still_open & (received <= to_days(today)) & (received > start)
    return np.where(keep, received, np.datetime64("NaT"))


def second_referrals(rng: np.random.Generator, accepted: pl.DataFrame,
                     measures: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Some households come back: a later accepted referral goes to a household whose measure broke off."""
    broke = measures.filter(pl.col("motif_fin").is_in(NEGATIVE_EXITS)).select("plateforme", "id_menage", "date_fin")
    renamed: dict[str, str] = {}
    used: set[str] = set()
    candidates = accepted.filter(pl.col("decision") == "acceptee").select("plateforme", "id_menage", "date_saisine")
    for row in candidates.sample(fraction=1.0, shuffle=True, seed=int(rng.integers(2**31))).iter_rows(named=True):
        if rng.random() > 0.08 or row["id_menage"] in used:
            continue
        earlier = broke.filter(
            (pl.col("plateforme") == row["plateforme"])
            & (pl.col("date_fin") < row["date_saisine"] - timedelta(days=60))
            & ~pl.col("id_menage").is_in(list(used))
        )
        if earlier.is_empty():
            continue
        household = earlier["id_menage"][int(rng.integers(earlier.height))]
        used.update((household, row["id_menage"]))
        renamed[row["id_menage"]] = household
    rename = pl.col("id_menage").replace(renamed)
    return accepted.with_columns(rename), measures.with_columns(rename)


def household_profiles(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """Composition, size, age band, sex, housing situation and publics of `n` households."""
    composition = pick(rng, c.COMPOSITIONS, W_COMPOSITION, n)
    children = rng.choice([1, 2, 3, 4], n, p=[0.4, 0.32, 0.18, 0.1])
    size = np.select(
        [composition == "personne_seule", composition == "couple_sans_enfant",
         composition == "famille_monoparentale", composition == "couple_avec_enfants"],
        [1, 2, 1 + children, 2 + children], default=rng.integers(1, 5, n),
    )
    age = pick(rng, c.TRANCHES_AGE, W_TRANCHE_AGE, n)
    p_female = np.select([composition == "famille_monoparentale", composition == "personne_seule"], [0.88, 0.38], 0.5)
    u = rng.random(n)
    sexe = np.where(u < 0.006, "X", np.where(u < p_female, "F", "M"))
    situation = pick(rng, c.SITUATIONS_LOGEMENT, W_SITUATION, n)
    publics = [publics_of(rng, a, s, x) for a, s, x in zip(age, situation, sexe, strict=True)]
    return pl.DataFrame({
        "composition": composition.tolist(), "nb_personnes": size.astype(int), "tranche_age": age.tolist(),
        "sexe": sexe.tolist(), "situation_logement": situation.tolist(), "publics": publics,
    }, schema={"composition": pl.Utf8, "nb_personnes": pl.Int64, "tranche_age": pl.Utf8, "sexe": pl.Utf8,
               "situation_logement": pl.Utf8, "publics": pl.Utf8})


def publics_of(rng: np.random.Generator, age: str, situation: str, sexe: str) -> str | None:
    """The `|`-separated specific publics of one household (often none)."""
    chances = {
        "jeune_vulnerable": 0.55 if age == "18-24" else 0.01,
        "violences_intrafamiliales": 0.2 if sexe == "F" else 0.03,
        "sante_mentale": 0.24,
        "addictions": 0.16,
        "expulsion": 0.6 if situation == "logement_menace" else 0.03,
        "sortant_prison": 0.35 if situation == "sortie_institution" else 0.02,
        "sortant_ase": 0.3 if age == "18-24" else 0.0,
        "errance": 0.45 if situation in ("rue", "habitat_precaire") else 0.02,
    }
    draws = rng.random(len(chances))
    chosen = [name for (name, p), u in zip(chances.items(), draws, strict=True) if u < p]
    return "|".join(chosen) or None


def all_referrals(rng: np.random.Generator, picker: CommunePicker, accepted: pl.DataFrame,
                  today: date) -> pl.DataFrame:
    """The `saisines` table: accepted, other decisions (some households come back later) and espace ressource."""
    others = other_referrals(rng, today)
    households = accepted.unique("id_menage", keep="first", maintain_order=True)
    profiles = household_profiles(rng, households.height).with_columns(
        households["id_menage"],
        pl.Series("code_commune", [picker.draw(rng, p, 1)[0] for p in households["plateforme"]], dtype=pl.Utf8),
    )
    # A fifth of the non-accepted referrals are households that were referred again later and accepted.
    others = link_earlier_referrals(rng, others, accepted)
    new = others.filter(pl.col("id_menage").is_null())
    new_profiles = household_profiles(rng, new.height).with_columns(
        pl.Series("code_commune", [picker.draw(rng, p, 1)[0] for p in new["plateforme"]], dtype=pl.Utf8),
        pl.format("M-X{}", pl.int_range(1, new.height + 1).cast(pl.Utf8).str.zfill(5)).alias("id_menage"),
    )
    situations = pl.concat([
        accepted.select(REFERRAL_KEY, "plateforme", "date_saisine", "decision", "date_decision", "id_menage")
        .join(profiles, on="id_menage", how="left"),
        others.filter(pl.col("id_menage").is_not_null()).join(profiles, on="id_menage", how="left"),
        pl.concat([new.drop("id_menage"), new_profiles], how="horizontal"),
    ], how="diagonal_relaxed")
    situations = situations.with_columns(
        pl.lit("situation").alias("type_sollicitation"),
        pl.Series("orienteur", pick(rng, c.ORIENTEURS, W_ORIENTEUR, situations.height).tolist(), dtype=pl.Utf8),
    )
    frame = pl.concat([situations, resource_requests(rng, picker, today)], how="diagonal_relaxed")
    return with_referral_ids(frame.sort("plateforme", "date_saisine", "id_menage", nulls_last=True))


def other_referrals(rng: np.random.Generator, today: date) -> pl.DataFrame:
    """Referrals that were reoriented, refused or dropped (or are still waiting for a decision)."""
    rows = []
    for platform in PLATFORMS:
        for year in years(today):
            accepted = measure_counts(rng, platform, year)
            n = round(accepted * (1 - platform.acceptance) / platform.acceptance)
            referral = seasonal_dates(rng, year, n)
            delay = 1 + np.minimum(np.round(rng.gamma(1.6, 8.0, n)), 70).astype(int)
            rows.append(pl.DataFrame({
                "plateforme": [platform.name] * n,
                "date_saisine": _date_series("date_saisine", referral),
                "date_decision": _date_series("date_decision", to_workday(referral + delay)),
                "decision": pick(rng, None, W_DECISION_NON_ACCEPTEE, n).tolist(),
            }, schema_overrides={"decision": pl.Utf8}))
    frame = pl.concat(rows).filter(pl.col("date_saisine") <= today)
    waiting = pl.col("date_decision") > today
    return frame.with_columns(
        pl.when(waiting).then(pl.lit("en_attente")).otherwise(pl.col("decision")).alias("decision"),
        pl.when(waiting).then(None).otherwise(pl.col("date_decision")).alias("date_decision"),
        pl.lit(None, pl.Utf8).alias("id_menage"),
    )


def link_earlier_referrals(rng: np.random.Generator, others: pl.DataFrame, accepted: pl.DataFrame) -> pl.DataFrame:
    """Give some non-accepted referrals the household of a referral accepted 1 to 8 months later."""
    later = accepted.select("plateforme", "id_menage", "date_saisine").to_dicts()
    by_platform: dict[str, list[dict]] = {}
    for row in later:
        by_platform.setdefault(row["plateforme"], []).append(row)
    taken: set[str] = set()
    ids = []
    for row in others.iter_rows(named=True):
        household = None
        if row["decision"] != "en_attente" and rng.random() < 0.2:
            options = [r["id_menage"] for r in by_platform[row["plateforme"]]
                       if 30 <= (r["date_saisine"] - row["date_saisine"]).days <= 240 and r["id_menage"] not in taken]
            if options:
                household = options[int(rng.integers(len(options)))]
                taken.add(household)
        ids.append(household)
    return others.with_columns(pl.Series("id_menage", ids, dtype=pl.Utf8))


def resource_requests(rng: np.random.Generator, picker: CommunePicker, today: date) -> pl.DataFrame:
    """Espace ressource solicitations: advice to a partner, no household follow-up (no id_menage)."""
    rows = []
    for platform in PLATFORMS:
        for year in years(today):
            n = round((10 + picker.population[platform.name] / 25_000) * growth(year))
            day = seasonal_dates(rng, year, n)
            rows.append(pl.DataFrame({
                "plateforme": [platform.name] * n,
                "date_saisine": _date_series("date_saisine", day),
                "date_decision": _date_series("date_decision", to_workday(day + rng.integers(0, 4, n))),
                "decision": np.where(rng.random(n) < 0.7, "sans_suite", "reorientee").tolist(),
                "code_commune": picker.draw(rng, platform.name, n).tolist(),
                "orienteur": pick(rng, c.ORIENTEURS, (0.1, 0.25, 0.2, 0.25, 0.12, 0.05, 0.01, 0.01, 0.01), n).tolist(),
            }, schema_overrides={"code_commune": pl.Utf8, "orienteur": pl.Utf8, "decision": pl.Utf8}))
    frame = pl.concat(rows).filter(pl.col("date_saisine") <= today)
    return frame.with_columns(
        pl.lit("espace_ressource").alias("type_sollicitation"),
        pl.when(pl.col("date_decision") > today).then(None).otherwise(pl.col("date_decision")).alias("date_decision"),
        pl.when(pl.col("date_decision") > today).then(pl.lit("en_attente")).otherwise(pl.col("decision"))
        .alias("decision"),
    )


def with_referral_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """`S-<platform code>-<year>-<rank>` in date order within each platform and year."""
    codes = {p.name: p.code for p in PLATFORMS}
    return frame.with_columns(
        pl.format("S-{}-{}-{}", pl.col("plateforme").replace_strict(codes), pl.col("date_saisine").dt.year(),
                  pl.int_range(1, pl.len() + 1).over("plateforme", pl.col("date_saisine").dt.year())
                  .cast(pl.Utf8).str.zfill(4)).alias("id_saisine")
    )


# --- housing ----------------------------------------------------------------------------------------------

def housing_entries(rng: np.random.Generator, picker: CommunePicker, measures: pl.DataFrame,
                    referrals: pl.DataFrame, today: date) -> pl.DataFrame:
    """Entries into a dwelling of supported households, and their exits.

    Housing First measures (IML, bail glissant, Un chez-soi d'abord) start in the dwelling; other
    measures lead to housing when they end with `acces_logement`, or along the way for some households
    still supported. Households already housed (threatened or unfit housing) have no entry.
    """
    situation = referrals.filter(pl.col("type_sollicitation") == "situation").sort("date_saisine").unique(
        "id_menage", keep="first").select("id_menage", "situation_logement", "code_commune")
    m = measures.join(situation, on="id_menage", how="left")
    n = m.height
    start = m["date_debut"].to_numpy().astype("datetime64[D]")
    end = m["date_fin"].to_numpy().astype("datetime64[D]")
    mesure = m["mesure"].to_numpy()
    housed_already = m["situation_logement"].is_in(["logement_autonome", "logement_menace"]).to_numpy()
    u = rng.random(n)
    housing_first = np.isin(mesure, ("IML", "bail_glissant", "chez_soi_dabord")) & (u < 0.92)
    at_exit = (m["motif_fin"] == "acces_logement").fill_null(False).to_numpy() & ~housing_first
    on_the_way = np.isnat(end) & ~housing_first & ~housed_already & (u < 0.3)
    entry = np.select(
        [housing_first, at_exit, on_the_way],
        [start + rng.integers(0, 60, n), end - rng.integers(0, 45, n), start + rng.integers(60, 300, n)],
        np.datetime64("NaT"),
    )
    entry = np.where(np.isnat(entry), entry, np.maximum(to_workday(entry), start))
    kind = np.select(
        [mesure == "IML", mesure == "bail_glissant"], ["IML", "bail_glissant"],
        pick(rng, None, W_TYPE_LOGEMENT, n),
    )
    kind = np.where((mesure == "chez_soi_dabord") & housing_first,
                    np.where(rng.random(n) < 0.6, "parc_social", "parc_prive"), kind)
    home = m["code_commune"].to_numpy()
    moved = rng.random(n) < 0.4
    commune = [picker.draw(rng, p, 1)[0] if mv or h is None else h
               for p, h, mv in zip(m["plateforme"], home, moved, strict=True)]
    frame = pl.DataFrame({
        "id_menage": m["id_menage"], "plateforme": m["plateforme"], "date_entree": _date_series("d", entry),
        "type_logement": kind.tolist(), "code_commune": commune,
    }, schema_overrides={"type_logement": pl.Utf8, "code_commune": pl.Utf8})
    frame = frame.filter(pl.col("date_entree").is_not_null() & (pl.col("date_entree") <= today))
    frame = frame.unique(["id_menage", "date_entree"], keep="first", maintain_order=True)
    return with_exits(rng, frame, today).sort("plateforme", "date_entree", "id_menage")


def with_exits(rng: np.random.Generator, entries: pl.DataFrame, today: date) -> pl.DataFrame:
    """Exits from the dwelling: few in the first year (retention 80-90 %), some to be rehoused."""
    n = entries.height
    entry = entries["date_entree"].to_numpy().astype("datetime64[D]")
    u = rng.random(n)
    early = u < P_EXIT_12M
    rehoused = (u >= P_EXIT_12M) & (u < P_EXIT_12M + P_RELOGEMENT_12M)
    later = (u >= P_EXIT_12M + P_RELOGEMENT_12M) & (u < P_EXIT_12M + P_RELOGEMENT_12M + P_EXIT_LATER)
    exit_ = np.select([early | rehoused, later],
                      [entry + rng.integers(30, 360, n), entry + rng.integers(370, 900, n)], np.datetime64("NaT"))
    motive = np.where(rehoused, "relogement", pick(rng, None, W_MOTIF_SORTIE, n))
    gone = ~np.isnat(exit_) & (exit_ <= to_days(today))
    return entries.with_columns(
        _date_series("date_sortie", np.where(gone, exit_, np.datetime64("NaT"))),
        pl.Series("motif_sortie", np.where(gone, motive, None).tolist(), dtype=pl.Utf8),
    )


# --- activity ---------------------------------------------------------------------------------------------

def meetings(rng: np.random.Generator, today: date) -> pl.DataFrame:
    """Monthly coordination meetings, concertations, commissions de fluidité, COPIL, COTECH, trainings."""
    rows = []
    for year in years(today):
        for platform in PLATFORMS:
            size = platform.measures_2022 / 40
            for month in range(1, 13):
                if month != 8:  # no meeting in August
                    rows.append((nth_weekday(year, month, 1, 2), platform.name, "coordination",
                                 int(rng.integers(6, 15)), int(rng.integers(3, 11) * size)))
                if month not in (8, 12):
                    rows.append((nth_weekday(year, month, 3, 3), platform.name, "commission_fluidite",
                                 int(rng.integers(8, 17)), int(rng.integers(4, 13) * size)))
                for day in rng.choice(workdays(year, month), rng.poisson(1.1 * size)):
                    rows.append((day.item(), platform.name, "concertation", int(rng.integers(3, 8)),
                                 int(rng.integers(1, 4))))
        for i, (month, kind, participants) in enumerate(
                [(3, "cotech", (10, 19)), (5, "formation", (12, 31)), (6, "copil", (25, 41)),
                 (6, "cotech", (10, 19)), (9, "cotech", (10, 19)), (10, "formation", (12, 31)),
                 (11, "formation", (12, 31)), (12, "copil", (25, 41)), (12, "cotech", (10, 19))]):
            host = PLATFORMS[(year * 3 + i) % len(PLATFORMS)].name  # departmental meetings rotate hosts
            situations = None if kind in ("copil", "formation") else int(rng.integers(2, 8))
            rows.append((nth_weekday(year, month, 0, 3 if kind == "copil" else 4), host, kind,
                         int(rng.integers(*participants)), situations))
    frame = pl.DataFrame(rows, schema={"date": pl.Date, "plateforme": pl.Utf8, "type_instance": pl.Utf8,
                                       "nb_participants": pl.Int64, "nb_situations": pl.Int64}, orient="row")
    return frame.filter(pl.col("date") <= today).sort("date", "plateforme", "type_instance")


def captured_dwellings(rng: np.random.Generator, picker: CommunePicker, today: date) -> pl.DataFrame:
    """Dwellings captured in the private (mostly IML) and social stock."""
    rows = []
    for platform in PLATFORMS:
        for year in years(today):
            n = rng.poisson((5 + picker.population[platform.name] / 30_000) * growth(year))
            days = to_workday(seasonal_dates(rng, year, n))
            parc = np.where(rng.random(n) < 0.6, "prive", "social")
            for day, p in zip(days, parc, strict=True):
                dispositif = pick(rng, None, {"IML": 0.55, "bail_glissant": 0.15, "mandat_de_gestion": 0.2,
                                              "conventionnement_anah": 0.1} if p == "prive" else
                                  {"contingent_prefectoral": 0.45, "bail_glissant": 0.2, "IML": 0.15,
                                   "pension_de_famille": 0.2}, 1)[0]
                typologie = pick(rng, None, {"T1": 0.3, "T2": 0.35, "T3": 0.2, "T4": 0.1, "T5": 0.05}, 1)[0]
                count = 1 if rng.random() < 0.8 else int(rng.integers(2, 5))
                rows.append((day.item(), platform.name, picker.draw(rng, platform.name, 1)[0], p, dispositif, typologie,
                             count))
    frame = pl.DataFrame(rows, schema={"date": pl.Date, "plateforme": pl.Utf8, "code_commune": pl.Utf8,
                                       "parc": pl.Utf8, "dispositif": pl.Utf8, "typologie": pl.Utf8,
                                       "nb_logements": pl.Int64}, orient="row")
    return frame.filter(pl.col("date") <= today).sort("date", "plateforme")


# --- budget -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FundingRules:
    """Rules of the conventions (domain.md): parameters, not constants buried in code."""

    fse_rate: float = 0.6  # FSE+ share of a coordinator post (Hauts-de-France)
    departement_rate: float = 0.4
    departement_cap_per_etp: float = 22_800.0
    segur_per_etp: float = 5_270.0
    departement_advance: float = 0.6  # paid at signature, the balance after the year


RULES = FundingRules()
# Transverse DIHAL actions (no platform): (code, action, axe, 2022 amount, nature).
TRANSVERSE_ACTIONS = (
    ("T1", "Captation et intermédiation locative", 1, 95_000, "prestation"),
    ("T2", "Accès direct au logement et commissions de fluidité", 2, 30_000, "fonctionnement"),
    ("T4", "Prévention des expulsions", 4, 40_000, "prestation"),
    ("T5", "Animation, formation et évaluation", 5, 25_000, "fonctionnement"),
)
ACTION_POSTES = "Postes de coordination"
ACTION_SEGUR = "Revalorisation Ségur des coordinateurs"
ACTION_ACCOMPAGNEMENT = "Accompagnement renforcé"
# The EPCI of Lens-Liévin co-finances captation: the DIHAL line then expects 80 %.
EPCI_SHARE_CAPTATION = 0.2


def coordinator_posts(rng: np.random.Generator, today: date) -> pl.DataFrame:
    """About one full-time coordinator per platform and year, 55-60 k€ a year per ETP."""
    rows = []
    for platform in PLATFORMS:
        base = float(rng.uniform(54_500, 56_500))
        for year in years(today):
            etp = 1.0
            if platform.name == "Lens-Hénin" and year >= 2024:
                etp = 1.5  # the largest platform got a second, part-time coordinator
            elif platform.name == "Ternois-Arrageois" and year == 2022:
                etp = 0.8
            cost = round(etp * base * 1.015 ** (year - START.year), -1)
            rows.append((platform.name, year, etp, cost, platform.operators[0]))
    return pl.DataFrame(rows, schema={"plateforme": pl.Utf8, "annee": pl.Int64, "etp": pl.Float64,
                                      "cout_annuel": pl.Float64, "operateur": pl.Utf8}, orient="row")


def funding_lines(posts: pl.DataFrame, measures: pl.DataFrame, today: date) -> pl.DataFrame:
    """Convention lines per year: posts (FSE+ 60 %, Département 40 % capped), Ségur, DIHAL, EPCI."""
    rows = []
    per_platform = measures.group_by("plateforme", pl.col("date_debut").dt.year().alias("annee")).len()
    counts = {(r["plateforme"], r["annee"]): r["len"] for r in per_platform.iter_rows(named=True)}
    codes = {p.name: p.code for p in PLATFORMS}
    for year in years(today):
        grow = growth(year)
        for post in posts.filter(pl.col("annee") == year).iter_rows(named=True):
            name, code, etp, cost = post["plateforme"], codes[post["plateforme"]], post["etp"], post["cout_annuel"]
            dep = min(RULES.departement_rate * cost, RULES.departement_cap_per_etp * etp)
            rows += [
                (f"FSE-{year}-{code}", "FSE+", year, ACTION_POSTES, 5, name, round(RULES.fse_rate * cost, 2),
                 RULES.fse_rate, date(year, 4, 14)),
                (f"DEP-{year}-{code}", "Departement", year, ACTION_POSTES, 5, name, round(dep, 2),
                 RULES.departement_rate, date(year, 2, 3)),
                (f"SEG-{year}-{code}", "Segur", year, ACTION_SEGUR, 5, name, round(RULES.segur_per_etp * etp, 2),
                 None, date(year, 3, 1)),
                # Support is funded by the number of measures the platform expects (about 1 800 € each).
                (f"DIHAL-{year}-{code}", "DIHAL", year, ACTION_ACCOMPAGNEMENT, 3, name,
                 round(1_800 * max(counts.get((name, year - 1), 0), 35) * (1.02 if year > START.year else 1), -2),
                 None, date(year, 5, 17)),
            ]
        for code, action, axe, amount, _ in TRANSVERSE_ACTIONS:
            rate = 1 - EPCI_SHARE_CAPTATION if code == "T1" else None
            rows.append((f"DIHAL-{year}-{code}", "DIHAL", year, action, axe, None, round(amount * grow, -2), rate,
                         date(year, 5, 17)))
        captation = round(TRANSVERSE_ACTIONS[0][3] * grow * EPCI_SHARE_CAPTATION / (1 - EPCI_SHARE_CAPTATION), -2)
        rows.append((f"EPCI-{year}-LH", "EPCI", year, TRANSVERSE_ACTIONS[0][1], 1, "Lens-Hénin", captation,
                     EPCI_SHARE_CAPTATION, date(year, 3, 20)))
    frame = pl.DataFrame(rows, schema={
        "id_financement": pl.Utf8, "financeur": pl.Utf8, "annee": pl.Int64, "action": pl.Utf8, "axe": pl.Int64,
        "plateforme": pl.Utf8, "montant_conventionne": pl.Float64, "taux_cofinancement": pl.Float64,
        "date_signature": pl.Date}, orient="row")
    # A convention not signed yet is known (negotiated) but has no signature date.
    return frame.with_columns(
        pl.when(pl.col("date_signature") <= today).then(pl.col("date_signature")).alias("date_signature")
    )


def consumption_pace(line: dict, year: int, today: date, rng: np.random.Generator) -> float:
    """Share of the convention actually spent over the year.

    Past years land a little under 100 %. This year, captation under-consumes (dwellings are slow to
    find) and the EPCI's captation line over-consumes, so that the projection shows both alerts.
    """
    if year < today.year:
        return float(rng.uniform(0.93, 1.0))
    if line["id_financement"].endswith("-T1"):
        return 0.62
    if line["financeur"] == "EPCI":
        return 1.22
    # A little under 100 %: with monthly payments the projection swings by about ±5 % within a month.
    return float(rng.uniform(0.94, 0.965))


def line_nature(line: dict) -> str:
    if line["action"] in (ACTION_POSTES, ACTION_SEGUR):
        return "personnel"
    natures = {action: nature for _, action, _, _, nature in TRANSVERSE_ACTIONS}
    return natures.get(line["action"], "prestation")


def movements(rng: np.random.Generator, funding: pl.DataFrame, posts: pl.DataFrame, today: date) -> pl.DataFrame:
    """Engagements at signature, monthly payments (the 15th), and money received from the funders."""
    rows = []
    for line in funding.iter_rows(named=True):
        year, amount, signed = line["annee"], line["montant_conventionne"], line["date_signature"]
        nature = line_nature(line)
        if signed is not None:
            rows.append((signed, line["id_financement"], nature, "engagement", amount))
        total = amount * consumption_pace(line, year, today, rng)
        monthly = rng.uniform(0.85, 1.15, 12)
        monthly = monthly / monthly.sum() * total
        for month in range(1, 13):
            day = to_workday(np.array([np.datetime64(f"{year}-{month:02d}-15")]), forward=False)[0].item()
            if day <= today:
                rows.append((day, line["id_financement"], nature, "paiement", round(float(monthly[month - 1]), 2)))
        rows += receipts(rng, line, round(total, 2), today)
    frame = pl.DataFrame(rows, schema={"date": pl.Date, "id_financement": pl.Utf8, "nature": pl.Utf8,
                                       "mouvement": pl.Utf8, "montant": pl.Float64}, orient="row")
    return frame.filter(pl.col("montant") > 0).sort("date", "id_financement", "mouvement")


def receipts(rng: np.random.Generator, line: dict, spent: float, today: date) -> list[tuple]:
    """Money received from the funder: its calendar follows its rules."""
    year, amount, signed, fid = line["annee"], line["montant_conventionne"], line["date_signature"], \
        line["id_financement"]
    out = []
    if line["financeur"] == "Departement" and signed is not None:
        advance = round(amount * RULES.departement_advance, 2)
        out.append((signed + timedelta(days=21), advance))
        out.append((date(year + 1, 4, 10), round(min(spent, amount) - advance, 2)))  # balance on service fait
    elif line["financeur"] == "FSE+":
        # Only after the contrôle de service fait, about a year after the year's end; small corrections.
        out.append((date(year + 1, 12, 31) - timedelta(days=int(rng.integers(0, 90))),
                    round(spent * (1 - float(rng.uniform(0, 0.03))), 2)))
    elif line["financeur"] == "DIHAL" and signed is not None:
        out.append((signed + timedelta(days=45), amount))
    elif line["financeur"] in ("Segur", "EPCI"):
        out.append((date(year, 11, 28), amount))
    kind = "personnel" if line["action"] in (ACTION_POSTES, ACTION_SEGUR) else line_nature(line)
    return [(d, fid, kind, "versement_recu", m) for d, m in out if d <= today and m > 0]


# --- plan and targets -------------------------------------------------------------------------------------

# (id, axe, intitulé, pilote, statut, avancement %, échéance in months from the end of today's month)
ACTIONS = (
    ("1.1", 1, "Mobiliser le parc privé en intermédiation locative", "DDETS", "en_cours", 65, 6),
    ("1.2", 1, "Créer deux pensions de famille dans le Calaisis et l'Audomarois", "DDETS", "en_cours", 40, -3),
    ("1.3", 1, "Développer les baux glissants avec les bailleurs sociaux", "Bailleurs sociaux", "realisee", 100, -10),
    ("1.4", 1, "Recenser les logements vacants des communes rurales", "EPCI", "a_lancer", 0, 9),
    ("2.1", 2, "Installer une commission de fluidité par territoire", "Département", "realisee", 100, -18),
    ("2.2", 2, "Fixer des objectifs d'attribution aux ménages sans domicile", "DDETS", "en_cours", 50, -1),
    ("2.3", 2, "Raccourcir le délai entre saisine et décision", "Plateformes", "en_cours", 70, 3),
    ("2.4", 2, "Ouvrir le contingent préfectoral aux sortants d'hébergement", "DDETS", "reportee", 20, 12),
    ("3.1", 3, "Généraliser les bilans à 6 et 12 mois", "Plateformes", "en_cours", 80, -2),
    ("3.2", 3, "Former les référents à l'approche Logement d'abord", "Département", "realisee", 100, -6),
    ("3.3", 3, "Déployer un dispositif Un chez-soi d'abord", "ARS", "en_cours", 30, 18),
    ("3.4", 3, "Créer une équipe mobile santé mentale et logement", "ARS", "a_lancer", 5, -4),
    ("4.1", 4, "Repérer les impayés dès le premier mois avec la CAF et les bailleurs", "CAF", "en_cours", 45, 4),
    ("4.2", 4, "Accompagner les sortants de prison vers le logement", "SPIP", "abandonnee", 10, -8),
    ("4.3", 4, "Préparer les sorties de l'aide sociale à l'enfance", "Département", "en_cours", 55, 8),
    ("4.4", 4, "Renforcer la CCAPEX sur les assignations", "DDETS", "realisee", 100, -14),
    ("5.1", 5, "Réunir le COPIL deux fois par an", "Département", "en_cours", 75, 1),
    ("5.2", 5, "Publier un tableau de bord partagé", "Département", "realisee", 100, -2),
    ("5.3", 5, "Associer les personnes accompagnées à la gouvernance", "Plateformes", "a_lancer", 0, 10),
    ("5.4", 5, "Signer une charte avec les EPCI", "EPCI", "reportee", 25, 7),
)


def month_end(day: date, months: int) -> date:
    """Last day of the month `months` after the month of `day`."""
    first = np.datetime64(day, "M") + months + 1
    return first.astype("datetime64[D]").item() - timedelta(days=1)


def action_plan(today: date) -> pl.DataFrame:
    """The plan d'actions over the 5 axes; échéances are set around `today`, so some are late."""
    rows = [(i, axe, title, pilot, statut, float(pct), month_end(today, offset))
            for i, axe, title, pilot, statut, pct, offset in ACTIONS]
    return pl.DataFrame(rows, schema={"id_action": pl.Utf8, "axe": pl.Int64, "intitule": pl.Utf8,
                                      "pilote": pl.Utf8, "statut": pl.Utf8, "avancement_pct": pl.Float64,
                                      "echeance": pl.Date}, orient="row")


def yearly_count(frame: pl.DataFrame, column: str, platform: str | None, year: int) -> int:
    """Rows of a platform (None: all) whose date `column` falls in `year`."""
    scope = frame if platform is None else frame.filter(pl.col("plateforme") == platform)
    return scope.filter(pl.col(column).dt.year() == year).height


def targets(rng: np.random.Generator, tables: dict[str, pl.DataFrame], today: date) -> pl.DataFrame:
    """Targets for last year and this year, overall and per platform, set near the activity's trend."""
    referrals = tables["saisines"].filter(pl.col("type_sollicitation") == "situation")
    measures = tables["accompagnements"]
    rows = []
    for year in (today.year - 1, today.year):
        if year < START.year:
            continue
        base = max(year - 1, START.year)
        for platform in (None, *PLATFORM_NAMES):
            for indicator, value in (("saisines", yearly_count(referrals, "date_saisine", platform, base)),
                                     ("accompagnements_debutes", yearly_count(measures, "date_debut", platform, base))):
                rows.append((indicator, platform, year, float(round(value * rng.uniform(0.95, 1.1)))))
        entries = tables["logements"].filter(pl.col("date_entree").dt.year() == base).height
        rows += [
            # About 38 % of entries are households sans domicile into the nationally counted housing types.
            ("acces_logement_sans_domicile", None, year, float(round(entries * 0.38 * rng.uniform(0.95, 1.1)))),
            ("taux_sortie_positive", None, year, 0.55),
            ("taux_acceptation", None, year, 0.7),
            ("delai_decision", None, year, 14.0),
            ("bilans_a_jour", None, year, 0.8),
            ("maintien_12m", None, year, 0.85),
            ("taux_consommation", None, year, 0.95),
            ("commissions_fluidite", None, year, 70.0),
        ]
    return pl.DataFrame(rows, schema={"indicateur": pl.Utf8, "plateforme": pl.Utf8, "annee": pl.Int64,
                                      "valeur_cible": pl.Float64}, orient="row")


def generate_national(out_dir: Path, n_saisines: int = 1_000_000, seed: int = 1) -> list[Path]:
    """The national-scale CSV data set of the ETL benchmark (see `etl.national`)."""
    from etl import national

    return national.generate(out_dir, n_saisines=n_saisines, seed=seed)
