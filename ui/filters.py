"""The shared filters: period (with presets), platforms and public.

They are drawn once, in the sidebar of the entry point (`app.py`), so that they persist across pages, and
bound to the URL (`bind="query-params"`): a view can be bookmarked or sent (`?periode=annee&annee=2025`).
Pages read the result with `current()`.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

import data_access
import queries
from figures.formats import fmt_date
from figures.scope import Scope

PRESETS = {
    "annee": "Année civile",
    "12mois": "12 derniers mois",
    "trimestre": "Trimestre",
    "perso": "Période personnalisée",
}
STATE_KEY = "_filtres"


def reference_date() -> date:
    """Today: the end of year-to-date and rolling periods."""
    return date.today()


def year_period(year: int, today: date) -> tuple[date, date]:
    """A calendar year, up to today when it is the current one."""
    end = date(year, 12, 31)
    return date(year, 1, 1), (min(end, today) if year == today.year else end)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The 12 last complete months."""
    end = today.replace(day=1) - timedelta(days=1)
    start = date(end.year - 1, end.month, 1) + timedelta(days=32)
    return start.replace(day=1), end


def quarter_period(code: str) -> tuple[date, date]:
    """`2026-T3` → 01/07/2026 – 30/09/2026."""
    year, quarter = int(code[:4]), int(code[-1])
    start = date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = (date(year + 1, 1, 1) if end_month == 12 else date(year, end_month + 1, 1)) - timedelta(days=1)
    return start, end


def quarter_codes(first: date, today: date) -> list[str]:
    """Quarters from the data's first to the current one, newest first (`2026-T4`, …)."""
    codes = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    while (year, quarter) >= (first.year, (first.month - 1) // 3 + 1):
        codes.append(f"{year}-T{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return codes


def quarter_label(code: str) -> str:
    """`2026-T3` → `3e trimestre 2026`."""
    n = int(code[-1])
    return f"{n}{'er' if n == 1 else 'e'} trimestre {code[:4]}"


def render_sidebar() -> Scope:
    """Draw the filters in the sidebar and return them (also kept for `current()`)."""
    today = reference_date()
    first, last = data_access.data_span()
    first = first or date(today.year, 1, 1)
    years = list(range(max(today.year, (last or today).year), first.year - 1, -1))
    with st.sidebar:
        st.markdown("### Filtres")
        preset = st.selectbox("Période", list(PRESETS), format_func=PRESETS.get, key="periode",
                              bind="query-params")
        if preset == "annee":
            year = st.selectbox("Année", years, key="annee", bind="query-params")
            debut, fin = year_period(year, today)
        elif preset == "12mois":
            debut, fin = last_twelve_months(today)
        elif preset == "trimestre":
            codes = quarter_codes(first, today)
            code = st.selectbox("Trimestre", codes, index=min(1, len(codes) - 1), format_func=quarter_label,
                                key="trimestre", bind="query-params")
            debut, fin = quarter_period(code)
        else:
            chosen = st.date_input("Du … au …", value=(date(today.year, 1, 1), today), format="DD/MM/YYYY",
                                   key="dates", bind="query-params")
            debut, fin = _range(chosen, today)
        st.caption(f"Du {fmt_date(debut)} au {fmt_date(fin)}")
        names = data_access.platform_names()
        chosen_platforms = st.multiselect("Plateformes", names, key="plateformes", bind="query-params",
                                          placeholder="Toutes les plateformes")
        public = st.selectbox("Public", list(queries.PUBLICS_FILTRE), format_func=queries.PUBLICS_FILTRE.get,
                              key="public", bind="query-params")
    scope = Scope(debut=debut, fin=fin, plateformes=tuple(chosen_platforms or names), public=public,
                      toutes_plateformes=not chosen_platforms or len(chosen_platforms) == len(names))
    st.session_state[STATE_KEY] = scope
    return scope


def _range(chosen, today: date) -> tuple[date, date]:
    """The custom range; a half-chosen range (one date) is a single day."""
    if isinstance(chosen, date):
        return chosen, chosen
    values = [d for d in (chosen or ()) if d is not None]
    if not values:
        return date(today.year, 1, 1), today
    return values[0], values[-1]


def current() -> Scope:
    """The filters drawn by the entry point for this run (drawn here when a page runs on its own)."""
    if STATE_KEY not in st.session_state:
        # A page run without the entry point (Streamlit's AppTest reruns only the page): draw them here.
        return render_sidebar()
    return st.session_state[STATE_KEY]


def forget() -> None:
    """Called by the entry point once the page has run, so the next run draws the filters anew."""
    st.session_state.pop(STATE_KEY, None)
