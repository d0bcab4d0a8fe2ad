"""The screens of a COPIL: one message per screen, a few big figures, one chart, speaker notes.

The same screens feed the COPIL mode (projected live), the PPTX deck and the DOCX note. A screen is built
from a `Source` — the app's `data_access` module, or `exports.source.WarehouseSource` on the command line —
which only ever returns masked indicators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import plotly.graph_objects as go
import polars as pl

from figures import overview
from figures.overview import KeyFigure
from figures.scope import Scope


class Source(Protocol):
    """Where screens read their data: masked indicators, outlines and targets."""

    def indicator(self, name: str, **params) -> pl.DataFrame: ...

    def outlines(self, maille: str) -> pl.DataFrame: ...

    def departement_outlines(self) -> pl.DataFrame: ...

    def targets_status(self, fin, plateformes: list[str]) -> pl.DataFrame: ...

    def map_base(self, maille: str): ...

    def platforms(self) -> pl.DataFrame: ...


@dataclass(frozen=True)
class Screen:
    """One screen of the COPIL sequence."""

    id: str
    title: str
    message: str
    figures: tuple[KeyFigure, ...] = ()
    chart: go.Figure | None = None
    table: pl.DataFrame | None = None
    notes: tuple[str, ...] = ()
    definitions: tuple[str, ...] = field(default=())  # indicator ids whose definitions close the deck


Builder = Callable[[Source, Scope], Screen]
_REGISTRY: dict[str, tuple[str, Builder]] = {}
DEFAULT_SEQUENCE = ("synthese", "carte", "parcours", "budget", "plan_actions")


def screen(screen_id: str, label: str) -> Callable[[Builder], Builder]:
    """Register a screen builder under an id and a French label."""
    def register(builder: Builder) -> Builder:
        _REGISTRY[screen_id] = (label, builder)
        return builder

    return register


def available() -> dict[str, str]:
    """Screen id → French label, in registration order."""
    _load_builders()
    return {sid: label for sid, (label, _) in _REGISTRY.items()}


def build(screen_id: str, source: Source, scope: Scope) -> Screen:
    """Build one screen."""
    _load_builders()
    if screen_id not in _REGISTRY:
        raise KeyError(f"écran inconnu « {screen_id} » ; écrans : {', '.join(_REGISTRY)}")
    return _REGISTRY[screen_id][1](source, scope)


def sequence(screen_ids: list[str] | tuple[str, ...], source: Source, scope: Scope) -> list[Screen]:
    """Build the screens of a sequence, in order."""
    return [build(sid, source, scope) for sid in screen_ids]


def _load_builders() -> None:
    """Import the modules that register screens (kept apart so each stays small)."""
    from figures import screens_builders  # noqa: F401 - registers the screens


def summary_of(source: Source, scope: Scope) -> overview.Overview:
    """The overview of a scope (key figures and sentences) from a source."""
    targets = source.targets_status(scope.fin, list(scope.plateformes))
    return overview.overview(source.indicator, scope, scope.precedente(), targets)
