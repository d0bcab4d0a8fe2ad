"""Chart images: slide-ready PNG (16:9, 3200 × 1800) and valid SVG, rendered by kaleido with the system Chromium."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest

from exports import images
from figures import screens
from figures.theme import Caption, apply_theme
from tests.exports.conftest import YEAR_2025


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def figure():
    fig = go.Figure(go.Bar(x=["Calaisis", "Lens-Hénin"], y=[1234, 56], name="Saisines"))
    return apply_theme(fig, Caption("Saisines par plateforme", "Année 2025 — toutes les plateformes"))


def test_png_is_a_16_9_slide_image(chromium, figure):
    data = images.png(figure, "Effectifs de 1 à 4 masqués (« < 5 ») : secret statistique.")
    assert png_size(data) == (3200, 1800)


def test_svg_is_valid_and_carries_title_period_source_and_notice(chromium, figure):
    data = images.svg(figure, "Effectifs de 1 à 4 masqués (« < 5 ») : secret statistique.")
    root = ET.parse(io.BytesIO(data)).getroot()
    assert root.tag.endswith("svg") and root.get("width") == "1600" and root.get("height") == "900"
    text = " ".join(t for t in root.itertext())
    for expected in ("Saisines par plateforme", "Année 2025 — toutes les plateformes",
                     "Source : fichiers de suivi des plateformes", "secret statistique"):
        assert expected in text.replace("\u00a0", " ")
    assert "1\u202f200" in text  # French thousands separator on the value axis


def test_the_map_renders_offline(chromium, source):
    """The static map is drawn on plain axes: no world map fetched from a CDN (which would fail offline)."""
    chart = screens.build("carte", source, YEAR_2025).chart
    assert png_size(images.png(chart)) == (3200, 1800)
