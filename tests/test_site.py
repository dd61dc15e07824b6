"""The published site: every page in a real browser, offline; links; figure extras; citation; reproducibility."""

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
import yaml
from conftest import local_server, pasted_texts, shown

from analysis import paths
from analysis.charts import theme
from analysis.site import citation
from analysis.site.website import PDF_NAME

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IN_CI = os.environ.get("CI") == "true"


def pages(site: Path) -> list[Path]:
    """The site's pages (the theme's template macros under _static are not pages)."""
    return sorted(page for page in site.rglob("*.html") if "_static" not in page.parts)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_no_broken_internal_links_or_anchors(site):
    broken = []
    for page in pages(site):
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.name == PDF_NAME and target.parent == site.resolve():
                continue  # made by `make pdf` (analysis.site.pdf), checked by test_whole_book_pdf
            if target.suffix == ".ipynb" and target.parent == (site / "notebooks").resolve():
                continue  # made by `make notebooks` (analysis.site.notebooks), checked by test_chapter_notebooks
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in _parse(target).ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


def test_every_figure_has_downloads_citation_and_provenance(site):
    for page in pages(site / "book"):
        html = page.read_text(encoding="utf-8")
        figures = html.count('class="vega-chart"')
        assert html.count('class="figure-extras"') == figures, page.name
        for href in re.findall(r'href="(\.\./figures/[^"]+)" download', html):
            assert (page.parent / href).resolve().stat().st_size > 0, href
        if figures:
            assert "@misc{doublingtime_fig_" in html and "sha256" in html and "seed " in html
            assert html.count('class="figure-permalink" href="https://') == figures
            assert html.count('class="page-provenance"') == 1  # one folded block per page, not one per figure
            assert html.count('class="chart-static"') == figures  # the build-time image, shown first


def test_figure_csv_is_exactly_the_plotted_data(site):
    spec = json.loads((site / "figures" / "fig-claims.vl.json").read_text())
    (values,) = [v for v in spec["datasets"].values() if len(v) > 1]
    import pandas as pd

    csv = pd.read_csv(site / "figures" / "fig-claims.csv")
    assert len(csv) == len(values) and list(csv.columns) == list(values[0])


def test_data_page_serves_every_table(site):
    html = (site / "book" / "data.html").read_text(encoding="utf-8")
    for table in paths.DATA.rglob("*.csv"):
        relative = table.relative_to(paths.DATA).as_posix()
        assert f'href="../data/{relative}"' in html, relative
        assert (site / "data" / relative).read_bytes() == table.read_bytes()


def test_every_page_shows_version_commit_and_date(site):
    for page in pages(site / "book"):
        text = page.read_text(encoding="utf-8")
        assert re.search(r"Doubling Time \d+\.\d+\.\d+ · commit (<a href=\"[^\"]+/commit/[0-9a-f]+\">)?<code>[0-9a-f]+", text), page.name
        assert text.count(f'href="{citation.repository_url()}"') >= 2, page.name  # the repository, in header and footer
        assert re.search(r'href="https://[^"]+/commit/[0-9a-f]{7,40}"', text), page.name


def test_citation_cff_is_valid():
    schema = json.loads((Path(__file__).parent / "fixtures" / "cff-schema-1.2.0.json").read_text())
    citation = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    jsonschema.validate(citation, schema)  # raises with the failing field


def _glued(site: Path) -> dict[str, list[str]]:
    return {page.name: pasted_texts(page.read_text(encoding="utf-8")) for page in pages(site / "book")}


_DUMP = """
import json, sys
from analysis.chapters import landing
from analysis.params import PARAMS
out = {}
for page in [*landing.CHAPTERS, "intro"]:
    result = landing.build(PARAMS) if page == "intro" else landing.chapter(page, PARAMS)
    out[page] = {key: value if isinstance(value, str) else json.dumps(value.to_dict(), sort_keys=True)
                 for key, value in result.glue_values().items() if isinstance(value, str) or hasattr(value, "to_dict")}
json.dump(out, sys.stdout, sort_keys=True)
"""


