"""Charts as inline SVG, drawn from claimtrack.store.stats groups: nothing to load, nothing fetched elsewhere."""

from __future__ import annotations

from html import escape

from claimtrack.model import VERDICTS

# A colour per verdict (unverified grey, refuted red...), one a reader can tell apart in print too.
VERDICT_COLOURS = {
    "unverified": "#9e9e9e", "supported": "#2e7d32", "mixed": "#f9a825", "misleading": "#ef6c00",
    "refuted": "#c62828", "unprovable": "#6a1b9a",
}
_HEIGHT = 160
_TOP = 10
_BOTTOM = 34  # room for the month labels
_LEFT = 36  # room for the scale


def _colour(verdict: str) -> str:
    return VERDICT_COLOURS.get(verdict, "#455a64")


def month_chart(groups, caption: str) -> str:
    """Claims per month as stacked bars coloured by verdict (GROUPS: stats by month, in order), with a legend.

    Every figure is also in each bar's title (shown on hover and read by screen readers) and in the table
    the page gives beside it.
    """
    months = [g for g in groups if g.name[:1].isdigit()]
    if not months:
        return f'<p class="chart-empty">No dated claims to chart ({escape(caption)}).</p>'
    largest = max(g.total for g in months)
    bar = max(4, min(28, 720 // len(months)))
    gap = 2 if bar > 6 else 1
    width = _LEFT + len(months) * (bar + gap) + 10
    plot = _HEIGHT - _TOP - _BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{_HEIGHT}" '
        f'viewBox="0 0 {width} {_HEIGHT}" aria-label="{escape(caption)}">',
        f"<title>{escape(caption)}</title>",
        f'<line x1="{_LEFT - 2}" y1="{_TOP + plot}" x2="{width - 5}" y2="{_TOP + plot}" stroke="#555"/>',
        f'<text x="{_LEFT - 6}" y="{_TOP + 8}" text-anchor="end" font-size="10">{largest}</text>',
        f'<text x="{_LEFT - 6}" y="{_TOP + plot}" text-anchor="end" font-size="10">0</text>',
    ]
    label_every = -(-56 // (bar + gap))  # a label is about 56 pixels wide: one under every few bars
    for n, group in enumerate(months):
        x = _LEFT + n * (bar + gap)
        y = _TOP + plot
        for verdict, count in group.verdicts.items():
            height = count * plot / largest
            y -= height
            parts.append(
                f'<rect class="bar" data-month="{escape(group.name)}" data-verdict="{escape(verdict)}" '
                f'x="{x}" y="{y:.1f}" width="{bar}" height="{height:.1f}" fill="{_colour(verdict)}">'
                f"<title>{escape(group.name)}: {count} {escape(verdict)}</title></rect>"
            )
        if n % label_every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{_TOP + plot + 14}" text-anchor="middle" '
                         f'font-size="9">{escape(_month_label(group.name))}</text>')
    parts.append("</svg>")
    return "".join(parts) + legend(months)


def verdict_bars(groups) -> str:
    """One horizontal bar per verdict (GROUPS: stats by verdict), as SVG, each with its count."""
    if not groups:
        return '<p class="chart-empty">No claims yet.</p>'
    largest = max(g.total for g in groups)
    row = 22
    width = 520
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{row * len(groups) + 4}" aria-label="Claims by verdict"><title>Claims by verdict</title>']
    for n, group in enumerate(groups):
        y = n * row + 2
        length = max(2, group.total * 330 / largest)
        parts.append(
            f'<text x="100" y="{y + 14}" text-anchor="end" font-size="12">{escape(group.name)}</text>'
            f'<rect class="bar" data-verdict="{escape(group.name)}" x="108" y="{y + 2}" width="{length:.1f}" '
            f'height="{row - 6}" fill="{_colour(group.name)}"><title>{group.total} {escape(group.name)}</title></rect>'
            f'<text x="{108 + length + 6:.1f}" y="{y + 14}" font-size="12">{group.total}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(groups) -> str:
    """The colour of each verdict the groups hold."""
    present = [v for v in VERDICTS if any(v in g.verdicts for g in groups)]
    items = "".join(f'<li><span class="swatch" style="background:{_colour(v)}"></span>{escape(v)}</li>'
                    for v in present)
    return f'<ul class="legend">{items}</ul>'


def _month_label(month: str) -> str:
    """'2024-02' as 'Feb 2024'."""
    import calendar

    year, _, number = month.partition("-")
    if not number.isdigit() or not 1 <= int(number) <= 12:
        return month
    return f"{calendar.month_abbr[int(number)]} {year}"
