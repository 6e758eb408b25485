"""The PDF report carries its three charts (the four dimensions against the target, the trend
of the index and the dimensions, NPS by month), checked on the pages as poppler renders them.

WeasyPrint keeps the SVG charts as vector drawings, so the PDF has no raster image XObjects
(`pdfimages -list` lists none); each page is rasterised with `pdftoppm` and the charts' own
colours are looked for — solid bars, the dimension lines — against the same report with the
charts left blank (same size, nothing drawn), which must not pass the same checks."""

import base64
import dataclasses
import re
import subprocess

import numpy as np
import pytest
from django.utils import translation
from PIL import Image

from analytics.evaluations.periods import period_parse
from analytics.reports import charts
from analytics.reports.content import report_data
from analytics.reports.printable import report_pdf
from tests.support import require_pdf_rendering

pytestmark = pytest.mark.django_db

DPI = 72  # one pixel per PDF point
GREEN, RED, BLUE, PURPLE = (
    (0x1A, 0x7F, 0x37),
    (0xCF, 0x22, 0x2E),
    (0x09, 0x69, 0xDA),
    (0x82, 0x50, 0xDF),
)


def pages(pdf: bytes, tmp_path, name: str) -> list[np.ndarray]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(source), str(tmp_path / name)],
                   check=True)  # fmt: skip
    files = sorted(tmp_path.glob(f"{name}-*.png"))
    return [np.asarray(Image.open(f).convert("RGB"), dtype=np.int16) for f in files]


def patch(page: np.ndarray, colour) -> tuple[int, int, int]:
    """(pixels within 24 of the colour on every channel, width and height of their box)."""
    mask = (np.abs(page - np.array(colour)) <= 24).all(axis=2)
    if not mask.any():
        return 0, 0, 0
    rows, cols = np.nonzero(mask)
    return int(mask.sum()), int(cols.max() - cols.min() + 1), int(rows.max() - rows.min() + 1)


def best(rendered: list[np.ndarray], colour) -> tuple[int, int, int]:
    return max(patch(page, colour) for page in rendered)


def blank(uri: str) -> str:
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    width, height = re.search(r'width="(\d+)" height="(\d+)"', svg).groups()
    return charts.data_uri(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>'
    )


def test_the_pdf_draws_its_charts_and_a_report_without_them_fails_the_check(quarter, tmp_path):
    require_pdf_rendering()
    with translation.override("zh-hans"):
        data = report_data(period=period_parse("2026Q2"))
        drawn = report_pdf(data)
        empty = report_pdf(
            dataclasses.replace(data, charts={k: blank(v) for k, v in data.charts.items()})
        )
    assert set(data.charts) == {"dimensions", "trend", "nps"}
    with_charts, without = pages(drawn, tmp_path, "drawn"), pages(empty, tmp_path, "empty")
    assert len(with_charts) == len(without)  # the blank charts take the same room
    listed = subprocess.run(["pdfimages", "-list", "-"], input=drawn, capture_output=True)
    assert listed.returncode == 0  # vector charts: no raster images to list

    # Where the pages differ from the blank-chart report: drawings of a chart's size (the
    # SVGs are 640 px wide, printed ≈ 480 pt; the four bars ≈ 85 pt high, the trend ≈ 195 pt,
    # NPS by month ≈ 150 pt): here one chart per page, three pages.
    boxes = [drawn_box(a, b) for a, b in zip(with_charts, without, strict=True)]
    sized = [(w, h) for w, h in boxes if w >= 300 and h >= 60]
    assert len(sized) == 3 and all(w <= 520 for w, _h in sized), boxes

    # The dimension bars: Q2's value growth and experience meet the target of 100 (green) and
    # satisfaction 91.7 and loyalty 94.4 miss it (red): solid bars ≈ 350 pt long.
    n, width, height = best(with_charts, GREEN)
    assert n > 4000 and 250 < width < 450 and height >= 25, (n, width, height)
    assert best(with_charts, RED)[0] > 4000
    # The trend: Satisfaction (blue) and Value growth (purple), a segment Q1 → Q2 and the legend.
    assert best(with_charts, BLUE)[0] > 30 and best(with_charts, PURPLE)[0] > 10
    # NPS by month, a dark line: hundreds of dark pixels more than the blank report's page.
    dark = (0x1F, 0x23, 0x28)
    assert max(patch(a, dark)[0] - patch(b, dark)[0]
               for a, b in zip(with_charts, without, strict=True)) > 300  # fmt: skip

    # Without the charts no page has the bars or the lines: the same checks fail.
    assert best(without, GREEN)[0] < 500 and best(without, RED)[0] < 1000
    assert best(without, BLUE)[0] == 0 and best(without, PURPLE)[0] == 0


def drawn_box(page: np.ndarray, blank_page: np.ndarray) -> tuple[int, int]:
    """Width and height of the box around the pixels that differ from the blank report's."""
    rows, cols = np.nonzero((np.abs(page - blank_page) > 30).any(axis=2))
    if not len(rows):
        return 0, 0
    return int(cols.max() - cols.min() + 1), int(rows.max() - rows.min() + 1)
