"""The shared filters: period (with presets), platforms and public.

They are drawn once, in the sidebar of the entry point (`app.py`), so that they persist across pages, and
mirrored in the URL with stable codes, so that a view can be bookmarked or sent
(`?periode=annee&annee=2025&plateformes=Calaisis&public=sans_domicile`). Pages read them with `current()`.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

import data_access
import queries
from figures.formats import fmt_date
from figures.scope import Scope
from ui import url

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


def _initial(key: str, value) -> None:
    """Seed a filter from the URL once per session (a shared link); later runs keep the user's choice."""
    if key not in st.session_state and value is not None:
        st.session_state[key] = value



def _url_date(key: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        return None



def render_sidebar() -> Scope:
    """Draw the filters in the sidebar, mirror them in the URL and return them (also kept for `current()`).

    The URL carries codes, not labels, so a link keeps working when a label changes: `periode` (annee,
    12mois, trimestre, perso), `annee`, `trimestre` (2026-T3), `du` / `au` (ISO dates), `plateformes`
    (repeated), `public`.
    """
    today = reference_date()
    first, last = data_access.data_span()
    first = first or date(today.year, 1, 1)
    years = list(range(max(today.year, (last or today).year), first.year - 1, -1))
    codes = quarter_codes(first, today)
    names = data_access.platform_names()
    _initial("periode", url.value("periode", PRESETS) or "annee")
    in_url: dict[str, str | list[str] | None] = {"annee": None, "trimestre": None, "du": None, "au": None}
    with st.sidebar:
        st.markdown("### Filtres")
        preset = st.selectbox("Période", list(PRESETS), format_func=PRESETS.get, key="periode")
        in_url["periode"] = preset
        if preset == "annee":
            _initial("annee", int(st.query_params["annee"]) if st.query_params.get("annee", "").isdigit()
                     and int(st.query_params["annee"]) in years else years[0])
            year = st.selectbox("Année", years, key="annee")
            debut, fin = year_period(year, today)
            in_url["annee"] = str(year)
        elif preset == "12mois":
            debut, fin = last_twelve_months(today)
        elif preset == "trimestre":
            _initial("trimestre", url.value("trimestre", codes) or codes[min(1, len(codes) - 1)])
            code = st.selectbox("Trimestre", codes, format_func=quarter_label, key="trimestre")
            debut, fin = quarter_period(code)
            in_url["trimestre"] = code
        else:
            start, end = _url_date("du"), _url_date("au")
            _initial("dates", (start, end) if start and end and start <= end else (date(today.year, 1, 1), today))
            debut, fin = _range(st.date_input("Du … au …", format="DD/MM/YYYY", key="dates"), today)
            in_url["du"], in_url["au"] = debut.isoformat(), fin.isoformat()
        st.caption(f"Du {fmt_date(debut)} au {fmt_date(fin)}")
        _initial("plateformes", [p for p in st.query_params.get_all("plateformes") if p in names])
        chosen_platforms = st.multiselect("Plateformes", names, key="plateformes",
                                          placeholder="Toutes les plateformes")
        _initial("public", url.value("public", queries.PUBLICS_FILTRE) or "tous")
        public = st.selectbox("Public", list(queries.PUBLICS_FILTRE), format_func=queries.PUBLICS_FILTRE.get,
                              key="public")
    in_url["plateformes"] = chosen_platforms if chosen_platforms and len(chosen_platforms) < len(names) else None
    in_url["public"] = None if public == "tous" else public
    url.write(in_url)
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
