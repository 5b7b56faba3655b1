"""Server-rendered SVG charts (pygal: chosen by measurement, docs/adr/0082-charts.md).

Each chart is SVG with ``role="img"`` and an accessible name; pygal's inline script is removed (the
charts need no JavaScript). Pages show it as an <img> with a data: URI (the content security policy
forbids the inline styles of an inline SVG); PDF reports embed the SVG itself.
Every chart sits beside a caption, a one-sentence summary and the same data as a table, so the
chart is never the only way to read a figure. Suppressed cells are left out of the chart.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

import pygal
from pygal.style import Style

# GOV.UK palette: blue, orange, turquoise, dark grey, purple; high contrast on white, printable.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    opacity="1",
    opacity_hover="1",
    colors=("#1d70b8", "#f47738", "#28a197", "#505a5f", "#4c2c92", "#d4351c", "#00703c"),
    font_family="Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
)
VERSION = 2  # bump when the charts' look changes, so cached charts are redrawn
_SCRIPT = re.compile(r"<script.*?</script>", re.S)
# pygal's tooltip texts (a <desc> per value, read only by its script): a third of the elements, and
# every element costs WeasyPrint a pass over the chart's stylesheet when a report is laid out.
_TOOLTIPS = re.compile(r"<desc\b[^>]*>.*?</desc>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _options(height: int) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 760,
        "height": height,
        "show_legend": False,
        "print_values": False,
        "margin": 12,
        "truncate_label": 28,
        "no_data_text": "No figures to show",
    }


def _cached(render):
    """Charts are pure functions of their data: the same figures give the same SVG, so a chart is
    drawn once per distinct data and kept in the cache (pygal takes 10-50 ms a chart)."""

    def wrapper(label, categories, *args, **kwargs):
        from django.core.cache import cache

        key = (
            "insights:chart:"
            + hashlib.sha256(
                repr((render.__name__, label, categories, args, sorted(kwargs.items()), VERSION)).encode()
            ).hexdigest()
        )
        svg = cache.get(key)
        if svg is None:
            svg = render(label, categories, *args, **kwargs)
            cache.set(key, svg, 7 * 24 * 3600)
        return svg

    wrapper.__name__ = render.__name__
    wrapper.__doc__ = render.__doc__
    return wrapper


def _finish(chart, label: str) -> str:
    svg = chart.render(is_unicode=True)
    svg = _TOOLTIPS.sub("", _COMMENT.sub("", _SCRIPT.sub("", svg)))
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{html.escape(label, quote=True)}" focusable="false" ', 1
    )


def _numbers(values):
    return [v if isinstance(v, int | float) else None for v in values]


@_cached
def bar(label: str, categories: list[str], values: list, *, horizontal: bool = True, unit: str = "") -> str:
    """One series of bars; suppressed or missing values are left out."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(220, 40 + 26 * len(categories)) if horizontal else 320
    chart = kind(**_options(height), x_label_rotation=0 if horizontal else 30)
    chart.x_labels = [str(c) for c in categories]
    if unit:
        chart.value_formatter = lambda v: f"{v:g}{unit}"
    chart.add(label, _numbers(values))
    return _finish(chart, label)


@_cached
def lines(label: str, categories: list[str], series: dict[str, list], *, unit: str = "") -> str:
    """Several series over time (e.g. channels by month), with a legend."""
    options = _options(340)
    options["show_legend"] = True
    options["legend_at_bottom"] = True
    chart = pygal.Line(**options, x_label_rotation=30, dots_size=4)
    chart.x_labels = categories
    if unit:
        chart.value_formatter = lambda v: f"{v:g}{unit}"
    for name, values in series.items():
        chart.add(name, _numbers(values))
    return _finish(chart, label)


@_cached
def grouped(label: str, categories: list[str], series: dict[str, list]) -> str:
    """Bars side by side for each category (e.g. budget and spend by programme), with a legend."""
    options = _options(max(260, 80 + 40 * len(categories)))
    options["show_legend"] = True
    options["legend_at_bottom"] = True
    chart = pygal.HorizontalBar(**options)
    chart.x_labels = categories
    for name, values in series.items():
        chart.add(name, _numbers(values))
    return _finish(chart, label)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
