"""The COPIL overview: the key figures of a period and the short factual sentences generated from them.

Shared by the Synthèse page, the COPIL mode and the exports. Data arrive through a `fetch(name, **params)`
callable that returns indicators already masked (`data_access.indicator` in the app, `queries.display` on
the command line), so the sentences can only quote what the screen may show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from figures.formats import (
    fmt_change,
    fmt_date,
    fmt_days,
    fmt_decimal,
    fmt_eur,
    fmt_int,
    fmt_masked,
    fmt_pct,
    fmt_pct_compact,
    fmt_points,
)
from figures.scope import Scope

Fetch = Callable[..., pl.DataFrame]

COUNT, RATE = "count", "rate"


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of the overview, with its comparison and target."""

    id: str
    label: str
    unit: str
    value: float | None
    masked: bool = False
    previous: float | None = None
    previous_masked: bool = False
    definition: str = ""
    higher_is_better: bool | None = True
    status: str | None = None
    target: float | None = None
    detail: str = ""

    @property
    def value_text(self) -> str:
        return fmt_masked(self.value, self.masked, fmt_pct if self.unit == RATE else fmt_int)

    @property
    def comparable(self) -> bool:
        return not (self.masked or self.previous_masked) and self.value is not None and self.previous is not None

    @property
    def change_text(self) -> str | None:
        """`+12,3 %` for counts, `+3,2 pts` for rates, against the previous period."""
        if not self.comparable:
            return None
        change = (fmt_points if self.unit == RATE else fmt_change)(self.value, self.previous)
        # st.metric reads the direction of its arrow from an ASCII minus sign.
        return f"{change.replace(chr(0x2212), '-')} vs période précédente" if change else None

    @property
    def delta_color(self) -> str:
        if self.higher_is_better is None:
            return "off"
        return "normal" if self.higher_is_better else "inverse"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        target = fmt_pct(self.target) if self.unit == RATE else fmt_int(self.target)
        return f"Cible : {target}" + (f" — {self.status}" if self.status else "")

    @property
    def status_badge(self) -> str:
        colours = {"atteint": "green", "en bonne voie": "blue", "en retard": "red"}
        return f":{colours.get(self.status, 'gray')}[**{self.status}**]" if self.status else ""


@dataclass(frozen=True)
class Overview:
    """The key figures of a scope and the sentences that comment on them."""

    scope: Scope
    previous: Scope
    figures: tuple[KeyFigure, ...]
    sentences: tuple[str, ...] = field(default=())

    def figure(self, figure_id: str) -> KeyFigure:
        return next(f for f in self.figures if f.id == figure_id)


# (id, label, indicator, column, unit, higher is better, target id, definition)
SPECS = (
    ("saisines", "Saisines", "saisines", "nb_saisines", COUNT, None, "saisines",
     "Fiches saisines (situations individuelles) reçues dans la période."),
    ("accompagnements", "Accompagnements débutés", "accompagnements_debutes", "nb_accompagnements_debutes", COUNT,
     True, "accompagnements_debutes", "Mesures d'accompagnement débutées dans la période."),
    ("acces_logement", "Accès au logement", "entrees_logement", "nb_entrees", COUNT, True, "entrees_logement",
     "Ménages entrés dans un logement dans la période (tous types de logement)."),
    ("maintien", "Maintien à 12 mois", "maintien_12m", "taux_maintien_12m", RATE, True, "maintien_12m",
     "Part des ménages toujours logés 12 mois après leur entrée (ou relogés)."),
    ("sorties_positives", "Sorties positives", "taux_sortie_positive", "taux_sortie_positive", RATE, True,
     "taux_sortie_positive", "Part des mesures terminées dans la période par un accès ou un maintien dans le "
     "logement."),
)


def ensemble_value(frame: pl.DataFrame, column: str) -> tuple[float | None, bool]:
    """The value of the `ensemble` row of a masked indicator, and whether it is masked."""
    if frame.is_empty():
        return None, False
    row = frame.row(0, named=True)
    flag = f"{column}_masque"
    return row.get(column), bool(row.get(flag, False))


