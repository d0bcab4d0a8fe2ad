"""Statistical confidentiality (domain.md section 5): `queries.confidentiality.mask` and `queries.display`.

Small frames built by hand, with the cells expected masked; then a property check on random frames.
"""

from __future__ import annotations

import itertools
import random
from datetime import date

import polars as pl
import pytest

from queries import catalogue, display, run
from queries.confidentiality import DEFAULT_SEUIL, SEUIL_ENV, mask, mask_column, masked_label, seuil_secret

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
Y2025 = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31), "plateformes": ALL}


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv(SEUIL_ENV, raising=False)


def flags(frame: pl.DataFrame, column: str) -> list[bool]:
    return frame[mask_column(column)].to_list()


def territories(values: dict[str, int], column: str = "n") -> pl.DataFrame:
    return pl.DataFrame({"territoire": list(values), column: list(values.values())})


# --- primary suppression ------------------------------------------------------------------------------

def test_primary_masks_1_to_4_keeps_0_and_5():
    frame = pl.DataFrame({"categorie": list("abcdefg"), "n": [0, 1, 2, 3, 4, 5, None]})
    result = mask(frame, counts=["n"])  # no dimension: no secondary suppression
    assert flags(result, "n") == [False, True, True, True, True, False, False]
    assert result["n"].to_list() == [0, None, None, None, None, 5, None]
    assert result.columns == ["categorie", "n", "n_masque"]  # rows and columns kept, in order


def test_masked_values_become_null_and_other_columns_are_untouched():
    frame = pl.DataFrame({"territoire": ["A", "B"], "n": [3, 50], "libelle": ["x", "y"]})
    result = mask(frame, counts=["n"])
    assert result.select("territoire", "n", "libelle").rows() == [("A", None, "x"), ("B", 50, "y")]


def test_empty_frame():
    frame = pl.DataFrame({"territoire": [], "n": []}, schema={"territoire": pl.Utf8, "n": pl.Int64})
    assert mask(frame, counts=["n"], groups=["territoire"]).height == 0


# --- secondary suppression along a dimension ----------------------------------------------------------

def test_secondary_masks_the_smallest_non_zero_other_cell_of_the_line():
    # A is masked (3); B (0) cannot hide it; C (7) is the smallest non-zero other cell; D (20) stays.
    result = mask(territories({"A": 3, "B": 0, "C": 7, "D": 20}), counts=["n"], groups=["territoire"])
    assert flags(result, "n") == [True, False, True, False]
    assert result["n"].to_list() == [None, 0, None, 20]


def test_secondary_is_not_needed_with_two_masked_cells_or_none():
    two = mask(territories({"A": 3, "B": 2, "C": 7}), counts=["n"], groups=["territoire"])
    assert flags(two, "n") == [True, True, False]
    none = mask(territories({"A": 30, "B": 0, "C": 7}), counts=["n"], groups=["territoire"])
    assert flags(none, "n") == [False, False, False]


def test_secondary_ties_pick_a_single_cell():
    result = mask(territories({"A": 3, "B": 9, "C": 9}), counts=["n"], groups=["territoire"])
    assert flags(result, "n") == [True, True, False]


def test_the_ensemble_total_row_is_never_picked():
    # The total row (6 distinct households, less than the sum of the parts) is smaller than C (8) but never
    # chosen: hiding it would not protect A, whose line total is shown elsewhere anyway.
    frame = territories({"A": 3, "ensemble": 6, "B": 0, "C": 8, "D": 20})
    result = mask(frame, counts=["n"], groups=["territoire"], total_labels={"territoire": "ensemble"})
    assert dict(zip(result["territoire"], flags(result, "n"), strict=True)) == {
        "A": True, "ensemble": False, "B": False, "C": True, "D": False}
    frame = territories({"ensemble": 9, "A": 3, "B": 6})
    result = mask(frame, counts=["n"], groups=["territoire"], total_labels={"territoire": "ensemble"})
    assert flags(result, "n") == [False, True, True]
    # Without the label, the same row is an ordinary cell and would be picked.
    plain = mask(territories({"A": 3, "ensemble": 6, "B": 0, "C": 8}), counts=["n"], groups=["territoire"])
    assert flags(plain, "n") == [True, True, False, False]


def test_a_masked_count_alone_in_its_line_is_safe_when_the_line_total_is_small_itself():
    # A (3) is the only non-zero cell: the line total is 3, masked wherever it is shown. Zeros stay zeros.
    result = mask(territories({"A": 3, "B": 0, "C": 0}), counts=["n"], groups=["territoire"])
    assert flags(result, "n") == [True, False, False]
    assert result["n"].to_list() == [None, 0, 0]


