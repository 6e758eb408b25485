"""Charts of the printable report drawn as SVG on the server (no JavaScript, no plotting
library): a line chart of series over periods and a bar chart of values against targets.
Pure: strings in, SVG text out; the caller names everything in the reader's language."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape

PALETTE = ("#1f2328", "#0969da", "#1a7f37", "#9a6700", "#8250df", "#cf222e")
FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def _axis(low: float, high: float) -> tuple[float, float, list[float]]:
    """A rounded axis from low to high with about five ticks."""
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    raw = (high - low) / 5
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    step = next(s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw)
    start = (low // step) * step
    ticks, value = [], start
    while value < high + step * 0.999:
        ticks.append(round(value, 6))
        value += step
    return ticks[0], ticks[-1], ticks


def _number(value: float) -> str:
    text = f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"
    return text.replace("-", "−")


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: int = 640,
    height: int = 260,
    dashed_last: bool = False,
) -> str:
    """Series over labelled points (gaps where a value is None); the legend underneath.
    `dashed_last`: the last segment dashed (a provisional period)."""
    values = [v for _, vs in series for v in vs if v is not None]
    low, high, ticks = _axis(min(values, default=0.0), max(values, default=100.0))
    left, right, top, legend_rows = 52, 44, 12, (len(series) + 2) // 3
    bottom = 28 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + i * step if len(labels) > 1 else left + plot_w / 2

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">']  # fmt: skip
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#d0d7de" stroke-width="0.6"/>'
                     f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'fill="#57606a">{_number(tick)}</text>')  # fmt: skip
    for i, label in enumerate(labels):
        parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                     f'fill="#57606a" font-size="10">{escape(label)}</text>')  # fmt: skip
    for k, (name, points) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        width_ = 2.4 if k == 0 else 1.5
        segments: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(points):
            if v is None:
                segments.append([])
            else:
                segments[-1].append((x(i), y(v)))
        for seg in segments:
            if len(seg) >= 2:
                solid = seg[:-1] if dashed_last and seg[-1][0] == x(len(labels) - 1) else seg
                if len(solid) >= 2:
                    path = " ".join(f"{a:.1f},{b:.1f}" for a, b in solid)
                    parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                                 f'stroke-width="{width_}"/>')  # fmt: skip
                if solid is not seg:
                    (a1, b1), (a2, b2) = seg[-2], seg[-1]
                    parts.append(f'<line x1="{a1:.1f}" y1="{b1:.1f}" x2="{a2:.1f}" '
                                 f'y2="{b2:.1f}" stroke="{colour}" stroke-width="{width_}" '
                                 f'stroke-dasharray="4 3"/>')  # fmt: skip
            for a, b in seg:
                parts.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.2" fill="{colour}"/>')
        column, row = k % 3, k // 3
        lx, ly = left + column * (plot_w / 3), height - 18 * (legend_rows - row) + 4
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 8:.1f}" width="14" height="3" '
                     f'fill="{colour}"/><text x="{lx + 18:.1f}" y="{ly - 3:.1f}" '
                     f'fill="#1f2328">{escape(name)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    rows: Sequence[tuple[str, float | None, float | None, str]],
    *,
    width: int = 640,
    bar_height: int = 18,
    value_max: float = 100.0,
) -> str:
    """Horizontal bars (label, value, target, status) on 0…value_max, the target as a tick.
    Status colours the bar: met green, close amber, missed red, else grey."""
    colours = {"met": "#1a7f37", "close": "#9a6700", "missed": "#cf222e"}
    left, right, gap = 150, 56, 8
    height = len(rows) * (bar_height + gap) + gap
    plot_w = width - left - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">']  # fmt: skip
    for i, (label, value, target, status) in enumerate(rows):
        top = gap + i * (bar_height + gap)
        parts.append(f'<text x="{left - 6}" y="{top + bar_height - 5}" text-anchor="end" '
                     f'fill="#1f2328">{escape(label)}</text>'
                     f'<rect x="{left}" y="{top}" width="{plot_w}" height="{bar_height}" '
                     f'fill="#f6f8fa"/>')  # fmt: skip
        if value is not None:
            share = max(0.0, min(float(value) / value_max, 1.0))
            parts.append(f'<rect x="{left}" y="{top}" width="{plot_w * share:.1f}" '
                         f'height="{bar_height}" fill="{colours.get(status, "#8c959f")}"/>'
                         f'<text x="{left + plot_w + 4}" y="{top + bar_height - 5}" '
                         f'fill="#1f2328">{_number(float(value))}</text>')  # fmt: skip
        if target is not None:
            tx = left + plot_w * max(0.0, min(float(target) / value_max, 1.0))
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 2}" '
                f'y2="{top + bar_height + 2}" stroke="#1f2328" stroke-width="1.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    """The SVG as an <img src> data URI (an image in the browser and in WeasyPrint alike)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
