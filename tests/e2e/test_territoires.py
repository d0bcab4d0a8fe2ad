"""The Territoires page in Chromium on the demo data: the map is drawn (WebGL, no basemap, nothing fetched from
outside), and a click on a territory selects it: the list, the ranking table and the comparison follow."""

from __future__ import annotations

import io
from urllib.parse import urlparse

from PIL import Image

from tests.e2e.conftest import SCREENSHOTS, screenshot, wait_for_app


def distinct_colours(png: bytes, min_pixels: int = 150) -> int:
    """Colours covering at least `min_pixels` pixels of an image (anti-aliasing left out)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(1 for n, _ in counts if n >= min_pixels)


def marked_rows(page) -> list[list[str]]:
    """Rows of the ranking table marked « ▶ » (read from the grid's accessible table)."""
    rows = page.locator("[data-testid='stDataFrame']").first.locator("tr").all()
    cells = [row.locator("td").all_text_contents() for row in rows]
    return [c for c in cells if c and c[0] == "▶"]


def test_the_map_renders_and_a_click_selects_a_territory(app_url, page):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1",
                                                                                            "localhost") else None)
    page.goto(f"{app_url}/territoires?periode=annee&annee=2025")
    wait_for_app(page)
    chart = page.locator("[data-testid='stDeckGlJsonChart']")
    chart.locator("canvas").first.wait_for()
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)  # first WebGL frame
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    drawn = chart.screenshot(path=str(SCREENSHOTS / "territoires-carte.png"))
    assert distinct_colours(drawn) >= 5  # white background, outlines, several classes, the hatched grey
    assert marked_rows(page) == []
    assert page.locator(".st-key-territoire input").input_value() == ""

    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a platform is there
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('.st-key-territoire input')?.value", timeout=30_000)
    wait_for_app(page)
    name = page.locator(".st-key-territoire input").input_value()
    assert name
    assert "territoire=" in page.url
    marked = marked_rows(page)
    assert len(marked) == 1 and name in marked[0]
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert any(label.startswith(name) for label in labels)
    assert page.locator("[data-testid='stException']").count() == 0
    # No basemap, no tiles, no style fetched: the map works offline. (The browser tab's icon, a Material symbol
    # set by app.py, is fetched by Streamlit from Google's font server: not the map's doing.)
    assert [url for url in outside if "/materialsymbols" not in url] == []
    screenshot(page, "territoires-selection")
