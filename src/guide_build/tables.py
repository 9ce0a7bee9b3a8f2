"""Tables that read as cards on a phone: in a ``<div class="comparison-table">``, each data cell gets
the text of its column's header as ``data-label``. extra.css shows it above the cell when, on a narrow
screen, the table's rows stack as cards; the header row stays for screen readers."""

from __future__ import annotations

import html
import re

from guide_build import plain_text

TABLE = re.compile(r'(<div class="comparison-table">\s*<table>)(.*?)(</table>)', re.S)
HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>.*?</tr>", re.S)
CELL = re.compile(r"<td(?=[\s>])")


def label_cells(html_text: str) -> str:
    """``html_text`` with each cell of a comparison table labelled with its column's header text."""

    def table(match: re.Match[str]) -> str:
        head, end_of_head, rows = match[2].partition("</thead>")
        labels = [html.escape(plain_text(h)) for h in HEADER.findall(head)]

        def row(cells: re.Match[str]) -> str:
            names = iter(labels)
            return CELL.sub(lambda cell: f'<td data-label="{next(names, "")}"', cells[0])

        return match[1] + head + end_of_head + ROW.sub(row, rows) + match[3]

    return TABLE.sub(table, html_text)