def test_two_dimensions_iterate_to_a_fixed_point():
    # territoire × periode. Primary: A-p1 (2). Along periode, A's line masks A-p2 (10); along territoire,
    # p1's line masks B-p1 (6) and p2's line masks B-p2 (12); then B's line has two masked cells: stable.
    frame = pl.DataFrame({
        "territoire": ["A", "A", "B", "B", "C", "C"],
        "periode": ["p1", "p2"] * 3,
        "n": [2, 10, 6, 12, 40, 50],
    })
    result = mask(frame, counts=["n"], groups=["territoire", "periode"])
    assert flags(result, "n") == [True, True, True, True, False, False]


def test_two_dimensions_need_a_second_round():
    # Primary: A-p1 (1). Round 1: along territoire p1 masks C-p1 (5); along periode A masks A-p3 (6).
    # Then C's line (C-p1 masked alone) masks C-p2 (7) and p3's line (A-p3 alone) masks B-p3 (8), and so on
    # until every line has 0 or at least 2 masked cells.
    frame = pl.DataFrame({
        "territoire": [t for t in "ABC" for _ in range(3)],
        "periode": ["p1", "p2", "p3"] * 3,
        "n": [1, 30, 6, 20, 25, 8, 5, 7, 40],
    })
    result = mask(frame, counts=["n"], groups=["territoire", "periode"])
    masked = {(t, p) for t, p, m in zip(result["territoire"], result["periode"], flags(result, "n"), strict=True)
              if m}
    assert masked == {("A", "p1"), ("C", "p1"), ("A", "p3"), ("B", "p3"), ("C", "p2"), ("B", "p2")}
    assert_no_single_masked_cell(result, frame, "n", ["territoire", "periode"])


def test_a_secondary_cell_alone_in_its_other_line_gets_a_zero_masked_with_it():
    # A: p1 = 3 (masked), p2 = 10, the only cell of A's line that can hide it. But in p2's line, A-p2 is the
    # only non-zero cell: the p2 total (10, shown elsewhere) would give it back, then A-p1 = A's total - 10.
    # As a last resort, a zero of p2's line is masked with it, and that zero's own line is protected in turn.
    frame = pl.DataFrame({
        "territoire": ["A", "A", "B", "B", "C", "C"],
        "periode": ["p1", "p2"] * 3,
        "n": [3, 10, 7, 0, 8, 0],
    })
    result = mask(frame, counts=["n"], groups=["territoire", "periode"])
    assert flags(result, "n") == [True, True, True, True, False, False]
    assert result["n"].to_list() == [None, None, None, None, 8, 0]
    assert_no_single_masked_cell(result, frame, "n", ["territoire", "periode"])


def test_three_dimensions_along_each():
    frame = pl.DataFrame({
        "territoire": ["A"] * 4 + ["B"] * 4,
        "periode": ["p1", "p1", "p2", "p2"] * 2,
        "sexe": ["F", "M"] * 4,
        "n": [2, 9, 11, 12, 13, 14, 15, 16],
    })
    result = mask(frame, counts=["n"], groups=["territoire", "periode", "sexe"])
    assert_no_single_masked_cell(result, frame, "n", ["territoire", "periode", "sexe"])
    assert sum(flags(result, "n")) >= 4  # A-p1-F, then one more along each of its three lines at least


# --- row totals ---------------------------------------------------------------------------------------

SOLLICITATIONS = {"totals": {"nb_sollicitations": ["nb_saisines", "nb_espace_ressource"]},
                  "counts": ["nb_sollicitations", "nb_saisines", "nb_espace_ressource"]}


