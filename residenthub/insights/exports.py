"""CSV and XLSX of any set of panels, with the filters printed at the top. Suppression has already
been applied by the panels; cells that a spreadsheet would run as a formula are quoted."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .filters import Filters
from .panels import Panel
from .suppression import NOTE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in _FORMULA_START else text


def to_csv(panels: list[Panel], filters: Filters | None, title: str = "") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow([safe(title)])
    if filters:
        for label, value in filters.described():
            writer.writerow([label, safe(value)])
    writer.writerow([safe(NOTE)])
    for panel in panels:
        writer.writerow([])
        writer.writerow([safe(panel.title)])
        writer.writerow([safe(c) for c in panel.columns])
        for row in panel.rows:
            writer.writerow([safe(v) for v in row])
    return out.getvalue()


def to_xlsx(panels: list[Panel], filters: Filters | None, title: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Filters"
    sheet.append([safe(title or "Insights")])
    sheet["A1"].font = Font(bold=True)
    if filters:
        for label, value in filters.described():
            sheet.append([label, safe(value)])
    sheet.append([safe(NOTE)])
    for panel in panels:
        ws = book.create_sheet(panel.key[:31])
        ws.append([safe(panel.title)])
        ws["A1"].font = Font(bold=True)
        ws.append([safe(c) for c in panel.columns])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in panel.rows:
            ws.append([safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
