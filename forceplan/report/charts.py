"""Small, dependency-free SVG charts for the report: lines (with a band) and bars.

Every chart is one inline `<svg>` element: no scripts, fonts, stylesheets or images, so
the report works offline and prints as vectors. All text (names come from the user's
workbook) is XML-escaped here; the result is marked safe for the template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

#: Colour-blind-friendly palette (Okabe-Ito, then Tableau), cycled for more series.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)
FONT = "font-family:Arial,Helvetica,sans-serif"
LEGEND_CHARS = 48  # longer legend entries are cut


@dataclass
class Series:
    name: str
    values: Sequence[float | None]  # one per x; None = no value
    color: str | None = None
    dashed: bool = False


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def compact(x: float) -> str:
    """Axis label: 1.2k, 3.4M, 5bn, 2tn."""
    ax = abs(x)
    for limit, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if ax >= limit:
            return f"{x / limit:.3g}{suffix}"
    return f"{x:.3g}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi:
        ticks.append(ticks[-1] + step)
    return ticks


class _Frame:
    """Plot area geometry and the scales of one chart."""

    def __init__(
        self,
        n: int,
        lo: float,
        hi: float,
        width: int,
        height: int,
        legend_rows: int,
        bars: bool,
    ) -> None:
        self.width, self.height = width, height
        self.left, self.right, self.top = 58, 12, 10
        self.bottom = 26 + 16 * legend_rows
        self.ticks = nice_ticks(min(lo, 0.0), hi)
        self.lo, self.hi = self.ticks[0], self.ticks[-1]
        self.n, self.bars = n, bars

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, i: float) -> float:
        if self.bars:
            return self.left + self.plot_w * (i + 0.5) / max(1, self.n)
        return self.left + (self.plot_w * i / (self.n - 1) if self.n > 1 else self.plot_w / 2)

    def y(self, v: float) -> float:
        span = (self.hi - self.lo) or 1.0
        return self.top + self.plot_h * (1 - (v - self.lo) / span)


def _num(v: float) -> str:
    return f"{v:.1f}"


def _axes(f: _Frame, labels: Sequence[str], y_label: str) -> list[str]:
    out = []
    for t in f.ticks:
        y = f.y(t)
        out.append(
            f'<line x1="{f.left}" x2="{f.width - f.right}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="#dddddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{f.left - 4}" y="{_num(y + 3.5)}" text-anchor="end" font-size="10" '
            f'style="{FONT}">{escape(compact(t))}</text>'
        )
    step = max(1, math.ceil(len(labels) / max(1, f.plot_w // 38)))
    for i, label in enumerate(labels):
        if i % step:
            continue
        out.append(
            f'<text x="{_num(f.x(i))}" y="{_num(f.top + f.plot_h + 13)}" text-anchor="middle" '
            f'font-size="10" style="{FONT}">{escape(str(label))}</text>'
        )
    out.append(
        f'<line x1="{f.left}" x2="{f.width - f.right}" y1="{_num(f.y(f.lo))}" '
        f'y2="{_num(f.y(f.lo))}" stroke="#555555" stroke-width="1"/>'
    )
    if y_label:
        out.append(
            f'<text x="10" y="{_num(f.top + f.plot_h / 2)}" font-size="10" text-anchor="middle" '
            f'transform="rotate(-90 10 {_num(f.top + f.plot_h / 2)})" style="{FONT}">'
            f"{escape(y_label)}</text>"
        )
    return out


def _legend(items: list[tuple[str, str, bool, str]], f: _Frame) -> list[str]:
    """items: (name, colour, dashed, shape 'line'|'box'|'band'); wrapped in rows."""
    out, x, row = [], f.left, 0
    base = f.top + f.plot_h + 30
    for name, col, dashed, shape in items:
        text = name if len(name) <= LEGEND_CHARS else name[: LEGEND_CHARS - 1] + "…"
        w = 26 + 6.6 * len(text)
        if x + w > f.width - f.right and x > f.left:
            x, row = f.left, row + 1
        y = base + 16 * row
        if shape == "line":
            dash = ' stroke-dasharray="5 3"' if dashed else ""
            out.append(
                f'<line x1="{_num(x)}" x2="{_num(x + 16)}" y1="{_num(y - 4)}" y2="{_num(y - 4)}" '
                f'stroke="{col}" stroke-width="2"{dash}/>'
            )
        else:
            opacity = ' fill-opacity="0.25"' if shape == "band" else ""
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y - 9)}" width="14" height="10" '
                f'fill="{col}"{opacity}/>'
            )
        out.append(
            f'<text x="{_num(x + 20)}" y="{_num(y)}" font-size="10" style="{FONT}">'
            f"{escape(text)}</text>"
        )
        x += w
    return out


def _legend_rows(names: list[str], width: int) -> int:
    rows, x = 1, 58
    for name in names:
        w = 26 + 6.6 * min(len(name), LEGEND_CHARS)
        if x + w > width - 12 and x > 58:
            rows, x = rows + 1, 58
        x += w
    return rows if names else 0


def _svg(f: _Frame, body: list[str], title: str) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {f.width} {f.height}" width="{f.width}" '
        f'height="{f.height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _finite(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    y_label: str = "",
    band: tuple[Sequence[float | None], Sequence[float | None]] | None = None,
    band_name: str = "allowed band",
    width: int = 860,
    height: int = 280,
    legend: bool = True,
) -> Markup:
    """Lines over `labels` (years); `band` = (lower, upper) drawn as a shaded area."""
    values = [v for s in series for v in _finite(s.values)]
    if band:
        values += _finite(band[0]) + _finite(band[1])
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    narrow = hi > 0 and lo > 0 and (hi - lo) < 0.25 * hi  # then the axis need not start at 0
    names = [s.name for s in series] + ([band_name] if band else [])
    rows = _legend_rows(names, width) if legend else 0
    f = _Frame(len(labels), min(lo, 0.0), hi, width, height, rows, bars=False)
    if narrow:
        span = max(hi - lo, hi * 0.02)
        f.ticks = nice_ticks(max(0.0, lo - 0.3 * span), hi)
        f.lo, f.hi = f.ticks[0], f.ticks[-1]
    body = _axes(f, labels, y_label)
    if band:
        body += _band(f, band)
    items = []
    for k, s in enumerate(series):
        col = s.color or colour(k)
        body += _polyline(f, s.values, col, s.dashed)
        items.append((s.name, col, s.dashed, "line"))
    if band:
        items.append((band_name, "#2E7D32", False, "band"))
    if legend:
        body += _legend(items, f)
    return _svg(f, body, title)


def _band(f: _Frame, band: tuple[Sequence[float | None], Sequence[float | None]]) -> list[str]:
    lower, upper = band
    pts = [
        (i, lo, hi)
        for i, (lo, hi) in enumerate(zip(lower, upper, strict=True))
        if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi)
    ]
    if not pts:
        return []
    out = []
    # contiguous runs of years with a band
    runs: list[list[tuple[int, float, float]]] = []
    for p in pts:
        if runs and p[0] == runs[-1][-1][0] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    for run in runs:
        if len(run) == 1:
            i, lo, hi = run[0]
            x = f.x(i)
            out.append(
                f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(f.y(lo))}" y2="{_num(f.y(hi))}" '
                f'stroke="#2E7D32" stroke-width="6" stroke-opacity="0.35"/>'
            )
            continue
        top = " ".join(f"{_num(f.x(i))},{_num(f.y(hi))}" for i, _lo, hi in run)
        bottom = " ".join(f"{_num(f.x(i))},{_num(f.y(lo))}" for i, lo, _hi in reversed(run))
        out.append(
            f'<polygon points="{top} {bottom}" fill="#2E7D32" fill-opacity="0.18" '
            f'stroke="#2E7D32" stroke-opacity="0.5" stroke-width="1"/>'
        )
    return out


def _polyline(f: _Frame, values: Sequence[float | None], col: str, dashed: bool) -> list[str]:
    out, run = [], []
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    for i, v in enumerate([*values, None]):
        if v is not None and math.isfinite(float(v)):
            run.append(f"{_num(f.x(i))},{_num(f.y(float(v)))}")
            continue
        if len(run) > 1:
            out.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{col}" '
                f'stroke-width="2"{dash}/>'
            )
        elif len(run) == 1:
            x, y = run[0].split(",")
            out.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{col}"/>')
        run = []
    return out


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    y_label: str = "",
    stacked: bool = True,
    lines: Sequence[Series] = (),
    width: int = 860,
    height: int = 280,
) -> Markup:
    """Bars per label (stacked, or side by side), optional lines on top (e.g. a total)."""
    n = len(labels)
    if stacked:
        tops = [sum(max(0.0, float(s.values[i] or 0.0)) for s in series) for i in range(n)]
    else:
        tops = [max([float(s.values[i] or 0.0) for s in series] or [0.0]) for i in range(n)]
    values = tops + [v for s in lines for v in _finite(s.values)]
    lows = [min(0.0, float(v or 0.0)) for s in series for v in s.values]
    hi = max(values) if values else 1.0
    lo = min(lows) if lows else 0.0
    names = [s.name for s in series] + [s.name for s in lines]
    f = _Frame(n, lo, hi if hi > lo else lo + 1, width, height, _legend_rows(names, width), True)
    body = _axes(f, labels, y_label)
    slot = f.plot_w / max(1, n)
    bar_w = slot * 0.7
    for i in range(n):
        base = 0.0
        for k, s in enumerate(series):
            v = float(s.values[i] or 0.0)
            col = s.color or colour(k)
            if stacked:
                y0, y1 = f.y(base), f.y(base + max(0.0, v))
                x, w = f.x(i) - bar_w / 2, bar_w
                base += max(0.0, v)
            else:
                w = bar_w / max(1, len(series))
                x = f.x(i) - bar_w / 2 + k * w
                y0, y1 = f.y(min(0.0, v)), f.y(max(0.0, v))
            if abs(y0 - y1) < 0.05:
                continue
            body.append(
                f'<rect x="{_num(x)}" y="{_num(min(y0, y1))}" width="{_num(max(w - 0.5, 0.5))}" '
                f'height="{_num(abs(y0 - y1))}" fill="{col}"><title>{escape(s.name)} '
                f"{escape(str(labels[i]))}: {escape(_plain(v))}</title></rect>"
            )
    items = [(s.name, s.color or colour(k), False, "box") for k, s in enumerate(series)]
    for s in lines:
        col = s.color or "#000000"
        body += _polyline(f, s.values, col, s.dashed)
        items.append((s.name, col, s.dashed, "line"))
    body += _legend(items, f)
    return _svg(f, body, title)


def _plain(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.4g}"


def top_series(
    frame_by_name: dict[str, Sequence[float]], keep: int = 9, other: str = "other"
) -> list[Series]:
    """At most `keep` series (largest totals first, in their original order), the rest
    summed into `other`."""
    names = list(frame_by_name)
    if len(names) <= keep + 1:
        return [Series(n, list(frame_by_name[n])) for n in names]
    totals = {n: sum(abs(float(v or 0.0)) for v in frame_by_name[n]) for n in names}
    big = set(sorted(names, key=lambda n: -totals[n])[:keep])
    out = [Series(n, list(frame_by_name[n])) for n in names if n in big]
    length = len(next(iter(frame_by_name.values())))
    rest = [
        sum(float(frame_by_name[n][i] or 0.0) for n in names if n not in big) for i in range(length)
    ]
    out.append(Series(other, rest, "#B0B0B0"))
    return out
