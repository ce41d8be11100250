"""Charts as inline SVG, drawn in Python: no script, no library, no network — the page works offline and
prints as it shows.

:func:`chart_svg` draws a :class:`~envplan_core.render.series.Chart`: the series (points joined by a
line, or bars), monthly means as steps over daily values, the limit as a red dashed line, the period
statistic as a blue dotted line, and every value that fails the limit as a red dot (or a red bar).
:func:`status_bar_svg` draws the share of each status of a plan as one stacked bar. All text is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from envplan_core.render.document import fmt_number
from envplan_core.render.series import Chart, Point

__all__ = ["STATUS_COLOURS", "chart_svg", "status_bar_svg"]

#: Fill colours per status (also used by the HTML and XLSX reports).
STATUS_COLOURS: dict[str, str] = {
    "not_met": "#d93025",
    "overdue": "#b3261e",
    "insufficient_data": "#f9ab00",
    "done_late": "#e8a33d",
    "open": "#1a73e8",
    "ongoing": "#5f9ea0",
    "not_applicable": "#9aa0a6",
    "superseded": "#bdbdbd",
    "met": "#188038",
    "done": "#34a853",
}

_W, _H = 760, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 24, 20, 46
_SERIES = "#3c4043"
_OVERLAY = "#e37400"
_LIMIT = "#d93025"
_STAT = "#1a73e8"
_CLASS_ZH = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * exp >= value:
            return step * exp
    return 10.0 * exp


def _ticks(top: float, n: int = 5) -> list[float]:
    return [top * i / n for i in range(n + 1)]


def _x_labels(points: Sequence[Point], kind: str) -> list[tuple[int, str]]:
    """(index, label) pairs for the x axis: month starts for daily values, else every k-th point."""
    if not points:
        return []
    if len(points) > 40 and all(len(p.x) == 10 for p in points):
        out, seen = [], set()
        for i, p in enumerate(points):
            month = p.x[:7]
            if month not in seen:
                seen.add(month)
                out.append((i, f"{int(p.x[5:7])}月"))
        return out
    step = max(1, math.ceil(len(points) / 14))
    labels = []
    for i, p in enumerate(points):
        if i % step == 0:
            text = p.x[5:] if len(p.x) == 10 else (f"{int(p.x[5:7])}月" if len(p.x) == 7 and p.x[4] == "-" else p.x)
            labels.append((i, text))
    return labels


def chart_svg(chart: Chart, *, chart_id: str = "") -> str:
    """The chart as an ``<svg>`` element (responsive: it scales to the width of its container)."""
    if chart.kind == "bullet":
        return _bullet(chart, chart_id)
    pts = list(chart.points)
    n = max(len(pts), 1)
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    values = [p.value for p in (*pts, *chart.overlay) if p.value is not None]
    is_class = chart.kind == "class"
    if is_class:
        y_min, y_max = 0.5, 6.5
    else:
        candidates = [*values, *(v for v in (chart.limit, chart.statistic) if v is not None)]
        low = min(candidates, default=0.0)
        y_min = 0.0 if low >= 0 else -_nice_max(-low)
        y_max = _nice_max(max(candidates, default=1.0) * 1.08) if candidates else 1.0
        if y_max <= y_min:
            y_max = y_min + 1.0

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - (v - y_min) / (y_max - y_min))

    band = plot_w / n

    def x(i: float) -> float:
        return _LEFT + band * (i + 0.5)

    title = f"{chart.title}: {chart.series_label}"
    if chart.limit_label:
        title += f"; {chart.limit_label}"
    if chart.statistic_label:
        title += f"; {chart.statistic_label}"
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {_W} {_H}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" data-kind="{_e(chart.kind)}" data-points="{len(pts)}"'
        + (f' id="{_e(chart_id)}"' if chart_id else "")
        + '>',
        f"<title>{_e(title)}</title>",
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#dadce0"/>',
    ]
    # y axis: grid and labels
    if is_class:
        for code, name in enumerate(_CLASS_ZH, start=1):
            yy = y(code)
            out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{_n(yy)}" y2="{_n(yy)}" stroke="#f1f3f4"/>')
            out.append(f'<text x="{_LEFT - 8}" y="{_n(yy + 4)}" text-anchor="end" class="tick">{_e(name)}</text>')
    else:
        for t in _ticks(y_max - y_min):
            v = y_min + t
            yy = y(v)
            out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{_n(yy)}" y2="{_n(yy)}" stroke="#f1f3f4"/>')
            out.append(
                f'<text x="{_LEFT - 8}" y="{_n(yy + 4)}" text-anchor="end" class="tick">{_e(fmt_number(round(v, 6)))}</text>'
            )
    unit = chart.unit
    out.append(f'<text x="4" y="{_TOP - 6}" class="unit">{_e(unit)}</text>')
    # x axis labels
    for i, label in _x_labels(pts, chart.kind):
        xx = x(i) if len(pts) <= 40 else _LEFT + band * i
        out.append(f'<line x1="{_n(xx)}" x2="{_n(xx)}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h + 4}" stroke="#5f6368"/>')
        out.append(f'<text x="{_n(xx)}" y="{_TOP + plot_h + 18}" text-anchor="middle" class="tick">{_e(label)}</text>')
    # the series
    if chart.kind == "bar":
        width = max(band * 0.6, 1.0)
        base = y(max(y_min, 0.0))
        for i, p in enumerate(pts):
            if p.value is None:
                continue
            top = y(p.value)
            colour = _LIMIT if p.exceeds else "#5f6368"
            cls = "bar exceed" if p.exceeds else "bar"
            out.append(
                f'<rect class="{cls}" x="{_n(x(i) - width / 2)}" y="{_n(min(top, base))}" width="{_n(width)}" '
                f'height="{_n(max(abs(base - top), 0.5))}" fill="{colour}">'
                f"<title>{_e(p.x)}: {_e(fmt_number(round(p.value, 6)))} {_e(unit)}</title></rect>"
            )
    else:
        segments: list[list[str]] = [[]]
        for i, p in enumerate(pts):
            if p.value is None:
                segments.append([])
                continue
            segments[-1].append(f"{_n(x(i))},{_n(y(p.value))}")
        for seg in segments:
            if len(seg) > 1:
                out.append(
                    f'<polyline class="series" points="{" ".join(seg)}" fill="none" stroke="{_SERIES}" '
                    f'stroke-width="{1 if len(pts) > 60 else 1.6}"/>'
                )
        radius = 1.6 if len(pts) > 60 else 3.2
        for i, p in enumerate(pts):
            if p.value is None:
                continue
            if p.exceeds or len(pts) <= 60:
                colour = _LIMIT if p.exceeds else _SERIES
                cls = "point exceed" if p.exceeds else "point"
                r = radius + (1.2 if p.exceeds else 0)
                label = p.label or fmt_number(round(p.value, 6))
                out.append(
                    f'<circle class="{cls}" cx="{_n(x(i))}" cy="{_n(y(p.value))}" r="{_n(r)}" fill="{colour}">'
                    f"<title>{_e(p.x)}: {_e(label)} {_e(unit)}</title></circle>"
                )
    # monthly means over daily values: one step per month
    if chart.overlay:
        months: dict[str, list[int]] = {}
        for i, p in enumerate(pts):
            months.setdefault(p.x[:7], []).append(i)
        for o in chart.overlay:
            idx = months.get(o.x)
            if o.value is None or not idx:
                continue
            x0, x1 = _LEFT + band * idx[0], _LEFT + band * (idx[-1] + 1)
            yy = y(o.value)
            out.append(
                f'<line class="overlay" x1="{_n(x0)}" x2="{_n(x1)}" y1="{_n(yy)}" y2="{_n(yy)}" '
                f'stroke="{_OVERLAY}" stroke-width="2.5"><title>{_e(o.x)}: {_e(fmt_number(round(o.value, 4)))} '
                f"{_e(unit)}</title></line>"
            )
    # limit and statistic
    if chart.limit is not None:
        yy = y(chart.limit)
        out.append(
            f'<line class="limit" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{_n(yy)}" y2="{_n(yy)}" '
            f'stroke="{_LIMIT}" stroke-width="1.6" stroke-dasharray="7 4"/>'
        )
        out.append(
            f'<text x="{_LEFT + plot_w - 4}" y="{_n(yy - 5)}" text-anchor="end" class="label limit-label" '
            f'style="fill:{_LIMIT}">{_e(chart.limit_label)}</text>'
        )
    if chart.statistic is not None and not (is_class and chart.statistic == chart.limit):
        yy = y(chart.statistic)
        out.append(
            f'<line class="statistic" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{_n(yy)}" y2="{_n(yy)}" '
            f'stroke="{_STAT}" stroke-width="1.6" stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{_LEFT + 4}" y="{_n(yy - 5)}" class="label" style="fill:{_STAT}">{_e(chart.statistic_label)}</text>'
        )
    if not pts or all(p.value is None for p in pts):
        out.append(
            f'<text x="{_LEFT + plot_w / 2}" y="{_TOP + plot_h / 2}" text-anchor="middle" class="label">'
            "无有效数据 no valid values</text>"
        )
    # legend
    ly = _H - 10
    legend = [(_SERIES, chart.series_label, "line")]
    if chart.overlay:
        legend.append((_OVERLAY, chart.overlay_label, "line"))
    if chart.limit is not None:
        legend.append((_LIMIT, "限值 limit", "dash"))
    if chart.statistic is not None:
        legend.append((_STAT, "统计值 statistic", "dot"))
    if any(p.exceeds for p in pts):
        legend.append((_LIMIT, f"超限 exceeds ({sum(p.exceeds for p in pts)})", "dot-mark"))
    lx = float(_LEFT)
    for colour, label, style in legend:
        if style == "dot-mark":
            out.append(f'<circle cx="{_n(lx + 6)}" cy="{ly - 4}" r="4" fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="7 4"' if style == "dash" else ' stroke-dasharray="2 3"' if style == "dot" else ""
            out.append(
                f'<line x1="{_n(lx)}" x2="{_n(lx + 16)}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        out.append(f'<text x="{_n(lx + 21)}" y="{ly}" class="legend">{_e(label)}</text>')
        lx += 30 + 6.5 * _text_width(label)
    out.append("</svg>")
    return "".join(out)


def _text_width(text: str) -> float:
    """Rough width in units of a Latin character (CJK characters count two)."""
    return sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def _bullet(chart: Chart, chart_id: str) -> str:
    w, h = _W, 96
    left, right, top = 60, 24, 22
    plot_w = w - left - right
    point = chart.points[0] if chart.points else None
    value = point.value if point is not None and point.value is not None else 0.0
    limit = chart.limit if chart.limit is not None else 0.0
    low = min(0.0, value, limit)
    high = _nice_max(max(value, limit, 0.0) * 1.15) if max(value, limit) > 0 else 1.0

    def x(v: float) -> float:
        return left + plot_w * (v - low) / (high - low)

    exceeds = bool(point and point.exceeds)
    colour = _LIMIT if exceeds else "#188038"
    title = f"{chart.title}: {fmt_number(round(value, 6))} {chart.unit}; {chart.limit_label}"
    out = [
        f'<svg class="chart bullet" role="img" viewBox="0 0 {w} {h}" width="100%" data-kind="bullet" '
        f'data-points="1"' + (f' id="{_e(chart_id)}"' if chart_id else "") + '>',
        f"<title>{_e(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="26" fill="#f1f3f4"/>',
        f'<rect class="bar{" exceed" if exceeds else ""}" x="{_n(x(min(0.0, value)))}" y="{top + 5}" '
        f'width="{_n(max(abs(x(value) - x(0.0)), 1.0))}" height="16" fill="{colour}"/>',
        f'<line class="limit" x1="{_n(x(limit))}" x2="{_n(x(limit))}" y1="{top - 4}" y2="{top + 30}" '
        f'stroke="{_LIMIT}" stroke-width="2.5"/>',
    ]
    for t in _ticks(high - low, 4):
        v = low + t
        out.append(f'<text x="{_n(x(v))}" y="{top + 46}" text-anchor="middle" class="tick">{_e(fmt_number(round(v, 6)))}</text>')
    out.append(f'<text x="{left - 8}" y="{top + 18}" text-anchor="end" class="unit">{_e(chart.unit)}</text>')
    out.append(
        f'<text x="{left}" y="{h - 6}" class="legend">{_e("数值 value " + fmt_number(round(value, 6)))}'
        f'{_e("  ·  " + chart.limit_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def status_bar_svg(counts: Sequence[tuple[str, str, int]], *, chart_id: str = "") -> str:
    """One stacked bar: ``counts`` holds (status value, label, count) in display order."""
    w, h = _W, 34
    total = sum(c for _, _, c in counts) or 1
    out = [
        f'<svg class="chart statusbar" role="img" viewBox="0 0 {w} {h}" width="100%" data-kind="status" '
        f'data-points="{len(counts)}"' + (f' id="{_e(chart_id)}"' if chart_id else "")
        + '>',
        "<title>" + _e("；".join(f"{label} {c}" for _, label, c in counts)) + "</title>",
    ]
    x = 0.0
    for status, label, c in counts:
        if not c:
            continue
        width = w * c / total
        out.append(
            f'<rect class="bar" x="{_n(x)}" y="4" width="{_n(width)}" height="26" fill="{STATUS_COLOURS.get(status, "#9aa0a6")}">'
            f"<title>{_e(label)}: {c}</title></rect>"
        )
        if width > 26:
            out.append(
                f'<text x="{_n(x + width / 2)}" y="22" text-anchor="middle" class="barlabel">{c}</text>'
            )
        x += width
    out.append("</svg>")
    return "".join(out)