def test_two_fresh_processes_give_byte_identical_numbers_and_chart_specs(site):
    # Determinism without a second Sphinx build: two fresh processes compute every page's glued text
    # and chart specs; both agree byte for byte, and agree with what the built site shows.
    runs = [subprocess.Popen([sys.executable, "-c", _DUMP], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    first, second = (json.loads(run.communicate()[0]) for run in runs)
    assert first == second
    glued = _glued(site)
    for page, values in first.items():
        for key, value in values.items():
            if not value.startswith("{"):
                assert shown(value) in glued[f"{page}.html"], (page, key)


# ------------------------------------------------------------------ a real browser, offline


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    with local_server(functools.partial(_QuietHandler, directory=str(site))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if IN_CI:
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get install chromium")
        pytest.skip("chromium not found: install Debian's chromium (apt-get install chromium) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield launched
        launched.close()


def test_every_page_renders_offline_in_a_browser(site, server, browser):
    shots = site.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    problems = []
    for page_file in pages(site / "book"):
        url = f"{server}/book/{page_file.name}"
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors, outside = [], []
        # default arguments bind this page's lists, so a late event cannot land in the next page's
        page.on("console", lambda message, errors=errors: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.on("request", lambda request, outside=outside: outside.append(request.url)
                if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(url, wait_until="load")
        page.mouse.move(5, 5)  # the live charts load at the reader's first action
        charts = page.locator("div.vega-chart").count()
        if charts:
            page.wait_for_function(
                "n => document.querySelectorAll('div.vega-chart .marks').length >= n", arg=charts, timeout=20_000
            )
        drawn = page.locator("div.vega-chart .marks").count()
        for href in page.eval_on_selector_all("a[download]", "links => links.map(a => a.href)"):
            if "/notebooks/" in href:
                continue  # made by `make notebooks` after the HTML build; see test_chapter_notebooks_...
            status = page.request.get(href).status
            if status != 200:
                problems.append(f"{page_file.name}: download {href} -> {status}")
        page.screenshot(path=str(shots / f"{page_file.stem}.png"), full_page=True)
        if drawn < charts:
            problems.append(f"{page_file.name}: {drawn} of {charts} charts drawn")
        problems += [f"{page_file.name}: console error: {e}" for e in errors]
        problems += [f"{page_file.name}: request outside the site: {u}" for u in outside]
        page.close()
    assert not problems, "\n".join(problems)
    assert len(list(shots.glob("*.png"))) == len(pages(site / "book"))


def _open(browser, server, page_file, *, width=1200, mode="light"):
    """A page in a fresh context at ``width`` px in the given colour scheme, every chart drawn."""
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=mode)
    page = context.new_page()
    page.goto(f"{server}/book/{page_file.name}", wait_until="load")
    page.mouse.move(5, 5)  # the live charts load at the reader's first action
    charts = page.locator("div.vega-chart").count()
    if charts:
        page.wait_for_function("n => document.querySelectorAll('div.vega-chart.is-live .chart-live .marks').length >= n",
                               arg=charts, timeout=30_000)
    return context, page


# A chart's plot width (its widest axis domain line: every chart here has an x axis) and its
# number of panels (small multiples have one x axis per panel).
_PLOT_WIDTH = """holders => holders.map(holder => {
  const widths = [...holder.querySelectorAll('.role-axis-domain line')].map(l => l.getBoundingClientRect().width);
  const wide = widths.filter(w => w > 1);
  return [Math.max(0, ...wide), holder.querySelectorAll('.role-axis-title').length];
})"""


@pytest.mark.parametrize("viewport", [390, 360])
def test_every_page_fits_a_phone(site, server, browser, viewport):
    # 390 px: an iPhone 12-15 in portrait; 360 px: the narrowest common Android. Nothing may widen
    # the page; every chart is drawn inside it.
    problems = []
    for page_file in pages(site / "book"):
        context, page = _open(browser, server, page_file, width=viewport)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > viewport:
            problems.append(f"{page_file.name}: page is {scroll} px wide")
        boxes = page.eval_on_selector_all(
            "div.vega-chart .chart-live svg.marks",
            "svgs => svgs.map(s => { const r = s.getBoundingClientRect(); return [r.left, r.right, r.width]; })")
        for index, (left, right, width) in enumerate(boxes):
            if left < 0 or right > viewport or width < 200:
                problems.append(f"{page_file.name}: chart {index + 1} drawn from {left:.0f} to {right:.0f} px")
        # the plot itself keeps a usable width: a label running past it must not squeeze it to a sliver
        plots = page.eval_on_selector_all("div.vega-chart .chart-live", _PLOT_WIDTH)
        for index, (plot, titles) in enumerate(plots):
            least = 0.35 * viewport if titles <= 2 else 100  # one panel, or one of several small multiples
            if plot < least:
                problems.append(f"{page_file.name}: chart {index + 1} has a plot {plot:.0f} px wide")
        context.close()
    assert not problems, "\n".join(problems)


_BACKDROP = """holder => {
  // The colour a chart is painted on: its own background if opaque, else the first opaque ancestor's.
  const colours = [];
  for (let node = holder.querySelector('.chart-live svg.marks'); node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(colour)) return colour;
  }
  return getComputedStyle(document.documentElement).backgroundColor;
}"""


def _luminance(css: str) -> float:
    red, green, blue = (int(value) / 255 for value in re.findall(r"\d+", css)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_charts_follow_the_dark_theme(site, server, browser):
    problems = []
    for page_file in pages(site / "book"):
        if 'class="vega-chart"' not in page_file.read_text(encoding="utf-8"):
            continue
        context, page = _open(browser, server, page_file, mode="dark")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page_colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        for index, holder in enumerate(page.query_selector_all("div.vega-chart")):
            backdrop = holder.evaluate(_BACKDROP)
            if backdrop != page_colour:
                problems.append(f"{page_file.name}: chart {index + 1} on {backdrop}, page {page_colour}")
            label = holder.evaluate("h => getComputedStyle(h.querySelector('.role-axis-label text, .role-axis-title text')).fill")
            if _luminance(label) < 0.5:
                problems.append(f"{page_file.name}: chart {index + 1} labels {label} on a dark page")
        # the theme toggle sets data-theme: charts are drawn again in the light palette
        page.evaluate("document.documentElement.dataset.theme = 'light'")
        page.wait_for_function("""() => [...document.querySelectorAll('div.vega-chart .chart-live:not(.chart-pending) .role-axis-label text')]
                                   .every(t => getComputedStyle(t).fill !== 'rgb(206, 214, 221)')""", timeout=20_000)
        context.close()
    assert not problems, "\n".join(problems)


# Every colour a drawn chart paints, as the reader sees it: each text (titles, axes, legends, labels in
# the plot) with its fill, and each mark (points, lines, rules, bars, legend symbols) with its stroke
# and fill, skipping what is painted nearly transparent (bands, halos) and the grid and axis lines,
# which are guides, not marks. Effective opacity multiplies up the element's ancestors.
_DRAWN_COLOURS = """holder => {
  const svg = holder.querySelector('.chart-live svg.marks');
  const out = [];
  const opacity = (el, property) => {
    let value = 1;
    for (let node = el; node && node !== svg; node = node.parentElement) {
      const style = getComputedStyle(node);
      value *= parseFloat(style.opacity || '1');
      if (node === el) value *= parseFloat(style[property] || '1');
    }
    return value;
  };
  const guide = el => el.closest('.role-axis-grid, .role-axis-domain, .role-axis-tick, .role-frame > path.background, .background');
  for (const el of svg.querySelectorAll('text')) {
    if (!el.textContent.trim() || opacity(el, 'fillOpacity') < 0.5) continue;
    out.push(['text', getComputedStyle(el).fill, el.textContent.trim().slice(0, 40)]);
  }
  for (const el of svg.querySelectorAll('path, circle, rect, line')) {
    if (el.closest('defs, clipPath') || guide(el) || el.closest('.role-legend-symbol, .role-legend') && !el.closest('.role-legend-symbol')) continue;
    const style = getComputedStyle(el);
    const group = el.closest('[class*="role-"]');
    const what = group ? group.getAttribute('class') : el.tagName;
    if (style.stroke !== 'none' && parseFloat(style.strokeWidth) >= 1 && opacity(el, 'strokeOpacity') >= 0.5)
      out.push(['mark', style.stroke, what]);
    if (style.fill !== 'none' && opacity(el, 'fillOpacity') >= 0.5 && !el.classList.contains('background'))
      out.push(['mark', style.fill, what]);
  }
  return out;
}"""


def _contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two CSS rgb() colours."""
    def luminance(css):
        channels = [int(value) / 255 for value in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_reference_values():
    # WCAG's own end points and a hand-worked case: black on white is (1 + 0.05) / (0 + 0.05) = 21;
    # #777777 (channel 119/255 = 0.4667 -> ((0.4667 + 0.055) / 1.055) ** 2.4 = 0.1845) on white is
    # 1.05 / 0.2345 = 4.48, just under the 4.5:1 text bar.
    assert _contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert _contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") == pytest.approx(4.48, abs=0.01)


_ON_MARK_TEXT = "rgb({}, {}, {})".format(*(int(theme.ON_MARK_TEXT[i:i + 2], 16) for i in (1, 3, 5)))


def test_every_drawn_colour_stands_out_in_dark_mode(site, server, browser):
    # Done when: every chart of every page drawn in dark mode, every colour read back from the drawing:
    # marks at least 3:1 against the page, text at least 4.5:1 (WCAG 1.4.11 and 1.4.3).
    problems = []
    for page_file in pages(site / "book"):
        if 'class="vega-chart"' not in page_file.read_text(encoding="utf-8"):
            continue
        context, page = _open(browser, server, page_file, mode="dark")
        page_colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        for index, holder in enumerate(page.query_selector_all("div.vega-chart")):
            seen = set()
            for kind, colour, what in holder.evaluate(_DRAWN_COLOURS):
                if colour in ("none", "transparent") or colour.startswith("url(") or (kind, colour) in seen:
                    continue
                alpha = re.match(r"rgba\(.*,\s*([\d.]+)\)$", colour)
                if alpha and float(alpha.group(1)) < 0.5:
                    continue  # painted nearly transparent
                seen.add((kind, colour))
                if kind == "text" and colour == _ON_MARK_TEXT:
                    continue  # labels drawn on their cells, held to the bar against them (test_charts)
                bar = 4.5 if kind == "text" else 3.0
                ratio = _contrast(colour, page_colour)
                if ratio < bar:
                    problems.append(f"{page_file.name}: chart {index + 1}: {kind} {colour} ({what}) is {ratio:.1f}:1 on {page_colour}")
        context.close()
    assert not problems, "\n".join(problems[:40])


# Every text a live chart draws, read back from the page: text running outside the chart's own image
# or outside the clip of the plot it is drawn in, and text ending in an ellipsis (Vega's labelLimit).
_LIVE_TEXT = """holder => {
  const svg = holder.querySelector('.chart-live svg.marks');
  const box = svg.getBoundingClientRect();
  const out = [];
  for (const text of svg.querySelectorAll('text')) {
    const label = text.textContent.trim();
    if (!label || getComputedStyle(text).display === 'none') continue;
    let hidden = false;  // Vega hides a label that would overlap its neighbour by setting its opacity to 0
    for (let node = text; node && node !== svg; node = node.parentElement)
      if (getComputedStyle(node).opacity === '0' || node.getAttribute('opacity') === '0') hidden = true;
    if (hidden) continue;
    const r = text.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
      out.push(['outside the image', label.slice(0, 50)]);
      continue;
    }
    const clipped = text.closest('[clip-path]');
    const id = clipped && (clipped.getAttribute('clip-path').match(/#([^)"']+)/) || [])[1];
    const shape = id && document.getElementById(id) && document.getElementById(id).firstElementChild;
    if (shape) {
      // a clip path's shape is not drawn: its box is read in the clipped group's own coordinates
      const b = shape.getBBox(), m = clipped.getScreenCTM();
      const c = {left: m.a * b.x + m.e, right: m.a * (b.x + b.width) + m.e, top: m.d * b.y + m.f, bottom: m.d * (b.y + b.height) + m.f};
      if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1)
        out.push(['cut by the plot', label.slice(0, 50)]);
    }
    if (label.endsWith('\u2026')) out.push(['cut short', label.slice(0, 50)]);
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1366, 390, 360])
def test_every_live_chart_shows_its_text_whole(site, server, browser, width):
    # Done when (issue 21): every chart of every page, drawn at a desktop's and two phones' widths, shows
    # no title, label or annotation cut: none runs past the chart or past the plot that clips it, and
    # none ends in an ellipsis unless the figure's own data carry it (a label abbreviated by rule).
    data_text = "".join(csv.read_text(encoding="utf-8") for csv in site.joinpath("figures").glob("*.csv")).replace(" ", "")
    problems = []
    for page_file in pages(site / "book"):
        if 'class="vega-chart"' not in page_file.read_text(encoding="utf-8"):
            continue
        context, page = _open(browser, server, page_file, width=width)
        for index, holder in enumerate(page.query_selector_all("div.vega-chart")):
            for kind, label in holder.evaluate(_LIVE_TEXT):
                if kind == "cut short" and label.replace(" ", "") in data_text:
                    continue
                problems.append(f"{page_file.name}: chart {index + 1}: {kind}: {label!r}")
        context.close()
    assert not problems, "\n".join(problems[:60])


_SVG_LAYOUT = """() => {
  const svg = document.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const outside = [];
  for (const text of svg.querySelectorAll('text')) {
    if (!text.textContent.trim()) continue;
    const r = text.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      outside.push(text.textContent.trim().slice(0, 50));
  }
  const cut = [...svg.querySelectorAll('text')].map(t => t.textContent.trim()).filter(t => t.endsWith('\u2026'));
  const widths = [...svg.querySelectorAll('.role-axis-domain line, .role-axis-domain path')].map(l => l.getBoundingClientRect().width);
  return {width: box.width, plot: Math.max(0, ...widths), panels: svg.querySelectorAll('.role-axis-title').length, outside, cut};
}"""


def test_every_exported_svg_fits_its_text_and_keeps_a_usable_plot(site, server, browser):
    # Every download and PDF image: no title, label or credit line runs outside the image or is cut
    # short with an ellipsis, and the plot keeps a usable share of the width (small multiples: each
    # panel at least 120 px). Each names the sources of the data it draws.
    problems = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    for svg in sorted((site / "figures").glob("*.svg")):
        page.goto(f"{server}/figures/{svg.name}", wait_until="load")
        layout = page.evaluate(_SVG_LAYOUT)
        if layout["outside"]:
            problems.append(f"{svg.name}: text outside the image: {layout['outside'][:3]}")
        # an ellipsis the figure's own data carry (a label abbreviated by rule) is not a cut
        # (compared without spaces: a wrapped label's lines are read back joined)
        data_text = "".join(csv.read_text(encoding="utf-8") for csv in site.joinpath("figures").glob(f"{svg.stem}*.csv"))
        cut = [text for text in layout["cut"] if text.replace(" ", "") not in data_text.replace(" ", "")]
        if cut:
            problems.append(f"{svg.name}: text cut short: {cut[:3]}")
        least = 0.45 * layout["width"] if layout["panels"] <= 2 else 120
        if layout["plot"] < least:
            problems.append(f"{svg.name}: plot {layout['plot']:.0f} px of {layout['width']:.0f} px")
        if "Source: " not in svg.read_text(encoding="utf-8"):
            problems.append(f"{svg.name}: no source line")
    context.close()
    assert not problems, "\n".join(problems)


def _bibtex_entries(html: str) -> list[str]:
    import html as html_module

    return [html_module.unescape(entry) for entry in re.findall(r"<pre>(@\w+\{.*?)</pre>", html, flags=re.S)]


def test_every_bibtex_url_is_absolute_and_entry_types_fit(site):
    base = citation.configured_base_url()
    assert base.startswith("https://")
    entries = [entry for page in pages(site / "book") for entry in _bibtex_entries(page.read_text(encoding="utf-8"))]
    assert len(entries) > 20
    for entry in entries:
        (url,) = re.findall(r"url\s+=\s+\{([^}]*)\}", entry)
        assert url.startswith(base), entry
    cite = (site / "book" / "cite.html").read_text(encoding="utf-8")
    types = {name: kind for kind, name in re.findall(r"@(\w+)\{doublingtime_(\w+),", html_unescape(cite))}
    assert types["trend"] == "incollection" and types["methods"] == "incollection"
    assert types["data"] == "misc" and types["references"] == "misc"


def html_unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


def test_figure_downloads_are_named_and_dated(site):
    import pandas as pd

    figures = site / "figures"
    assert not list(figures.glob("*-data-*.csv"))
    assert (figures / "fig-trend-p50-models.csv").exists() and (figures / "fig-trend-p50-lines.csv").exists()
    for csv in figures.glob("*.csv"):
        table = pd.read_csv(csv, dtype=str)
        for column in table.columns:
            assert not table[column].dropna().str.match(r"\d{4}-\d{2}-\d{2}T").any(), (csv.name, column)
    svg = (figures / "fig-claims.svg").read_text(encoding="utf-8")
    assert "CC BY 4.0" in svg and "Source: " in svg and citation.configured_base_url() in svg
    assert re.search(r"built \d{4}-\d{2}-\d{2}", svg)


def test_every_citation_block_has_a_copy_button(site, server, browser):
    for name in ("cite.html", "trend.html"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server}/book/{name}", wait_until="load")
        page.wait_for_function("document.querySelectorAll('.citation-block').length > 0 && "
                               "document.querySelectorAll('.citation-block button.copybtn').length > 0")
        blocks = page.eval_on_selector_all(".citation-block", "bs => bs.map(b => !!b.querySelector('button.copybtn'))")
        assert blocks and all(blocks), name
        context.close()


def _outline_name(title: str) -> str:
    return re.sub(r"^[\d.]+\s+", "", title.rstrip("#").strip())


def test_whole_book_pdf(site, browser, tmp_path_factory):
    # Slow: a second build (single-page HTML) and Chromium's print. The PDF holds every chapter
    # (its bookmarks are the headings), at least a page per chapter, and every chart as a drawn image.
    from analysis.site import pdf

    folder = pdf.build_singlehtml(path_output=tmp_path_factory.mktemp("singlehtml"))
    target = tmp_path_factory.mktemp("pdf") / PDF_NAME
    printed = pdf.print_pdf(folder, target, browser=browser)
    assert target.stat().st_size > 100_000
    titles = {_outline_name(title) for title in pdf.outline_titles(target)}
    chapters = citation.chapters_in_toc()
    missing = [title for _, title, _ in chapters if title not in titles]
    assert not missing, (missing, sorted(titles)[:50])
    assert pdf.page_count(target) >= 2 * len(chapters)
    for _, title, _ in chapters:
        assert title in printed["text"], title
    # printed from the print stylesheet: none of the web furniture, no heading anchors
    lines = [line.strip() for line in printed["text"].splitlines()]
    for furniture in ("Skip to main content", "Back to top", "Search", "Ctrl+K", "None"):
        assert furniture not in lines, furniture
    assert not [line for line in lines if line.endswith("#") and len(line) > 1], "a heading prints its anchor"
    # every chart: one image per figure on the site, decoded, drawn with marks (not a blank card)
    figures = sum(page.read_text(encoding="utf-8").count('class="vega-chart"') for page in pages(site / "book"))
    assert len(printed["images"]) == figures
    for source, natural_width, height in printed["images"]:
        assert natural_width > 200 and height > 100, source
        svg = (folder / "book" / source).resolve().read_text(encoding="utf-8")
        assert len(re.findall(r"<(path|circle|line|rect)\b", svg)) > 20, source
    # linked from every page
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        if "<html" in text and "bd-footer" in text:
            assert re.search(rf'class="report-pdf" href="(\.\./)*{re.escape(PDF_NAME)}"', text), page.name


def test_chapter_notebooks_validate_execute_and_are_linked(site, tmp_path):
    # Slow: every chapter executed as a notebook by a kernel, as a reader would run it.
    import nbformat

    from analysis.site import notebooks

    names = notebooks.chapters()
    assert names == ["trend", "eras", "benchmarks", "timelines", "labor", "watch", "methods"]  # _toc.yml's order
    for name in names:
        target = notebooks.write(name, out=tmp_path)
        nb = nbformat.read(str(target), as_version=4)
        nbformat.validate(nb)  # raises on an invalid notebook
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert all(cell.get("execution_count") for cell in code), name  # every cell ran
        assert not [out for cell in code for out in cell.outputs if out.output_type == "error"], name
        explore = code[-1].outputs
        assert sum(1 for out in explore if out.output_type == "display_data") >= 2, name  # numbers, figures
        # charts as Vega-Lite outputs, which Jupyter draws itself: no script from a CDN
        outputs = json.dumps([out for cell in code for out in cell.outputs])
        assert "application/vnd.vegalite.v" in outputs and "cdn.jsdelivr" not in outputs and "<script src=" not in outputs, name
        page = (site / "book" / f"{name}.html").read_text(encoding="utf-8")
        assert f'class="chapter-notebook" href="../notebooks/{name}.ipynb" download' in page, name


def test_explorer_state_lives_in_the_address(site, server, browser):
    # A shared address opens the explorer as the sender left it; every change is written back; the
    # month read-out is a month; the hours slider reaches its top (max_hours, not 1,995 h).
    page_file = next(page for page in pages(site / "book") if 'name="when"' in page.read_text(encoding="utf-8")
                     or "fig-explorer" in page.read_text(encoding="utf-8"))
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/book/{page_file.name}?level=p80&when=2028.5", wait_until="load")
    page.wait_for_function("() => document.querySelector('input[name=\"when\"]')", timeout=30_000)
    assert page.eval_on_selector('input[name="level"][value="p80"]', "e => e.checked")
    when = page.locator('input[name="when"]')
    assert float(when.input_value()) == pytest.approx(2028.5)
    shown = page.eval_on_selector('input[name="when"]', "e => e.nextElementSibling.textContent")
    assert shown == "July 2028", shown
    page.eval_on_selector('input[name="when"]', "e => { e.value = '2029'; e.dispatchEvent(new Event('input')); }")
    page.wait_for_function("() => new URLSearchParams(location.search).get('when') === '2029'", timeout=10_000)
    assert page.eval_on_selector('input[name="when"]', "e => e.nextElementSibling.textContent") == "January 2029"
    top = page.eval_on_selector('input[name="log_hours"]', "e => { e.value = e.max; return [Number(e.value), Number(e.max)]; }")
    assert 10 ** top[0] >= 2000 - 1e-6  # the slider's top is at or past the largest milestone (2,000 h)
    context.close()
