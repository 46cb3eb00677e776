"""Charts drawn on the server as inline SVG (no script, no external file): bars for a series of days. Every label is
escaped; every number is formatted here, so the markup holds nothing a user typed unescaped."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, TOP, BOTTOM = 320, 140, 16, 22


def bars(points: list[tuple[str, float]], title: str, unit: str = "", highlight_last: bool = True) -> Markup:
    """A bar per point (label, value); the last (today) drawn in the accent colour; each bar says its value."""
    if not points:
        return Markup("")
    peak = max((value for _, value in points), default=0) or 1
    step = WIDTH / len(points)
    bar = step * 0.62
    plot = HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="0" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" class="axis"/>']
    for i, (label, value) in enumerate(points):
        h = 0 if value <= 0 else max(1.0, plot * value / peak)
        x = i * step + (step - bar) / 2
        y = HEIGHT - BOTTOM - h
        css = "bar today" if highlight_last and i == len(points) - 1 else "bar"
        shown = _number(value)
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}">'
                     f"<title>{escape(label)}: {escape(shown)}{escape(unit)}</title></rect>")
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{max(y - 3, 10):.1f}" class="value">{escape(shown)}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 6}" class="label">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.2f}"