def key_figures(fetch: Fetch, scope: Scope, previous: Scope, targets: pl.DataFrame | None = None) -> list[KeyFigure]:
    """The key figures of the overview, each against the previous period and its target."""
    figures = []
    for fid, label, name, column, unit, higher, target_id, definition in SPECS:
        value, masked = ensemble_value(fetch(name, **scope.params(maille="ensemble")), column)
        before, before_masked = ensemble_value(fetch(name, **previous.params(maille="ensemble")), column)
        target, status = _target(targets, target_id, scope)
        figures.append(KeyFigure(fid, label, unit, value, masked, before, before_masked, definition, higher,
                                 status, target, _detail(fetch, fid, scope)))
    figures.append(_budget_figure(fetch, scope, previous, targets))
    return figures


def _detail(fetch: Fetch, figure_id: str, scope: Scope) -> str:
    """The second line of some key figures (`dont 45 personnes sans domicile`)."""
    if figure_id == "acces_logement":
        value, masked = ensemble_value(fetch("acces_logement_sans_domicile", **scope.params(maille="ensemble")),
                                       "nb_entrees_sans_domicile")
        return f"dont {fmt_masked(value, masked)} personnes sans domicile"
    if figure_id == "accompagnements":
        value, masked = ensemble_value(fetch("file_active", **scope.params(maille="ensemble")), "nb_file_active")
        return f"{fmt_masked(value, masked)} ménages accompagnés sur la période (file active)"
    return ""


def _budget_figure(fetch: Fetch, scope: Scope, previous: Scope, targets: pl.DataFrame | None) -> KeyFigure:
    """Credits paid against the year's conventions at the end of the period, with the projection."""
    def consumption(s: Scope) -> dict | None:
        frame = fetch("budget_projection", fin=s.fin, plateformes=list(s.plateformes))
        rows = frame.filter(pl.col("financeur") == "Ensemble")
        return rows.row(0, named=True) if rows.height else None

    now, before = consumption(scope), consumption(previous)
    target, status = _target(targets, "taux_consommation", scope)
    detail = ""
    if now and now.get("montant_conventionne"):
        detail = (f"{fmt_eur(now['montant_paye'])} payés sur {fmt_eur(now['montant_conventionne'])} ; projection "
                  f"au 31/12 : {fmt_pct(now.get('taux_consommation_projete'), 0)} ({now.get('alerte') or '—'})")
    return KeyFigure(
        "budget", f"Budget consommé {scope.fin.year}", RATE, now and now.get("taux_consommation"),
        previous=before and before.get("taux_consommation"),
        definition="Crédits payés au " + fmt_date(scope.fin) + " rapportés aux montants conventionnés de l'année.",
        higher_is_better=None, status=status, target=target, detail=detail,
    )


def _target(targets: pl.DataFrame | None, target_id: str, scope: Scope) -> tuple[float | None, str | None]:
    """The target of an indicator for the scope: overall when every platform is shown, else the platform's."""
    if targets is None or targets.is_empty():
        return None, None
    if scope.toutes_plateformes:
        wanted = "ensemble"
    elif len(scope.plateformes) == 1:
        wanted = scope.plateformes[0]
    else:
        return None, None
    rows = targets.filter((pl.col("indicateur") == target_id) & (pl.col("plateforme") == wanted))
    if rows.is_empty():
        return None, None
    row = rows.row(0, named=True)
    return row["valeur_cible"], row["statut"]


# --- sentences ----------------------------------------------------------------------------------------

def comparison_phrase(scope: Scope, previous: Scope) -> str:
    """`sur un an` when the previous period is the same dates a year before, else `par rapport à …`."""
    if previous.debut.replace(year=scope.debut.year) == scope.debut and previous.debut.year == scope.debut.year - 1:
        return "sur un an"
    return "par rapport à la période précédente"


