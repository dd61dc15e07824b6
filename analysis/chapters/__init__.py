"""One module per page of the report. Each has ``build(params) -> ChapterResult``: the page's whole
computation, run once. The page glues and displays what the result holds; tests check the result
directly; the landing page quotes the chapters' own results. Data flow one way: concept modules ->
chapters -> pages. No chapter imports another, except ``landing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.text import as_text


@dataclass
class ChapterResult:
    """A page's numbers (raw, for tests), the tables it shows and the figures it draws."""

    numbers: dict[str, float | str] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)  # glue key -> DataFrame (or displayable)
    figures: dict[str, Any] = field(default_factory=dict)  # glue key -> altair chart
    data: dict[str, Any] = field(default_factory=dict)  # intermediate results other code may read

    def text(self) -> dict[str, str]:
        """Every number as the prose shows it."""
        return as_text(self.numbers)

    def glue_values(self) -> dict[str, Any]:
        """Every glue key this page defines, with the object glued under it."""
        values: dict[str, Any] = dict(self.text())
        values |= {key: table_html(table) for key, table in self.tables.items()}
        values |= self.figures
        return values

    def glue(self) -> None:
        """Glue every number, table and figure under its key (inside a notebook)."""
        from myst_nb import glue

        for key, value in self.glue_values().items():
            glue(key, value, display=False)


def table_html(table):
    """A table as the page shows it: escaped cells, inside a box that scrolls on narrow screens."""
    from IPython.display import HTML

    if not hasattr(table, "to_html"):
        return table
    return HTML(f'<div class="table-scroll">{table.to_html(index=False, border=0)}</div>')