def sollicitations(rows: list[tuple[str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"territoire": [r[0] for r in rows], "nb_saisines": [r[1] for r in rows],
         "nb_espace_ressource": [r[2] for r in rows]}
    ).with_columns((pl.col("nb_saisines") + pl.col("nb_espace_ressource")).alias("nb_sollicitations"))


def test_row_total_one_masked_part_masks_another_part():
    # 12 = 9 + 3: 3 masked, then 9 (else 12 - 9 gives it back); the total 12 may stay.
    result = mask(sollicitations([("A", 9, 3)]), **SOLLICITATIONS)
    assert (flags(result, "nb_saisines"), flags(result, "nb_espace_ressource"), flags(result, "nb_sollicitations")) \
        == ([True], [True], [False])


def test_row_total_one_masked_part_and_no_other_part_masks_the_total():
    # 3 = 3 + 0 is all small: the total is masked by the primary rule.
    result = mask(sollicitations([("A", 3, 0)]), **SOLLICITATIONS)
    assert (flags(result, "nb_saisines"), flags(result, "nb_espace_ressource"), flags(result, "nb_sollicitations")) \
        == ([True], [False], [True])


def test_row_total_masked_alone_masks_a_part():
    # Along territoire, nb_sollicitations of A (3) is masked, then B's (12, the smallest other); B's parts are
    # 12 and 0 and must not show the 12, else B's total, then A's, could be recomputed.
    frame = sollicitations([("A", 3, 0), ("B", 12, 0), ("C", 5, 50)])
    result = mask(frame, groups=["territoire"], **SOLLICITATIONS)
    assert_row_totals_safe(result, SOLLICITATIONS["totals"])
    for column in SOLLICITATIONS["counts"]:
        assert_no_single_masked_cell(result, frame, column, ["territoire"])
    assert flags(result, "nb_sollicitations")[:2] == [True, True]
    assert flags(result, "nb_saisines")[:2] == [True, True]


def test_sollicitations_on_the_fixture(con):
    # Lens-Hénin 2025: 4 = 3 saisines + 1 espace ressource; Calaisis 3 = 3 + 0; Audomarois 0.
    result = display("sollicitations", con, **Y2025, maille="plateforme", pas="periode")
    assert result.select("territoire", "nb_sollicitations", "nb_saisines", "nb_espace_ressource").rows() == [
        ("Audomarois", 0, 0, 0), ("Calaisis", None, None, 0), ("Lens-Hénin", None, None, None)]


# --- values repeated along a dimension ---------------------------------------------------------------

def test_a_repeated_total_is_masked_on_every_row_of_its_line():
    # profil: nb_saisines_total is the territory's total, repeated on each modality. A's total (3) is masked;
    # along the x line, C-x's total (20) is picked, and along C's modalities a second one; without the rule,
    # C-z would still show C's 20, and A's total would follow from the overall total.
    frame = pl.DataFrame({
        "territoire": ["A", "A", "B", "B", "B", "C", "C", "C"],
        "modalite": ["x", "y", "x", "v", "z", "x", "v", "z"],
        "nb_saisines": [2, 1, 6, 7, 8, 5, 6, 9],
        "nb_saisines_total": [3, 3, 21, 21, 21, 20, 20, 20],
    })
    ind = catalogue()["profil"]
    assert ind.repetes == {"nb_saisines_total": ("modalite",)}
    params = {"counts": list(ind.comptes), "rates": ind.taux, "groups": ["territoire", "modalite"]}
    without = mask(frame, **params)
    assert flags(without, "nb_saisines_total")[5:] == [True, True, False]  # the leak the rule closes
    result = mask(frame, **params, repeated={"nb_saisines_total": ["modalite"]})
    per_territory = result.group_by("territoire").agg(pl.col("nb_saisines_total_masque").n_unique())
    assert set(per_territory["nb_saisines_total_masque"]) == {1}  # all or nothing within a territory
    assert flags(result, "nb_saisines_total")[5:] == [True, True, True]


def test_profil_on_the_fixture(con):
    # Lens-Hénin 2025 by sex: M 2 (S01, S06), F 1 (S02), total 3: all small.
    shown = display("profil", con, variable="sexe", **Y2025)
    assert shown.select("territoire", "modalite", "nb_saisines", "nb_saisines_total", "taux_part").rows() == [
        ("Calaisis", "M", None, None, None), ("Calaisis", "F", None, None, None),
        ("Lens-Hénin", "M", None, None, None), ("Lens-Hénin", "F", None, None, None)]


# --- rates --------------------------------------------------------------------------------------------

def test_rate_masked_when_numerator_or_denominator_is_masked():
    frame = pl.DataFrame({
        "territoire": ["A", "B", "C", "D"],
        "nb_decidees": [20, 3, 30, 0],
        "nb_acceptees": [2, 3, 25, 0],
    }).with_columns((pl.col("nb_acceptees") / pl.col("nb_decidees")).alias("taux_acceptation"))
    rates = catalogue()["taux_acceptation"].taux
    assert rates == {"taux_acceptation": ("nb_acceptees", "nb_decidees")}
    result = mask(frame, counts=["nb_decidees", "nb_acceptees"], rates=rates)  # no dimension: primary only
    assert flags(result, "taux_acceptation") == [True, True, False, False]
    assert result["taux_acceptation"].to_list()[:3] == [None, None, pytest.approx(25 / 30)]


def test_median_declared_on_its_denominator_only():
    rates = catalogue()["delai_decision"].taux
    assert rates == {"nb_jours_decision_median": (None, "nb_decisions")}
    frame = pl.DataFrame({"territoire": ["A", "B", "C"], "nb_decisions": [2, 12, 9],
                          "nb_jours_decision_median": [10.0, 12.0, 8.0]})
    result = mask(frame, counts=["nb_decisions"], rates=rates, groups=["territoire"])
    # A (2) masked, then C (9) to protect it; their medians with them.
    assert flags(result, "nb_jours_decision_median") == [True, False, True]
    assert result["nb_jours_decision_median"].to_list() == [None, 12.0, None]


def test_rates_on_the_fixture(con):
    # Lens-Hénin 3 decided / 3 accepted, Calaisis 2 / 1: every count is small, every rate masked.
    result = display("taux_acceptation", con, **Y2025, maille="plateforme", pas="periode")
    assert result["taux_acceptation"].to_list() == [None, None, None]
    assert result["taux_acceptation_masque"].to_list() == [False, True, True]  # Audomarois: no decision


# --- threshold ----------------------------------------------------------------------------------------

def test_threshold_parameter():
    frame = territories({"A": 5, "B": 10, "C": 11, "D": 0})
    result = mask(frame, counts=["n"], seuil=10)
    assert flags(result, "n") == [True, True, False, False]


def test_threshold_from_the_environment(monkeypatch):
    assert seuil_secret() == DEFAULT_SEUIL == 4
    monkeypatch.setenv(SEUIL_ENV, "10")
    assert seuil_secret() == 10
    result = mask(territories({"A": 5, "B": 10, "C": 11}), counts=["n"])
    assert flags(result, "n") == [True, True, False]
    assert masked_label() == "< 11"
    assert mask(territories({"A": 5}), counts=["n"], seuil=4)["n"].to_list() == [5]  # explicit wins


def test_masked_label():
    assert masked_label() == "< 5"
    assert masked_label(4) == "< 5"
    assert masked_label(10) == "< 11"


def test_display_threshold(con):
    # Lens-Hénin 2025: 3 saisines, Calaisis 3. With a threshold of 2, both are shown.
    assert display("saisines", con, seuil=2, **Y2025)["nb_saisines"].to_list() == [0, 3, 3]


# --- display on the fixture warehouse -----------------------------------------------------------------

def test_display_masks_lens_henin_and_run_keeps_it(con):
    raw = run("saisines", con, **Y2025)
    shown = display("saisines", con, **Y2025)
    assert dict(zip(raw["territoire"], raw["nb_saisines"], strict=True))["Lens-Hénin"] == 3
    lens = shown.filter(pl.col("territoire") == "Lens-Hénin").row(0, named=True)
    assert lens["nb_saisines"] is None and lens["nb_saisines_masque"] is True
    audomarois = shown.filter(pl.col("territoire") == "Audomarois").row(0, named=True)
    assert (audomarois["nb_saisines"], audomarois["nb_saisines_masque"]) == (0, False)  # zero stays zero


def test_display_with_a_public(con):
    shown = display("saisines", con, public="sans_domicile", **Y2025)
    assert shown["nb_saisines"].to_list() == [0, None, None]


@pytest.mark.parametrize("name", ["instances", "logements_captes", "commissions_fluidite"])
def test_activity_indicators_are_not_masked(con, name):
    ind = catalogue()[name]
    assert not ind.secret
    params = {k: v for k, v in {**Y2025, "maille": "ensemble"}.items() if k in ind.parametres}
    raw, shown = run(name, con, **params), display(name, con, **params)
    assert shown.equals(raw)
    assert not [c for c in shown.columns if c.endswith("_masque")]


def test_money_indicators_have_no_count_to_mask(con):
    for name in ("budget_consommation", "budget_projection", "cofinancement", "postes_plafonds"):
        ind = catalogue()[name]
        assert not ind.comptes, name
        params = {k: v for k, v in Y2025.items() if k in ind.parametres}
        assert display(name, con, **params).equals(run(name, con, **params)), name


def test_instances_small_counts_are_shown(con):
    # Lens-Hénin 2025: 1 commission de fluidité, 2 coordination meetings: small, but activity, not households.
    shown = display("instances", con, **{**Y2025, "plateformes": ["Lens-Hénin"]})
    assert shown.select("type_instance", "nb_instances").rows() == [("commission_fluidite", 1), ("coordination", 2)]


def test_every_secret_indicator_masks_its_counts(con):
    for name, ind in catalogue().items():
        if not ind.secret or not ind.comptes:
            continue
        params = {k: v for k, v in {**Y2025, "maille": "plateforme", "pas": "periode"}.items()
                  if k in ind.parametres}
        shown = display(name, con, **params)
        for column in ind.comptes:
            if column in shown.columns:
                small = shown.filter(pl.col(mask_column(column)).not_() & pl.col(column).is_between(1, 4))
                assert small.is_empty(), f"{name}.{column} shows a small count"


# --- property: no line leaves a single masked cell ----------------------------------------------------

def lines(frame: pl.DataFrame, groups: list[str], dimension: str):
    """The lines along `dimension`: the rows sharing every other dimension's value."""
    others = [g for g in groups if g != dimension]
    if not others:
        yield frame
        return
    for _, line in frame.group_by(others, maintain_order=True):
        yield line


def assert_no_single_masked_cell(result: pl.DataFrame, raw: pl.DataFrame, column: str, groups: list[str],
                                 seuil: int = DEFAULT_SEUIL, total_label: str | None = None) -> None:
    """No line has exactly one masked part that the line's total (shown elsewhere) would give back.

    A single masked part is safe only when every other part is zero and it is small itself: then the total
    equals it and is masked wherever it is shown.
    """
    joined = result.select(*groups, mask_column(column)).with_columns(raw[column].alias("__valeur"))
    for dimension in groups:
        for line in lines(joined, groups, dimension):
            if total_label is not None and dimension == "territoire":
                line = line.filter(pl.col("territoire") != total_label)
            if line.height < 2:
                continue
            masked = line.filter(pl.col(mask_column(column)))
            if masked.height == 1:
                total = int(line["__valeur"].sum())
                assert 1 <= total <= seuil, (
                    f"{column}: along {dimension}, a single masked cell of {masked.row(0)} in a line of total "
                    f"{total}:\n{line}")


def assert_row_totals_safe(result: pl.DataFrame, totals: dict[str, list[str]]) -> None:
    """In a row, a total and its parts never leave exactly one masked cell: it would be recomputable."""
    for total, parts in totals.items():
        cells = [total, *parts]
        for row in result.iter_rows(named=True):
            masked = [c for c in cells if row[mask_column(c)]]
            assert len(masked) != 1, f"row {row}: only {masked[0]} masked among {cells}"


def random_frame(rng: random.Random, dims: dict[str, list[str]], with_total: bool) -> pl.DataFrame:
    keys = list(itertools.product(*dims.values()))
    values = [rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20, 40]) for _ in keys]
    frame = pl.DataFrame({name: [k[i] for k in keys] for i, name in enumerate(dims)}).with_columns(
        pl.Series("n", values, dtype=pl.Int64))
    if with_total:  # the « ensemble » rows: sums over territories
        others = [d for d in dims if d != "territoire"]
        totals = frame.group_by(others, maintain_order=True).agg(pl.col("n").sum()).with_columns(
            pl.lit("ensemble").alias("territoire")).select(frame.columns)
        frame = pl.concat([frame, totals])
    return frame