def trend_sentence(label: str, now: float | None, before: float | None, phrase: str, leader: str | None) -> str | None:
    """`Les saisines progressent de 12 % sur un an (345 contre 308), portées par le Calaisis.`"""
    change = fmt_change(now, before)
    if change is None or now is None or before is None:
        return None
    if round(now) == round(before):
        return f"{label} sont stables {phrase} ({fmt_int(now)})."
    verb = "progressent" if now > before else "reculent"
    carried = "portées" if now > before else "entraînées"
    tail = f", {carried} par {leader}" if leader else ""
    return f"{label} {verb} de {change.lstrip('+−')} {phrase} ({fmt_int(now)} contre {fmt_int(before)}){tail}."


def leading_platform(now: pl.DataFrame, before: pl.DataFrame, column: str, rising: bool) -> str | None:
    """The platform whose change weighs most in the direction of the overall trend (unmasked values only)."""
    if now.is_empty() or before.is_empty() or now["territoire"].n_unique() < 2:
        return None
    flag = f"{column}_masque"
    keep = [pl.col("territoire"), pl.col(column)]
    joined = now.filter(~pl.col(flag)).select(keep).join(
        before.filter(~pl.col(flag)).select(keep), on="territoire", suffix="_avant")
    if joined.is_empty():
        return None
    joined = joined.with_columns((pl.col(column) - pl.col(f"{column}_avant")).alias("ecart"))
    best = joined.sort("ecart", descending=rising).row(0, named=True)
    if (best["ecart"] > 0) != rising or best["ecart"] == 0:
        return None
    return platform_phrase(best["territoire"])


def platform_phrase(name: str) -> str:
    """`le Calaisis`, `l'Audomarois`, `la plateforme Lens-Hénin`: how a sentence names a platform."""
    if name[:1].upper() in "AEIOUYÉÈÊ":
        return f"l'{name}"
    if name.split("-")[0].endswith("is"):  # pays names: le Calaisis, le Boulonnais, le Ternois-Arrageois
        return f"le {name}"
    return f"la plateforme {name}"


def sentences(fetch: Fetch, overview_figures: list[KeyFigure], scope: Scope, previous: Scope) -> list[str]:
    """A few short factual sentences generated from the key figures."""
    phrase = comparison_phrase(scope, previous)
    by_id = {f.id: f for f in overview_figures}
    out = []
    saisines = by_id["saisines"]
    if saisines.comparable:
        per_platform = [fetch("saisines", **s.params(maille="plateforme")) for s in (scope, previous)]
        leader = leading_platform(*per_platform, "nb_saisines", rising=saisines.value > saisines.previous)
        sentence = trend_sentence("Les saisines", saisines.value, saisines.previous, phrase,
                                  None if len(scope.plateformes) < 2 else leader)
        if sentence:
            out.append(sentence)
    accompagnements = by_id["accompagnements"]
    if accompagnements.comparable:
        sentence = trend_sentence("Les accompagnements débutés", accompagnements.value, accompagnements.previous,
                                  phrase, None)
        if sentence:
            out.append(sentence)
    logement = by_id["acces_logement"]
    if logement.value is not None and not logement.masked:
        out.append(f"{fmt_int(logement.value)} ménages sont entrés dans un logement, {logement.detail}.")
    maintien = by_id["maintien"]
    if maintien.value is not None and not maintien.masked:
        target = f" (cible {fmt_pct(maintien.target, 0)} : {maintien.status})" if maintien.target else ""
        out.append(f"{fmt_pct(maintien.value, 0)} des ménages entrés dans un logement y sont toujours 12 mois "
                   f"après{target}.")
    budget = by_id["budget"]
    if budget.value is not None and budget.detail:
        out.append(f"Budget {scope.fin.year} : {fmt_pct(budget.value, 0)} des crédits conventionnés sont payés au "
                   f"{fmt_date(scope.fin)} ; {budget.detail.split(' ; ')[1]}.")
    return out


