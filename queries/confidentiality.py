"""Statistical confidentiality: the one rule that masks small counts on screen and in exports.

domain.md section 5. A count from 1 to the threshold (default 4, `COPILOTE_SEUIL_SECRET` to change it) is
masked (primary suppression). Zero stays zero. So that a masked cell cannot be recomputed:
- along every dimension of the result (territories of a period, periods of a territory, categories of a
  territory…), a line that has exactly one masked cell gets a second one: its smallest non-zero cell
  (secondary suppression), since the line's total may be shown elsewhere. The total row of a dimension
  (territoire « ensemble ») is never chosen. As a last resort, when no other cell of the line is non-zero
  and the line's total would be shown (the masked cell is not small itself, or is a masked zero), a zero
  of the line is masked with it;
- in a row, a total and its parts (`nb_sollicitations = nb_saisines + nb_espace_ressource`) never leave a
  single masked cell: one masked part masks the smallest other non-zero part (else the total), a masked
  total masks its smallest non-zero part;
- a value repeated on every row of a line (profil: `nb_saisines_total` on every modality of a territory)
  masked on one row is masked on all of them;
- a rate, a median or a per-household amount whose numerator or denominator is masked is masked too.
The secondary rules run until nothing changes. Masked values become null, and each masked column gets
a boolean companion `<column>_masque` that displays and exports read to print « < 5 ».
"""

from __future__ import annotations

import os

import polars as pl

DEFAULT_SEUIL = 4
SEUIL_ENV = "COPILOTE_SEUIL_SECRET"
MASK_SUFFIX = "_masque"
_ROW = "__rang"


def seuil_secret() -> int:
    """The threshold in force: counts from 1 to it are masked."""
    value = os.environ.get(SEUIL_ENV)
    return int(value) if value else DEFAULT_SEUIL


def masked_label(seuil: int | None = None) -> str:
    """What a masked count shows: « < 5 » for the default threshold."""
    return f"< {(seuil_secret() if seuil is None else seuil) + 1}"


def mask_column(name: str) -> str:
    """The boolean companion column telling where `name` is masked."""
    return f"{name}{MASK_SUFFIX}"


def mask(frame: pl.DataFrame, counts: list[str], rates: dict[str, tuple[str | None, str | None]] | None = None,
         groups: list[str] | None = None, totals: dict[str, list[str]] | None = None, seuil: int | None = None,
         total_labels: dict[str, str] | None = None, repeated: dict[str, list[str]] | None = None) -> pl.DataFrame:
    """The frame with small counts, the cells that would reveal them and the rates built on them masked.

    counts: count columns (households, referrals…); rates: rate column -> (numerator, denominator), either
    may be None; groups: the dimension columns (lines of secondary suppression run along each);
    totals: row-wise total column -> its parts; total_labels: dimension -> the label of its total row
    (e.g. territoire -> « ensemble »), which is never chosen as a secondary cell; repeated: count column ->
    the dimensions along which its value is repeated (masked on one row of a line, masked on the whole line).
    """
    seuil = seuil_secret() if seuil is None else seuil
    rates, groups, totals, total_labels = rates or {}, groups or [], totals or {}, total_labels or {}
    repeated = {c: [d for d in dims if d in groups] for c, dims in (repeated or {}).items()}
    counts = [c for c in counts if c in frame.columns]
    flags = {c: mask_column(c) for c in counts}
    work = frame.with_row_index(_ROW).with_columns(
        pl.col(c).is_between(1, seuil).fill_null(False).alias(flags[c]) for c in counts
    )
    masked = _mask_count(work, flags)
    while masked:  # nothing masked, nothing to protect; every round only adds masks, so it ends
        work = _secondary_round(work, counts, flags, groups, totals, total_labels, repeated, seuil)
        masked, before = _mask_count(work, flags), masked
        if masked == before:
            break
    rate_flags = []
    for rate, (numerator, denominator) in rates.items():
        if rate not in work.columns:
            continue
        hidden = [pl.col(flags[c]) for c in (numerator, denominator) if c in flags]
        rate_flags.append(rate)
        work = work.with_columns((pl.any_horizontal(hidden) if hidden else pl.lit(False)).alias(mask_column(rate)))
    hidden_columns = [*counts, *rate_flags]
    return work.with_columns(
        pl.when(pl.col(mask_column(c))).then(None).otherwise(pl.col(c)).alias(c) for c in hidden_columns
    ).sort(_ROW).drop(_ROW)