@pytest.mark.parametrize("seed", range(300))
def test_property_no_line_leaves_a_single_masked_cell(seed):
    rng = random.Random(seed)
    dims = {"territoire": [f"T{i}" for i in range(rng.randint(1, 4))],
            "periode": [f"P{i}" for i in range(rng.randint(1, 4))]}
    if rng.random() < 0.3:
        dims["sexe"] = ["F", "M", "X"][:rng.randint(1, 3)]
    with_total = rng.random() < 0.4
    frame = random_frame(rng, dims, with_total)
    groups = list(dims)
    result = mask(frame, counts=["n"], groups=groups, total_labels={"territoire": "ensemble"})
    assert result.select(*groups).equals(frame.select(*groups))
    assert_no_single_masked_cell(result, frame, "n", groups, total_label="ensemble" if with_total else None)
    # Primary rule: every small count masked, zeros never masked unless as a last resort.
    small = frame["n"].is_between(1, DEFAULT_SEUIL)
    assert result.filter(small)[mask_column("n")].all()
    assert result.filter(~pl.col(mask_column("n")))["n"].to_list() == frame.filter(
        ~result[mask_column("n")])["n"].to_list()


@pytest.mark.parametrize("seed", range(150))
def test_property_row_totals(seed):
    rng = random.Random(1000 + seed)
    n = rng.randint(1, 5)
    choices = [0, 0, 1, 2, 3, 5, 6, 9, 12, 30]
    frame = sollicitations([(f"T{i}", rng.choice(choices), rng.choice(choices)) for i in range(n)])
    result = mask(frame, groups=["territoire"], **SOLLICITATIONS)
    assert_row_totals_safe(result, SOLLICITATIONS["totals"])
    for column in SOLLICITATIONS["counts"]:
        assert_no_single_masked_cell(result, frame, column, ["territoire"])