def overview(fetch: Fetch, scope: Scope, previous: Scope, targets: pl.DataFrame | None = None) -> Overview:
    """Key figures and sentences of a scope."""
    figures = key_figures(fetch, scope, previous, targets)
    return Overview(scope, previous, tuple(figures), tuple(sentences(fetch, figures, scope, previous)))


# --- tables -------------------------------------------------------------------------------------------

PLATFORM_COLUMNS = (
    ("saisines", "nb_saisines", "Saisines", COUNT),
    ("accompagnements_debutes", "nb_accompagnements_debutes", "Accompagnements débutés", COUNT),
    ("file_active", "nb_file_active", "File active", COUNT),
    ("entrees_logement", "nb_entrees", "Accès au logement", COUNT),
    ("acces_logement_sans_domicile", "nb_entrees_sans_domicile", "dont sans domicile", COUNT),
    ("taux_sortie_positive", "taux_sortie_positive", "Sorties positives", RATE),
)


def platform_table(fetch: Fetch, scope: Scope, columns=PLATFORM_COLUMNS) -> pl.DataFrame:
    """Indicators per platform (and for all of them), formatted, small counts masked.

    `columns`: (indicator, column, label, unit). Activity indicators split by a category (instances by type,
    captations by parc) are summed per territory: they are not masked, so their sum is exact.
    """
    table = None
    for name, column, label, unit in columns:
        frames = [fetch(name, **scope.params(maille=maille)) for maille in ("plateforme", "ensemble")]
        frame = pl.concat([_per_territory(f, column) for f in frames])
        fmt = fmt_pct if unit == RATE else fmt_int
        formatted = frame.select(
            pl.col("territoire").replace({"ensemble": "Ensemble"}).alias("Plateforme"),
            pl.struct(column, f"{column}_masque").map_elements(
                lambda r, c=column, f=fmt: fmt_masked(r[c], r[f"{c}_masque"], f), return_dtype=pl.Utf8).alias(label),
        )
        table = formatted if table is None else table.join(formatted, on="Plateforme", how="left",
                                                           maintain_order="left")
        # A territory absent from a count indicator split by category had none: 0, not blank.
        table = table.with_columns(pl.col(label).fill_null(fmt_int(0) if unit == COUNT else "—"))
    return table


def _per_territory(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per territory: the indicator's row, or the sum of its category rows (unmasked indicators)."""
    flag = f"{column}_masque"
    if flag not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias(flag))
    if frame["territoire"].is_duplicated().any():
        if frame[flag].any():
            raise ValueError(f"{column} : une somme de cases masquées ne peut pas être affichée")
        frame = frame.group_by("territoire", maintain_order=True).agg(pl.col(column).sum(), pl.col(flag).any())
    return frame.select("territoire", column, flag)


def targets_table(targets: pl.DataFrame) -> pl.DataFrame:
    """The targets of the year with their value and status, formatted."""
    if targets.is_empty():
        return pl.DataFrame()
    rows = []
    for t in targets.iter_rows(named=True):
        fmt = target_format(t["colonne"])
        rows.append({
            "Indicateur": t["titre"],
            "Plateforme": "Ensemble" if t["plateforme"] == "ensemble" else t["plateforme"],
            "Cible": fmt(t["valeur_cible"]),
            "Valeur": fmt_masked(t["valeur"], bool(t["valeur_masquee"]), fmt),
            "Statut": t["statut"] or "—",
        })
    return pl.DataFrame(rows)


def target_format(column: str | None) -> Callable[[float | None], str]:
    """How a target and its value read, from the unit of the indicator's column: `90 %`, `12,5 jours`,
    `3,2` (per 10 000 inhabitants), `45 600 €`, `1 234`."""
    column = column or ""
    if column.startswith("taux_"):
        return fmt_pct_compact
    if column.startswith("nb_jours"):
        return fmt_days
    if "_pour_10000" in column:
        return fmt_decimal
    if column.startswith("montant_"):
        return fmt_eur
    return fmt_int