def _secondary_round(work: pl.DataFrame, counts: list[str], flags: dict[str, str], groups: list[str],
                     totals: dict[str, list[str]], total_labels: dict[str, str], repeated: dict[str, list[str]],
                     seuil: int) -> pl.DataFrame:
    """One pass of every secondary rule."""
    for count in counts:
        for dimension in groups:
            work = _secondary_along(work, count, flags[count], dimension, groups, total_labels.get(dimension), seuil)
    for total, parts in totals.items():
        work = _secondary_in_row(work, total, [p for p in parts if p in flags], flags)
    for count, dims in repeated.items():
        if count in flags and dims:
            keys = [g for g in groups if g not in dims]
            spread = pl.col(flags[count]).any()
            work = work.with_columns((spread.over(keys) if keys else spread).alias(flags[count]))
    return work


def _mask_count(frame: pl.DataFrame, flags: dict[str, str]) -> int:
    return int(frame.select(pl.sum_horizontal(pl.col(f).sum() for f in flags.values())).item()) if flags else 0


def _secondary_along(frame: pl.DataFrame, count: str, flag: str, dimension: str, groups: list[str],
                     total_label: str | None, seuil: int) -> pl.DataFrame:
    """In each line along `dimension` (other dimensions fixed) with exactly one masked part, mask another."""
    others = [g for g in groups if g != dimension]
    value = pl.col(count).fill_null(0)
    is_part = pl.lit(True) if total_label is None else (pl.col(dimension).cast(pl.Utf8) != total_label).fill_null(True)
    candidate = is_part & ~pl.col(flag) & (value > 0)
    zero = is_part & ~pl.col(flag) & (value == 0)
    masked_part = pl.col(flag) & is_part

    def per_line(expr: pl.Expr) -> pl.Expr:
        return expr.over(others) if others else expr

    n_masked = per_line(masked_part.cast(pl.Int32).sum())
    # Only the lines with exactly one masked part can change: the rule runs on them alone (after the first
    # round, few or none), which keeps a national table with thousands of lines fast.
    lines = frame.filter(n_masked == 1)
    if lines.is_empty():
        return frame
    # Rank candidates by value, then by row order, so that exactly one is picked per line.
    key = pl.when(candidate).then(value * 1_000_000_000 + pl.col(_ROW))
    pick = candidate & (key == per_line(key.min()))
    # Last resort: no non-zero cell left, and the line's total (the masked value) would be shown.
    masked_value = per_line(pl.when(masked_part).then(value).max())
    exposed = ~masked_value.is_between(1, seuil) & ~per_line(candidate.any())
    zero_key = pl.when(zero).then(pl.col(_ROW))
    fallback = exposed & zero & (zero_key == per_line(zero_key.min()))
    added = lines.filter(~pl.col(flag) & (pick.fill_null(False) | fallback.fill_null(False)))[_ROW]
    return frame.with_columns((pl.col(flag) | pl.col(_ROW).is_in(added.implode())).alias(flag)) if len(added) else frame


def _secondary_in_row(frame: pl.DataFrame, total: str, parts: list[str], flags: dict[str, str]) -> pl.DataFrame:
    """A row with a single masked cell among a total and its parts: mask the smallest other non-zero part.

    One masked part and no other non-zero part: the total is masked (it equals the part). A masked total with
    no masked part: its smallest non-zero part is masked.
    """
    if not parts:
        return frame
    n_masked = pl.sum_horizontal(pl.col(flags[p]).cast(pl.Int32) for p in parts)
    total_masked = pl.col(flags[total]) if total in flags else pl.lit(False)
    needs_part = (n_masked == 1) | ((n_masked == 0) & total_masked)
    candidates = {p: ~pl.col(flags[p]) & (pl.col(p).fill_null(0) > 0) for p in parts}
    smallest = pl.min_horizontal(pl.when(candidates[p]).then(pl.col(p)) for p in parts)
    updates, already = [], pl.lit(False)
    for p in parts:
        pick = (needs_part & candidates[p] & (pl.col(p) == smallest) & ~already).fill_null(False)
        updates.append((pl.col(flags[p]) | pick).alias(flags[p]))
        already = already | pick
    frame = frame.with_columns(updates)
    if total in flags:
        n_after = pl.sum_horizontal(pl.col(flags[p]).cast(pl.Int32) for p in parts)
        frame = frame.with_columns((pl.col(flags[total]) | (n_after == 1)).alias(flags[total]))
    return frame
