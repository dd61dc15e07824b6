"""One module per page of the report. Each has ``build(params) -> ChapterResult``: the page's whole
computation, run once. The page glues and displays what the result holds; tests check the result
directly; the landing page quotes the chapters' own results. Data flow one way: concept modules ->
chapters -> pages. No chapter imports another, except ``landing``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.params import Params
from analysis.text import FACT_ID_PATTERN, as_text, fact_href, link_fact_ids

# During a build, pages executed in parallel leave their numbers here for the landing page to quote
# (analysis.site.execution sets it to a folder inside the execution cache, which every build wipes first).
RESULTS_FOLDER_VARIABLE = "DOUBLING_TIME_RESULTS"

_GLUE_MD = r"\{glue:md\}`([^`:]+)(?::myst)?`"  # text glued as MyST markdown: its fact ids become links
_GLUE_USES = (r"\{glue:text\}`([^`]+)`", r"\{glue:figure\}\s+(\S+)", r"\{glue:\}\s+(\S+)", r"\{glue\}`([^`]+)`", _GLUE_MD)


def page_glue_keys(page: str) -> set[str]:
    """The glue keys a page's text uses (roles and directives), read from ``book/<page>.md``."""
    text = (paths.ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
    return {key for pattern in _GLUE_USES for key in re.findall(pattern, text)}


def page_markdown_keys(page: str) -> set[str]:
    """The glue keys a page pastes as markdown (``{glue:md}`key:myst```): fact ids in them become links."""
    text = (paths.ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
    return set(re.findall(_GLUE_MD, text))


@dataclass
class ChapterResult:
    """A page's numbers (raw, for tests), the tables it shows and the figures it draws.

    ``numbers`` may hold more than the page quotes (raw values for tests and the landing page); the
    page glues exactly the keys its text uses, and every table and figure must be used.
    """

    page: str
    numbers: dict[str, float | str] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)  # glue key -> DataFrame (or displayable)
    figures: dict[str, Any] = field(default_factory=dict)  # glue key -> altair chart
    data: dict[str, Any] = field(default_factory=dict)  # intermediate results other code may read

    def text(self) -> dict[str, str]:
        """Every number as the prose shows it."""
        return as_text(self.numbers)

    def glue_values(self) -> dict[str, Any]:
        """The objects the page's text uses, by glue key: formatted numbers, tables and figures.

        Raises KeyError if the text uses a key the result does not define, or if a table or
        figure the result defines is not placed on the page.
        """
        used = page_glue_keys(self.page)
        text = as_text({key: value for key, value in self.numbers.items() if key in used})
        values: dict[str, Any] = text | {key: table_html(table) for key, table in self.tables.items()}
        from IPython.display import Markdown

        for key in page_markdown_keys(self.page) & set(text):
            values[key] = Markdown(link_fact_ids(text[key]))
        values |= self.figures
        undefined = used - set(values)
        unplaced = (set(self.tables) | set(self.figures)) - used
        if undefined or unplaced:
            raise KeyError(f"book/{self.page}.md: glue keys used but not defined {sorted(undefined)}; "
                           f"tables or figures defined but not placed {sorted(unplaced)}")
        return values

    def glue(self) -> None:
        """Glue every number, table and figure under its key (inside a notebook)."""
        from myst_nb import glue

        for key, value in self.glue_values().items():
            glue(key, value, display=False)
        self._share()

    def _share(self) -> None:
        path = shared_result_path(self.page)
        if path is not None:
            from analysis import charts

            figures = {key: charts.stamped(figure.to_dict()) for key, figure in self.figures.items()}
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(pickle.dumps({"numbers": self.numbers, "figures": figures}))
            os.replace(temporary, path)


def shared_result_path(page: str, params: Params | None = None) -> Path | None:
    """Where this build's run of ``page`` left its numbers (None outside a parallel build)."""
    folder = os.environ.get(RESULTS_FOLDER_VARIABLE)
    if not folder:
        return None
    from analysis.params import PARAMS

    digest = hashlib.sha256(repr(params or PARAMS).encode()).hexdigest()[:16]
    return Path(folder) / f"{page}-{digest}.pickle"


def shared_result(page: str, params: Params) -> ChapterResult | None:
    """The numbers and figures (as stamped specs) a page computed earlier in this build, if it left them."""
    path = shared_result_path(page, params)
    if path is None or not path.exists():
        return None
    from analysis import charts

    payload = pickle.loads(path.read_bytes())
    figures = {key: charts.SpecFigure(spec) for key, spec in payload["figures"].items()}
    return ChapterResult(page=page, numbers=payload["numbers"], figures=figures)


def table_html(table):
    """A table as the page shows it: escaped cells, inside a box that scrolls on narrow screens.

    Sources one click away: a column whose every non-empty cell is an http(s) URL (e.g. a data
    table's ``source_url``, renamed "Source") is shown as links, each named by its site
    (``<a href="…">techcrunch.com</a>``), URL and text escaped. Give a chapter table such a column
    and its rows link their sources.
    """
    from IPython.display import HTML

    if not hasattr(table, "to_html"):
        return table
    links = link_columns(table)
    if not links and not fact_columns(table, links):
        return HTML(f'<div class="table-scroll">{table.to_html(index=False, border=0)}</div>')
    return HTML(f'<div class="table-scroll">{linked_table_html(table, links)}</div>')


_URL = re.compile(r"^https?://[^\s<>\"']+$")


def link_columns(table) -> list:
    """Columns whose every non-empty cell is an http(s) URL."""
    out = []
    for column in table.columns:
        values = [value for value in table[column].tolist() if isinstance(value, str) and value.strip()]
        if values and len(values) == table[column].notna().sum() and all(_URL.match(value) for value in values):
            out.append(column)
    return out


def fact_columns(table, links: list = ()) -> list:
    """Text columns (other than source links) that cite fact ids: their ids link to the "Facts quoted" page."""
    return [column for column in table.columns if column not in links and table[column].map(
        lambda cell: isinstance(cell, str) and re.search(FACT_ID_PATTERN, cell) is not None).any()]


def fact_links(cell) -> str:
    """An escaped cell whose fact ids (E2, F14) are links to their entries."""
    import html

    if not isinstance(cell, str):
        return cell
    return re.sub(FACT_ID_PATTERN, lambda m: f'<a class="fact-link" href="{fact_href(m.group(1))}">{m.group(1)}</a>',
                  html.escape(cell))


def source_link(url) -> str:
    """An escaped link to ``url`` named by its site ("" for an empty cell)."""
    import html
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not _URL.match(url):
        return "" if url is None or url != url else html.escape(str(url))
    site = urlsplit(url).netloc.removeprefix("www.")
    return f'<a class="source-link" href="{html.escape(url, quote=True)}" rel="noopener">{html.escape(site)}</a>'


def linked_table_html(table, links: list) -> str:
    """``table.to_html`` with the ``links`` columns as source links and every other cell escaped."""
    import html

    import pandas as pd

    shown = table.copy()
    facts = fact_columns(table, links)
    for column in shown.columns:
        if column in links:
            shown[column] = shown[column].map(source_link)
        elif column in facts:
            shown[column] = shown[column].map(fact_links)
        elif not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(lambda value: html.escape(value) if isinstance(value, str) else value)
    shown.columns = [html.escape(str(column)) for column in shown.columns]
    return shown.to_html(index=False, border=0, escape=False, na_rep="")
