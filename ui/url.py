"""The page state a link carries: controls seeded from the URL on a session's first run, mirrored back in it with
stable codes (not labels), so that a view can be bookmarked or sent."""

from __future__ import annotations

import streamlit as st


def value(key: str, allowed) -> str | None:
    """The URL's value of `key` if it is one of `allowed`, else None."""
    found = st.query_params.get(key)
    return found if found in allowed else None


def seed(key: str, allowed, default) -> None:
    """Seed a control's state from the URL on a session's first run (else `default`); keep it valid afterwards
    (a change of indicator can make the previous value impossible)."""
    if key not in st.session_state:
        found = value(key, allowed)
        st.session_state[key] = default if found is None else found
    elif st.session_state[key] not in allowed:
        st.session_state[key] = default


def write(values: dict[str, str | list[str] | None]) -> None:
    """Mirror values in the URL (a list as a repeated parameter; None, empty: removed), touching only what changed."""
    for key, wanted_value in values.items():
        current = st.query_params.get_all(key)
        wanted = [] if wanted_value in (None, "", []) else (
            wanted_value if isinstance(wanted_value, list) else [wanted_value])
        if current == wanted:
            continue
        if wanted:
            st.query_params[key] = wanted if len(wanted) > 1 else wanted[0]
        elif key in st.query_params:
            del st.query_params[key]
