"""Draw the capability-for-money frontier of the example as an SVG (no plotting library).

    forceplan sweep data/ukraine-2026-2035.xlsx --objective max_capability \\
        --vary 'Funding.amount=*0.8:1.2:21' -o sweep.xlsx
    python data/plot_frontier.py sweep.xlsx data/ukraine-frontier.svg
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

W, H, PAD = 640, 360, 60


def points(sweep: Path) -> list[tuple[float, float | None]]:
    ws = openpyxl.load_workbook(sweep, read_only=True)["Sweep"]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    x, st, obj = header.index("Funding.amount ×"), header.index("status"), header.index("objective")
    return [(r[x], r[obj] if r[st] == "optimal" else None) for r in rows if r[x] is not None]


def svg(data: list[tuple[float, float | None]]) -> str:
    xs = [x for x, _ in data]
    ys = [y for _, y in data if y is not None]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys) * 0.98, max(ys) * 1.005

    def px(x: float) -> float:
        return PAD + (x - x0) / (x1 - x0) * (W - 2 * PAD)

    def py(y: float) -> float:
        return H - PAD - (y - y0) / (y1 - y0) * (H - 2 * PAD)

    line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in data if y is not None)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">Capability bought per '
        "budget level (max_capability, all funding scaled)</text>",
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="black"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="black"/>',
        f'<polyline points="{line}" fill="none" stroke="#1f77b4" stroke-width="2"/>',
    ]
    for x, y in data:
        if y is None:
            out.append(
                f'<text x="{px(x):.1f}" y="{H - PAD - 8}" text-anchor="middle" fill="#c00">×</text>'
            )
        else:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="#1f77b4"/>')
    for x in xs[::4]:
        out.append(f'<text x="{px(x):.1f}" y="{H - PAD + 18}" text-anchor="middle">{x:.2f}</text>')
    for k in range(5):
        y = y0 + k * (y1 - y0) / 4
        out.append(f'<text x="{PAD - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:,.0f}</text>')
    out.append(
        f'<text x="{W / 2}" y="{H - 15}" text-anchor="middle">funding × (× = no plan: '
        "the floors cannot be paid)</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(svg(points(Path(sys.argv[1]))), encoding="utf-8")
