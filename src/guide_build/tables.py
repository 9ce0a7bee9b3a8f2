"""The pages' tables, as the build writes them.

- Each table comes in Material's scrolling box (``wrap``), with the class ``guide-table``. Material's
  script wraps every table without a class as the page loads: it moves the table, and the browser
  styles and lays it out a second time. On the side-by-side page, whose table fills the first
  screen, that move was most of the main thread's blocking time in Lighthouse's phone run. Material
  styles only tables without a class, so extra.css gives ``guide-table`` Material's table style.
- Tables that read as cards on a phone (``label_cells``): in a ``<div class="comparison-table">``,
  each data cell gets the text of its column's header as ``data-label``. extra.css shows it above
  the cell when, on a narrow screen, the table's rows stack as cards; the header row stays for
  screen readers.
"""

from __future__ import annotations

import html
import re

from guide_build import plain_text

TABLE = re.compile(r'(<div class="comparison-table">\s*<table>)(.*?)(</table>)', re.S)
HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>.*?</tr>", re.S)
CELL = re.compile(r"<td(?=[\s>])")
BARE_TABLE = re.compile(r"<table>(.*?)</table>", re.S)  # as Markdown writes a table: tables do not nest
CLASS = "guide-table"


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


def wrap(html_text: str) -> str:
    """``html_text`` with each table that has no attributes in Material's scrolling box, as Material's
    script would put it, with the class that keeps the script from doing so (and ``tabindex``, for a
    table wider than a phone scrolls)."""
    return BARE_TABLE.sub(
        lambda table: (
            f'<div class="md-typeset__scrollwrap" tabindex="0"><div class="md-typeset__table">'
            f'<table class="{CLASS}">{table[1]}</table></div></div>'
        ),
        html_text,
    )
