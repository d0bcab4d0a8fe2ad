"""Reading what a page drew in an AppTest: key figures, charts by title, tables by column."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest


def metrics(at: AppTest) -> dict[str, str]:
    """Key figures, label -> displayed value."""
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly charts (their JSON spec) by title."""
    return {spec["layout"]["title"]["text"]: spec
            for spec in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))}


def table_frame(at: AppTest, column: str) -> pd.DataFrame:
    """The first table that has `column`."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column}")


def table(at: AppTest, column: str) -> list[dict]:
    """The rows of the first table that has `column`."""
    return table_frame(at, column).to_dict("records")
