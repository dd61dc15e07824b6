"""Sphinx extension: serve the site's own Vega/Vega-Lite/vega-embed bundle, so charts need no network.

At the end of an HTML build it writes ``_static/vega-charts.js``, produced offline by
vl-convert-python from the pinned library versions, and every page with a chart loads it as a module
script (as a classic script its top-level names collide with the theme's globals) at the reader's first
action, showing each chart's build-time image until then. The bundled snippet draws every
``div.vega-chart`` that ``analysis.charts`` emitted: as wide as its column, labels wrapped on narrow
screens, in the page's light or dark palette (dark colours by rule, ``analysis.charts.theme``), with a
chart's controls kept in the page's address.

Also: figure downloads (SVG, PNG, CSV with a CSV-on-the-Web sidecar, spec) credited to the sources of
the data each figure draws; the footer's offers of the PDF and notebooks, shown once they exist; the
theme's header icons as inline SVGs (no 1.5 MB icon script); the stderr guard; safe inline JSON.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import posixpath
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from docutils import nodes
from sphinx.util import logging

from analysis import charts, metr, paths, staging
from analysis.charts import render, theme
from analysis.site import citation
from analysis.params import PARAMS

logger = logging.getLogger(__name__)

BUNDLE_NAME = "vega-charts.js"

# Runs inside the bundle, where vegaEmbed is in scope. Errors are shown in the page and logged.
# Each chart is drawn as wide as its holder (the spec says width "container"); on narrow holders long
# axis/legend labels are capped (the marks' tooltips carry the full text) and titles wrap. Charts follow
# the page's theme (data-theme on <html>) and are drawn again when it changes or the holder's width
# changes a lot. A holder's build-time image (img.chart-static) stays until the live chart is drawn.
_EMBED_TEMPLATE = """
const PAGE_CONFIG = %(page_config)s;
const DARK_SWAPS = %(dark_swaps)s;
const DARK_SCHEME_EXTENT = %(dark_scheme_extent)s;
const WRAP_TEMPLATE = %(wrap_template)s;
const WRAP_MARK = %(wrap_mark)s;
const COLOUR_KEYS = new Set(["color", "fill", "stroke"]);
const drawn = new Map();

function pageMode() {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

function mergeInto(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (!target[key] || typeof target[key] !== "object") target[key] = {};
      mergeInto(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function wrapText(text, width, size) {
  if (typeof text !== "string") return text;
  const perLine = Math.max(16, Math.floor(width / (size * 0.62)));
  if (text.length <= perLine) return text;
  const lines = [];
  let line = "";
  for (const word of text.split(/\\s+/)) {
    if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
    else { line = line ? line + " " + word : word; }
  }
  if (line) lines.push(line);
  return lines;
}

// Walk the spec: cap label widths on narrow holders; on a dark page, swap each colour for its dark
// variant (the spec's usermeta.darkColours, made by analysis.charts.theme.dark_colours by rule: every
// colour at least 4.5:1 against the page). Colours sit under color/fill/stroke/...Color keys (and their
// value and condition) and in scale ranges, as theme.spec_colours finds them.
function isColourKey(key) { return COLOUR_KEYS.has(key) || key.endsWith("Color"); }

function adapt(node, parentKey, caps, swaps) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      if (swaps && parentKey === "range" && typeof item === "string" && swaps[item.toLowerCase()]) node[i] = swaps[item.toLowerCase()];
      else adapt(item, parentKey, caps, swaps);
    });
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const colourKey = isColourKey(key) || (key === "value" && isColourKey(parentKey));
    if (key === "labelLimit" && caps) {
      const cap = parentKey === "legend" ? caps.legend : caps.axis;
      node[key] = value === 0 ? cap : Math.min(value, cap);
    } else if (key === "title" && caps && (parentKey === "x" || parentKey === "y") && typeof value === "string") {
      node[key] = wrapText(value, parentKey === "x" ? caps.plot : 300, 12);  // long axis titles wrap
    } else if (swaps && key === "scheme" && typeof value === "string") {
      node[key] = {name: value, extent: DARK_SCHEME_EXTENT};
    } else if (swaps && colourKey && typeof value === "string") {
      if (swaps[value.toLowerCase()]) node[key] = swaps[value.toLowerCase()];
    } else if (key !== "data" && key !== "datasets" && key !== "usermeta") {
      adapt(value, (key === "condition" || key === "value") && isColourKey(parentKey) ? parentKey : key, caps, swaps);
    }
  }
}

// Long axis and legend labels wrap at spaces on narrow screens, by the rule exports use
// (analysis.charts.render.wrap_labels: the same Vega expression, from WRAP_TEMPLATE); a category
// axis then gives each row room for two lines.
const LABEL_CHANNELS = new Set(["x", "y"]);
const LEGEND_CHANNELS = new Set(["color", "fill", "stroke", "shape", "size", "opacity", "strokeDash"]);

function wrapGuide(definition, key, chars) {
  if (definition[key] === null) return;
  const guide = definition[key] = definition[key] || {};
  const inner = guide.labelExpr || "datum.label";
  if (inner.includes(WRAP_MARK) || guide.labelAngle) return;  // rotated labels keep one line
  guide.labelExpr = WRAP_TEMPLATE.replace("@EXPR@", () => "(" + inner + ")").replace("@CHARS@", () => String(chars));
}

function wrapLabels(node, axisChars, legendChars, layered) {
  if (Array.isArray(node)) { let rows = false; node.forEach(item => { rows = wrapLabels(item, axisChars, legendChars, layered) || rows; }); return rows; }
  if (!node || typeof node !== "object") return false;
  let rows = false;
  for (const [key, value] of Object.entries(node)) {
    if (key !== "data" && key !== "datasets" && key !== "usermeta" && key !== "encoding") rows = wrapLabels(value, axisChars, legendChars, layered || key === "layer") || rows;
  }
  const encoding = node.encoding;
  if (encoding && typeof encoding === "object") {
    for (const [channel, definition] of Object.entries(encoding)) {
      if (!definition || typeof definition !== "object" || !("field" in definition || "aggregate" in definition)) continue;
      // in a layer, only a guide the layer defines changes (another layer's labelExpr must stand)
      if (layered && ((LABEL_CHANNELS.has(channel) && !("axis" in definition)) || (LEGEND_CHANNELS.has(channel) && !("legend" in definition)))) continue;
      if (LABEL_CHANNELS.has(channel)) {
        wrapGuide(definition, "axis", axisChars);
        if (channel === "y" && (definition.type === "nominal" || definition.type === "ordinal") && definition.axis !== null) rows = true;
      } else if (LEGEND_CHANNELS.has(channel)) {
        wrapGuide(definition, "legend", legendChars);
      }
    }
  }
  return rows;
}

function categoryLabels(spec) {
  // the values of the category y axis' field, from the spec's own datasets
  const fields = new Set([spec, ...(spec.layer || [])].map(node => ((node.encoding || {}).y || {}).field).filter(Boolean));
  const labels = [];
  for (const rows of Object.values(spec.datasets || {})) {
    if (!Array.isArray(rows)) continue;
    for (const row of rows) for (const field of fields) if (row && row[field] != null) labels.push(row[field]);
  }
  return labels;
}

function hasCategoryRows(spec) {
  if ("hconcat" in spec || "vconcat" in spec || "concat" in spec || "facet" in spec || "repeat" in spec) return false;
  return [spec, ...(spec.layer || [])].some(node => {
    const y = (node.encoding || {}).y;
    return y && (y.type === "nominal" || y.type === "ordinal") && y.axis !== null;
  });
}

function prepare(spec, width, mode) {
  const dark = mode === "dark";
  const narrow = width < 500;
  // Bottom legends start at the plot's left edge, after the y axis: they get what the axis leaves.
  // A chart with one row per category (a nominal y axis) gives its labels more room, in three lines.
  const rowsChart = hasCategoryRows(spec);
  const axisCap = narrow ? Math.round(width * (rowsChart ? 0.42 : 0.27)) : 260;
  // Wide screens: axis labels up to 260 px (then they wrap), axis titles wrap at the plot's width.
  const caps = narrow ? {axis: axisCap, legend: Math.max(100, width - axisCap - 40), plot: Math.max(120, width - axisCap - 40)}
                      : {axis: axisCap, legend: 100000, plot: Math.max(240, width - axisCap - 60)};
  spec.config = spec.config || {};
  const swaps = dark ? Object.assign({}, DARK_SWAPS, (spec.usermeta || {}).darkColours || {}) : null;
  adapt(spec, "", caps, swaps);
  mergeInto(spec.config, PAGE_CONFIG[mode]);
  const perChar = (narrow ? 11 : 12) * 0.58;  // px per character of the axis labels
  const chars = Math.max(8, Math.floor(caps.axis / perChar));
  const rows = wrapLabels(spec, chars, narrow ? Math.max(12, Math.floor(caps.legend / perChar)) : 1000);
  if (rows && rowsChart) {
    // each row as tall as its longest label's lines (13 or 14 px lines), never shorter than the builder's
    const longest = Math.max(0, ...categoryLabels(spec).map(label => String(label).length));
    // (lines break at spaces, so a label takes up to a fifth more lines than its length alone says)
    const step = (narrow ? 13 : 14) * Math.min(7, Math.ceil(1.2 * longest / chars)) + 6;
    const current = spec.height && typeof spec.height === "object" ? spec.height.step || 0 : 0;
    if (narrow || step > current) spec.height = {step: Math.max(22, current, step)};
  }
  if (narrow) {
    // small multiples: as many columns as fit the screen, one column as wide as the screen allows
    if (spec.facet && spec.spec && typeof spec.spec.width === "number") {
      const fit = Math.max(1, Math.floor((width - 40) / (spec.spec.width + 70)));
      spec.columns = Math.min(spec.columns || fit, fit);
      if (spec.columns === 1) spec.spec.width = Math.max(spec.spec.width, width - 110);
    }
    mergeInto(spec.config, {
      axis: {labelLimit: caps.axis, labelFontSize: 11, titleFontSize: 12},
      // (several bottom legends stack by the theme's legend layout)
      legend: {labelLimit: caps.legend, orient: "bottom", labelFontSize: 11, titleFontSize: 11,
               direction: "vertical", symbolDirection: "vertical"},
    });
    const size = (spec.config.title && spec.config.title.fontSize) || 15;
    if (typeof spec.title === "string") spec.title = {text: spec.title};
    if (spec.title) {
      // the chart's padding and its actions button take about 40 px of the holder's width
      spec.title.text = wrapText(spec.title.text, width - 40, size);
      if (spec.title.subtitle) spec.title.subtitle = wrapText(spec.title.subtitle, width - 40, size * 0.8);
    }
  }
  return spec;
}

// A chart whose spec says usermeta.shareState keeps its controls' values in the page's address
// (?scenario=...&level=p80...), so a reader can share exactly the view they quote: the values in the
// address are read before drawing, and every change is written back (history.replaceState).
function stateFromAddress(spec) {
  if (!(spec.usermeta || {}).shareState) return;
  const query = new URLSearchParams(window.location.search);
  for (const param of spec.params || []) {
    if (!param.bind || !query.has(param.name)) continue;
    const text = query.get(param.name);
    if (typeof param.value === "number") {
      const value = Number(text);
      if (Number.isFinite(value)) param.value = value;
    } else if (!param.bind.options || param.bind.options.map(String).includes(text)) {
      param.value = text;
    }
  }
}

function stateToAddress(spec, view) {
  if (!(spec.usermeta || {}).shareState) return;
  for (const param of spec.params || []) {
    if (!param.bind) continue;
    view.addSignalListener(param.name, (name, value) => {
      const url = new URL(window.location.href);
      url.searchParams.set(name, String(value));
      window.history.replaceState(window.history.state, "", url);
    });
  }
}

// Slider values shown in the reader's terms (usermeta.sliderFormats: param -> format); "year-month"
// shows year + months/12 as "December 2027".
const SLIDER_FORMATS = {
  "year-month": value => {
    const months = Math.round(Number(value) * 12);
    return new Date(Date.UTC(Math.floor(months / 12), months %% 12, 1))
      .toLocaleDateString("en-GB", {month: "long", year: "numeric", timeZone: "UTC"});
  },
};

function formatSliders(spec, target) {
  for (const [name, format] of Object.entries((spec.usermeta || {}).sliderFormats || {})) {
    const input = target.querySelector(`input[type="range"][name="${name}"]`);
    const shown = input && input.nextElementSibling;
    if (!shown || !SLIDER_FORMATS[format]) continue;
    const update = () => { shown.textContent = SLIDER_FORMATS[format](input.value); };
    input.addEventListener("input", update);  // after vega's own listener, which writes the raw value
    input.addEventListener("change", update);
    update();
  }
}

async function draw(holder) {
  const source = holder.querySelector('script[type="application/vnd.vegalite+json"]');
  if (!source) return;
  const width = Math.max(200, (holder.clientWidth || 640) - 40);  // vega-embed keeps 38 px for its menu
  const mode = pageMode();
  const previous = drawn.get(holder);
  if (previous && previous.mode === mode && Math.abs(previous.width - width) < 0.15 * previous.width) return;
  const spec = prepare(JSON.parse(source.textContent), width, mode);
  stateFromAddress(spec);
  const target = document.createElement("div");
  target.className = "chart-live";
  // Drawn in place (a detached element has no width to fit), out of sight until ready.
  target.classList.add("chart-pending");
  holder.appendChild(target);
  const state = {width, mode, target, result: null};
  drawn.set(holder, state);
  try {
    const result = await vegaEmbed(target, spec, {
      renderer: "svg",
      actions: {export: true, source: false, compiled: false, editor: false},
      downloadFileName: holder.dataset.name || "doubling-time-figure",
      tooltip: {theme: mode === "dark" ? "dark" : "light"},
    });
    if (drawn.get(holder) !== state) { result.finalize(); target.remove(); return; }  // superseded
    state.result = result;
    formatSliders(spec, target);
    stateToAddress(spec, result.view);
    // The menu's "Save as" links serve the build-time images: drawn at full width on a white card,
    // with title, source, date and licence, and named after the figure (clones drop vega-embed's handler).
    for (const link of target.querySelectorAll(".vega-actions a[download]")) {
      const file = holder.dataset[link.download.split(".").pop()];
      if (!file) continue;
      const copy = link.cloneNode(true);
      copy.href = file;
      copy.removeAttribute("target");
      link.replaceWith(copy);
    }
    if (previous) {
      if (previous.result) previous.result.finalize();
      previous.target.remove();
    }
    target.classList.remove("chart-pending");
    holder.classList.add("is-live");
  } catch (error) {
    target.classList.remove("chart-pending");
    target.textContent = "This chart could not be drawn: " + error;
    console.error(error);
  }
}

function drawCharts() {
  for (const holder of document.querySelectorAll("div.vega-chart")) {
    if (holder.dataset.drawn) continue;
    holder.dataset.drawn = "1";
    draw(holder);
    if (window.ResizeObserver) {
      let timer = null;
      new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(() => draw(holder), 250); }).observe(holder);
    }
  }
}

new MutationObserver(() => {
  for (const holder of document.querySelectorAll("div.vega-chart")) draw(holder);
}).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
"""


def embed_snippet() -> str:
    return _EMBED_TEMPLATE % {"page_config": json.dumps(charts.PAGE_CONFIG, sort_keys=True),
                               "dark_swaps": json.dumps(charts.DARK_SWAPS, sort_keys=True),
                               "dark_scheme_extent": json.dumps(theme.DARK_SCHEME_EXTENT),
                               "wrap_template": json.dumps(render.wrap_expression("@EXPR@", "@CHARS@")),
                               "wrap_mark": json.dumps(render.LINE_MARK)}


EMBED_SNIPPET = embed_snippet()


def vega_lite_version() -> str:
    """The Vega-Lite minor version altair writes specs for, e.g. 'v6.4'."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}.{minor}"


def bundle_source() -> str:
    global _vl_used_here
    _vl_used_here = True
    return vl_convert.javascript_bundle(snippet=EMBED_SNIPPET, vl_version=vega_lite_version())


def bundle_key() -> str:
    """Names the bundle's version: the libraries' versions and the snippet it is made from."""
    return hashlib.sha256(f"{vl_convert.__version__}|{vega_lite_version()}|{EMBED_SNIPPET}".encode()).hexdigest()[:16]


# First paint on slow links: the page shows its text and each chart's build-time image first; the
# ~0.9 MB chart bundle loads only after the window's load event, on pages that have charts, so it never
# competes with the text, the styles or the images for bandwidth.
_LOADER = """(function () {
  function load() {
    var script = document.createElement("script");
    script.type = "module";
    script.src = (document.documentElement.dataset.content_root || "") + "_static/%(bundle)s?v=%(key)s";
    document.head.appendChild(script);
  }
  // The build-time images are the charts until the reader does something: the first pointer move,
  // touch, key, scroll or focus loads the bundle, which draws the live charts (tooltips, controls).
  // A page whose charts have controls (the explorer) loads it after the window's load event.
  var loaded = false;
  var events = ["pointermove", "pointerdown", "touchstart", "keydown", "scroll", "focusin", "wheel"];
  function once() {
    if (loaded) return;
    loaded = true;
    events.forEach(function (name) { window.removeEventListener(name, once, true); });
    load();
  }
  events.forEach(function (name) { window.addEventListener(name, once, {capture: true, passive: true}); });
  function eager() { if (document.querySelector('div.vega-chart[data-controls]')) once(); }
  if (document.readyState === "complete") eager(); else window.addEventListener("load", eager);
})();"""


def bundle_loader() -> str:
    return _LOADER % {"bundle": BUNDLE_NAME, "key": bundle_key()}


def _load_bundle_on_chart_pages(app, pagename, templatename, context, doctree) -> None:
    """Only a page that has a chart loads the chart bundle (Sphinx adds a script given in this event
    to this page alone)."""
    if 'class="vega-chart"' in (context.get("body") or ""):
        app.add_js_file(None, body=bundle_loader())
    

# The theme loads fontawesome.js (1.5 MB) to draw a dozen header icons. Each icon is written into the
# page as the inline SVG that script would have made (paths read from the theme's own copy of the
# script at build time), and no page loads the script.
_ICON_SCRIPT = re.compile(r'<script\b[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>\s*')
_ICON = re.compile(r'<i ([^>]*\bclass="([^"]*\bfa-[^"]*)"[^>]*)>\s*</i>')
_ICON_PACKS = {"fab": "fab", "fa-brands": "fab", "far": "far", "fa-regular": "far", "fas": "fas", "fa-solid": "fas", "fa": "fas"}
_FA_NOT_NAMES = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2x", "fa-fw", "fa-spin", "fa-solid", "fa-brands", "fa-regular"}


def fontawesome_icons(script: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(pack, name) -> (width, height, SVG path) for every icon in a fontawesome.js bundle; packs are
    "fab", "far" and "fas". Each pack is one ``var p={...}`` object handed to ``d("<pack>",p)``."""
    icons: dict[tuple[str, str], tuple[int, int, str]] = {}
    entry = re.compile(r'(?:"([\w-]+)"|([A-Za-z_]\w*)|(\d+)):\[(\d+),(\d+),\[[^\]]*\],"[^"]*","([^"]+)"\]')
    for block in re.finditer(r'var p=\{(.*?)\};.*?d\("(fab|far|fas)",p\)', script, flags=re.S):
        for match in entry.finditer(block.group(1)):
            name = match.group(1) or match.group(2) or match.group(3)
            icons[(block.group(2), name)] = (int(match.group(4)), int(match.group(5)), match.group(6))
    return icons


def inline_icon(match: re.Match, icons: dict) -> str:
    """An ``<i class="fa-...">`` element as the inline SVG fontawesome.js draws (classes and other
    attributes kept, so the theme's CSS still applies); an unknown icon is left as it is."""
    classes = match.group(2).split()
    pack = next((_ICON_PACKS[c] for c in classes if c in _ICON_PACKS), "fas")
    names = [c[3:] for c in classes if c.startswith("fa-") and c not in _FA_NOT_NAMES]
    found = next((icons[(pack, name)] for name in names if (pack, name) in icons), None)
    if found is None:
        return match.group(0)
    width, height, path = found
    attributes = re.sub(r'\bclass="[^"]*"', "", match.group(1)).strip()
    title = re.search(r'\btitle="([^"]*)"', attributes)
    label = f"<title>{title.group(1)}</title>" if title else ""
    # fontawesome's own classes would make its stylesheet fetch its 150 KB web font: only the size stays
    kept = [c for c in classes if not (c.startswith("fa") and c != "fa-lg") or c == "fa-lg"]
    kept = [c for c in kept if c not in _ICON_PACKS]
    return (f'<svg class="{" ".join(kept)} svg-inline--fa" {attributes} aria-hidden="true" focusable="false" '
            f'role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">{label}'
            f'<path fill="currentColor" d="{path}"></path></svg>')


def _inline_icons(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / "scripts" / "fontawesome.js"
    if not script.is_file():
        return
    icons = fontawesome_icons(script.read_text(encoding="utf-8"))
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        changed = _ICON.sub(lambda match: inline_icon(match, icons), _ICON_SCRIPT.sub("", text))
        if changed != text:
            page.write_text(changed, encoding="utf-8")


def _kept_bundle(app) -> Path:
    return Path(app.outdir).parent / ".vega-bundle" / f"{bundle_key()}.js"


def _write_bundle(app, exception) -> None:
    """Write the bundle; generating it takes a second, so it is kept beside the build, keyed by the
    versions and the snippet it is made from (an image worker makes it while the pages are written)."""
    if exception is not None or app.builder.format != "html":
        return
    kept = _kept_bundle(app)
    renderer = renderer_of(app)
    if renderer is not None and renderer.has("bundle", kept.name):
        renderer.wait("bundle", kept.name)
    if not kept.exists():
        _write_atomic(kept, bundle_source().encode("utf-8"))
    _write_if_changed(Path(app.outdir) / "_static" / BUNDLE_NAME, kept.read_bytes())


def _is_thebe(script) -> bool:
    name = getattr(script, "filename", None) or ""
    body = getattr(script, "attributes", {}).get("body", "")
    return "thebe" in name or "THEBE_JS_URL" in body


def _page_title(app, pagename, templatename, context, doctree) -> None:
    """The single-page build has no ``docstitle``: the theme's logo would print "None"."""
    if context.get("docstitle") in (None, "None"):
        context["docstitle"] = app.config.html_title or app.config.project


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Jupyter Book 1 always adds sphinx-thebe, which we do not use: its config script is added
    twice (a page error, 'THEBE_JS_URL has already been declared') and names a CDN."""
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [script for script in scripts if not _is_thebe(script)]


# ------------------------------------------------------------------ page safety: inline JSON, spreadsheet cells

# A JSON document inside <script> ends at the first "</script" and changes parsing at "<!--": with
# <, > and & written as \u escapes (still the same JSON) no text from the data can do either.
_INLINE_JSON = re.compile(r'(<script\b[^>]*\btype="application/[^"]*json"[^>]*>)(.*?)(</script>)', re.S | re.I)


def escape_inline_json(text: str) -> str:
    """JSON text safe inside an HTML <script> element: <, > and & as \\u003c, \\u003e, \\u0026."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inline_json(value) -> str:
    return escape_inline_json(json.dumps(value, sort_keys=True, separators=(",", ":")))


def escape_inline_scripts(html_text: str) -> str:
    """Every JSON script element in an HTML fragment, re-escaped (the JSON it holds is unchanged)."""
    return _INLINE_JSON.sub(lambda match: match[1] + escape_inline_json(match[2]) + match[3], html_text)


def _escape_inline_json(app, doctree, docname) -> None:
    """Re-escape the JSON of every chart (and any other JSON script) in the page's raw HTML."""
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        safe = escape_inline_scripts(text)
        if safe != text:
            node.clear()
            node += nodes.Text(safe)


def _is_number(text: str) -> bool:
    """A number a spreadsheet reads as a number, not a formula: -3.5, +2, 1e3, -5%, -1,234."""
    try:
        float(text.strip().removesuffix("%").replace(",", ""))
    except ValueError:
        return False
    return True


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading
    quote; numbers, negative ones included, are left alone."""
    def safe(value):
        if isinstance(value, str) and value.startswith(metr.FORMULA_PREFIXES) and not _is_number(value):
            return "'" + value
        return value

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe)
    return out


def formula_cells(path: Path) -> list[str]:
    """Cells of a data CSV that a spreadsheet would run as a formula, as 'row N: column C'."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    found = []
    for column in frame.columns:
        for index, value in frame[column].items():
            if value.startswith(metr.FORMULA_PREFIXES) and not _is_number(value):
                found.append(f"row {index + 2}: column {column!r}: {metr.show(value)}")
    return found


# ------------------------------------------------------------------ the build guard: no stderr from any cell


def stderr_outputs(notebook: dict) -> list[tuple[int, str]]:
    """(cell number from 1, first line) of every stderr stream in an executed notebook's outputs,
    whatever the cell's tags (remove-cell, remove-output and remove-stderr hide them from the page)."""
    found = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        for output in cell.get("outputs", None) or []:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                first = next((line for line in text.splitlines() if line.strip()), "")
                found.append((number, metr.show(first)))
    return found


def _executed_notebook(app, docname: str) -> Path | None:
    folder = getattr(getattr(app.env, "mystnb_config", None), "output_folder", None)
    if not folder:
        return None
    parts = docname.split("/")
    return Path(folder).joinpath(*parts[:-1], parts[-1] + ".ipynb")


def _fail_on_stderr(app, doctree) -> None:
    """Anything a chapter cell writes to stderr fails the build (an error, so -W stops it).

    Jupyter Book's ``stderr_output: error`` only sees outputs that are rendered, so a cell tagged
    remove-cell could print to stderr unseen. This reads the executed notebook MyST-NB writes for
    every notebook page (``jupyter_execute/<page>.ipynb``), however it was executed."""
    docname = app.env.docname
    metadata = app.env.metadata.get(docname, {})
    executed = bool(getattr(app.env, "nb_metadata", {}).get(docname, {}).get("exec_data"))
    if "kernelspec" not in metadata and not executed:
        return  # not a notebook page
    path = _executed_notebook(app, docname)
    if path is None or not path.is_file():
        logger.error(f"cannot check this page's cells for stderr: no executed notebook at {path}",
                     location=docname)
        return
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        logger.error(f"cannot check this page's cells for stderr: {path}: {err}", location=docname)
        return
    for number, first_line in stderr_outputs(notebook):
        logger.error(f"cell {number} wrote to stderr (hidden cells included): {first_line}", location=docname)


# ------------------------------------------------------------------ figures: downloads, citation, provenance

FIGURES = "figures"  # folder in the site for figure downloads
_SPEC = re.compile(r'<script type="application/vnd\.vegalite\+json">(.*?)</script>', re.S)


_SVG_SIZES: dict[str, tuple[int, int]] = {}  # figure name -> its build-time SVG's width and height


def _figure_files(spec: dict, name: str, folder: Path, png_jobs: list, credit: list[str] | None = None,
                  images: Path | None = None, renderer: ImageRenderer | None = None) -> list[tuple[str, str]]:
    """Write SVG, one CSV per plotted dataset and the spec, queue the PNG (2x); return (label, file).
    The images are drawn at the builder's width and carry ``credit`` (source, date, licence, link);
    the build's image workers (``renderer``) have usually drawn them into ``images`` already."""
    folder.mkdir(parents=True, exist_ok=True)
    export = export_spec(spec, credit or [])
    key, svg = figure_svg(export, images, renderer)
    png_jobs.append((key, svg, folder / f"{name}.png"))  # the PNG is made from this SVG (same pixels, faster)
    _write_if_changed(folder / f"{name}.svg", svg.encode("utf-8"))
    size = re.search(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"', svg)
    _SVG_SIZES[name] = (round(float(size.group(1))), round(float(size.group(2)))) if size else (0, 0)
    (folder / f"{name}.vl.json").write_text(json.dumps(spec, indent=1, sort_keys=True), encoding="utf-8")
    files = [("PNG", f"{name}.png"), ("SVG", f"{name}.svg")]
    tables = []
    for suffix, table in figure_tables(spec):
        file = f"{name}-{suffix}.csv" if suffix else f"{name}.csv"
        spreadsheet_safe(iso_dates(table)).to_csv(folder / file, index=False, lineterminator="\n")
        label = f"CSV: {suffix.replace('-', ' ')} ({len(table)} rows)" if suffix else f"CSV ({len(table)} rows)"
        files.append((label, file))
        tables.append(file)
    if tables:  # the CSVs' title, source and licence, in a sidecar a CSV on the Web reader finds by name
        (folder / f"{name}.csv-metadata.json").write_text(
            json.dumps(csv_metadata(spec, tables, credit or []), indent=1, ensure_ascii=False), encoding="utf-8")
        files.append(("CSV source and licence (JSON)", f"{name}.csv-metadata.json"))
    files.append(("Vega-Lite JSON", f"{name}.vl.json"))
    return files


def csv_metadata(spec: dict, tables: list[str], credit: list[str]) -> dict:
    """A W3C CSV on the Web (CSVW) table group describing a figure's CSV downloads: the figure's title,
    the sources of the data it draws (``figure_sources``), the data files they were read from, the
    report's version, date, licence and the figure's address (``credit``)."""
    title = spec.get("title") or spec.get("description", "")
    title = title.get("text", "") if isinstance(title, dict) else title
    title = " ".join(title) if isinstance(title, list) else title
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": title,
        "dc:source": source_line(spec).removeprefix("Source: ").rstrip("."),
        "dc:provenance": "Drawn from the report's data files " + ", ".join(drawn_inputs(spec)) + ".",
        "dc:license": "https://creativecommons.org/licenses/by/4.0/ (the report's figures and their data); "
                      "the sources' own terms apply to their data",
        "dc:bibliographicCitation": " ".join(credit[-1:]),
        "tables": [{"url": table} for table in tables],
    }


def export_spec(spec: dict, credit: list[str]) -> dict:
    """The spec as the downloaded images draw it: the builder's fixed width, a white card, and the
    credit lines (source, date, licence, address) under the title."""
    out = charts.static_spec(spec)
    title = out.get("title") or ""
    title = dict(title) if isinstance(title, dict) else {"text": title}
    if credit:
        existing = title.get("subtitle") or []
        existing = [existing] if isinstance(existing, str) else list(existing)
        title |= {"subtitle": existing + credit, "subtitleFontSize": 10, "subtitleColor": "#555555", "subtitlePadding": 4}
    # The SVG keeps its text as text: name a font with the same metrics everywhere (Arial, or the
    # metric-compatible Liberation Sans that vl-convert measures with), so that a browser draws labels
    # where they were laid out; a little room on the left absorbs what differences remain.
    return {**out, "title": title, "padding": {"left": 16, "right": 8, "top": 8, "bottom": 8},
            "config": {**out.get("config", {}), "background": "#ffffff", "font": EXPORT_FONT}}


EXPORT_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

_SOURCES = (  # (input path prefix, how a credit line names it); data/benchmarks/ tables name their own
    ("data/metr/", "METR, Measuring AI Ability to Complete Long Tasks (metr.org)"),
    ("data/compute/", "Epoch AI, Data on AI Models (epoch.ai, CC BY 4.0)"),
    ("data/labor/", "pay and employment sources named row by row in the report's data/labor tables"),
    ("data/claims.csv", "public statements listed in the report's data/claims.csv"),
    ("data/circulating_figures.csv", "figures listed in the report's data/circulating_figures.csv"),
    ("data/quoted.csv", "figures quoted from the fact sheet (data/quoted.csv), each with its own source"),
)


def source_name(relative: str) -> str | None:
    """How a credit line names the source of one data file: a benchmark table by the attribution in
    data/benchmarks/sources.csv, the others by their folder."""
    folder, _, name = relative.rpartition("/")
    if folder == "data/benchmarks" and name != "quoted.csv":
        table = paths.ROOT / "data" / "benchmarks" / "sources.csv"
        if table.is_file():
            rows = pd.read_csv(table, dtype=str).set_index("table")
            if name in rows.index:
                attribution = rows.loc[name, "attribution"]
                attribution = attribution.iloc[0] if isinstance(attribution, pd.Series) else attribution
                return re.sub(r",?\s*https?://[^\s;]+", "", attribution).strip()
        return None  # the report's own tables there (the crosswalk of model names)
    return next((label for prefix, label in _SOURCES if relative.startswith(prefix)), None)


def _fingerprint_value(value) -> str | None:
    """A value that identifies where a datum came from: a number that is not a small whole number or
    a year, written to 6 significant digits; a text of at least 4 characters that is not a date."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number or (number.is_integer() and abs(number) < 3000):
            return None
        return f"{number:.6g}"
    text = str(value).strip()
    if len(text) < 4 or re.match(r"^\d{4}-\d{2}(-\d{2})?([T ].*)?$", text):
        return None
    try:
        return _fingerprint_value(float(text))
    except ValueError:
        return "t:" + text.lower()


_FINGERPRINTS: dict[tuple[str, float], frozenset[str]] = {}


def _file_fingerprint(path: Path) -> frozenset[str]:
    key = (str(path), path.stat().st_mtime)
    if key not in _FINGERPRINTS:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        _FINGERPRINTS[key] = frozenset(filter(None, (_fingerprint_value(v) for column in table.columns for v in table[column])))
    return _FINGERPRINTS[key]


def drawn_inputs(spec: dict, least: int = 3) -> list[str]:
    """The figure's provenance narrowed to what it draws: of the data files its page read
    (``usermeta.inputs``, from analysis.paths.inputs_read), those the figure's data come from. A file
    counts when at least ``least`` distinct numbers of the figure are in it (to 6 significant digits;
    numbers written inside labels count too), or when the figure shows a text that only that file,
    of all the page's files, holds (a benchmark's or a source's name; a model's name recurs across
    sources and decides nothing). A figure that draws only computed values (fits, draws) is credited
    to every file its page read."""
    inputs = [relative for relative in spec.get("usermeta", {}).get("inputs", [])
              if relative.endswith(".csv") and (paths.ROOT / relative).is_file()]
    drawn: set[str] = set()
    for _, table in figure_tables(spec):
        for column in table.columns:
            for value in table[column].tolist():
                drawn.add(_fingerprint_value(value))
                if isinstance(value, str):  # "ECI 151.2", "11.3 hours": the numbers inside a label
                    drawn.update(_fingerprint_value(float(n)) for n in re.findall(r"-?\d+\.\d+", value))
    drawn.discard(None)
    numbers = {value for value in drawn if not value.startswith("t:")}
    prints = {relative: _file_fingerprint(paths.ROOT / relative) for relative in inputs}
    holders: dict[str, int] = {}
    for values in prints.values():
        for value in values:
            if value.startswith("t:"):
                holders[value] = holders.get(value, 0) + 1
    found = []
    for relative, values in prints.items():
        distinctive = {value for value in drawn & values if value.startswith("t:") and holders[value] == 1}
        if len(numbers & values) >= least or distinctive:
            found.append(relative)
    return found or inputs


def figure_sources(spec: dict) -> list[str]:
    """The names of the sources of the data a figure draws (``drawn_inputs``), in reading order, each
    once (attributions that name several sources are split at "; ")."""
    names = [part.strip() for relative in drawn_inputs(spec) for part in (source_name(relative) or "").split("; ")]
    return list(dict.fromkeys(name for name in names if name))


def _lines(text: str, width: int = 110) -> list[str]:
    """Text broken at spaces into lines of at most ``width`` characters (a long source line in an image)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def source_line(spec: dict) -> str:
    names = figure_sources(spec)
    return "Source: " + ("; ".join(names) if names else "the report's own computation") + "."


def figure_credit(spec: dict, build: citation.Build, url: str) -> list[str]:
    """Credit lines for a figure's downloads: the sources of the data it draws, the report's version
    and date, the licence, its address."""
    return [*_lines(source_line(spec)), f"Doubling Time {build.version}, built {build.date} · CC BY 4.0 · {url}"]


_NOUNS = (  # mark types -> what a dataset drawn with them holds
    ({"circle", "point", "square", "tick"}, "points"),
    ({"line", "area"}, "lines"),
    ({"bar"}, "bars"),
    ({"rule"}, "ranges"),
    ({"rect"}, "bands"),
    ({"text"}, "labels"),
)


def _marks_by_dataset(node, data=None, out=None) -> dict[str, set[str]]:
    """Which mark types draw each named top-level dataset (layers inherit their parent's data)."""
    out = {} if out is None else out
    if isinstance(node, dict):
        named = node.get("data")
        if isinstance(named, dict) and "name" in named:
            data = named["name"]
        mark = node.get("mark")
        if mark is not None and data is not None:
            out.setdefault(data, set()).add(mark["type"] if isinstance(mark, dict) else mark)
        for key in ("layer", "hconcat", "vconcat", "concat", "spec"):
            children = node.get(key)
            for child in children if isinstance(children, list) else [children] if children else []:
                _marks_by_dataset(child, data, out)
    return out


def figure_tables(spec: dict) -> list[tuple[str, pd.DataFrame]]:
    """The tables a figure plots, each with a file suffix naming what it holds ("" for a single table):
    "models" for per-model rows, else what the marks draw ("lines", "points", "bars", ...)."""
    marks = _marks_by_dataset(spec)
    found = []
    for key, values in spec.get("datasets", {}).items():
        table = pd.read_csv(io.StringIO(values)) if isinstance(values, str) else pd.DataFrame(values)
        if len(table) <= 1:
            continue
        drawn = marks.get(key, set())
        noun = "models" if "display_name" in table.columns else next(
            (noun for types, noun in _NOUNS if drawn & types), "data")
        found.append((noun, table))
    found += [("draws", pd.read_csv(io.StringIO(text))) for text in _inline_csv(spec)]
    if len(found) == 1:
        return [("", found[0][1])]
    seen: dict[str, int] = {}
    out = []
    for noun, table in found:
        seen[noun] = seen.get(noun, 0) + 1
        out.append((noun if seen[noun] == 1 else f"{noun}-{seen[noun]}", table))
    return out


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")


def iso_dates(table: pd.DataFrame) -> pd.DataFrame:
    """Timestamp columns (altair writes ISO date-times, some with nanoseconds) as ISO dates: the
    figures plot days, and a time of day would be spurious precision."""
    out = table.copy()
    for column in out.columns:
        values = out[column].dropna()
        values = values[values.map(lambda value: value != "")]  # an empty cell is no date (layers without one)
        if len(values) and values.map(lambda value: isinstance(value, str) and bool(_ISO_DATETIME.match(value))).all():
            out[column] = out[column].map(lambda value: value[:10] if isinstance(value, str) else value)
    return out


def _inline_csv(node) -> list[str]:
    """CSV strings given inline anywhere in a spec (data: {values: "...", format: {type: csv}})."""
    found = []
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), str) and data.get("format", {}).get("type") == "csv":
            found.append(data["values"])
        for value in node.values():
            found.extend(_inline_csv(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_inline_csv(value))
    return list(dict.fromkeys(found))


def _inputs_html(inputs: list[str]) -> str:
    parts = []
    for relative in inputs:
        path = paths.ROOT / relative
        digest = metr.sha256_of(path)[:12] if path.is_file() else "missing"
        parts.append(f"<code>{html.escape(relative)}</code> (sha256 {digest}…)")
    return "; ".join(parts) if parts else "none recorded"


def _code_html(build: citation.Build) -> str:
    params_hash = metr.sha256_of(paths.ROOT / "analysis" / "params.py")[:12]
    commit = f"<code>{html.escape(build.commit)}</code>"
    link = citation.commit_url(build)
    if link:
        commit = f'<a href="{html.escape(link)}">{commit}</a>'
        params = f'<a href="{html.escape(citation.repository_url())}/blob/{html.escape(link.rsplit("/", 1)[1])}/analysis/params.py"><code>analysis/params.py</code></a>'
    else:
        params = "<code>analysis/params.py</code>"
    return f"Code: commit {commit}. Parameters: {params} (sha256 {params_hash}…), seed {PARAMS.seed}."


def page_provenance(figures: list[tuple[str, str, list[str]]], build: citation.Build) -> str:
    """One expandable block for a page's figures, from (anchor, label, inputs) per figure: figures that
    read the same files share one line; the code and parameters are stated once."""
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for anchor, label, inputs in figures:
        groups.setdefault(tuple(inputs), []).append((anchor, label))
    items = []
    for inputs, members in groups.items():
        names = ", ".join(f'<a href="#{html.escape(anchor)}">{html.escape(label)}</a>' for anchor, label in members)
        items.append(f"<li>{names}: data {_inputs_html(list(inputs))}.</li>")
    return (f'<details class="page-provenance"><summary>Provenance of this page\'s figures</summary>'
            f'<ul>{"".join(items)}</ul><p>{_code_html(build)}</p></details>')


def _figure_extras(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    if app.builder.name == "singlehtml":
        _print_figures(app, doctree)
        return
    build = citation.current_build(app.config.html_baseurl or "")
    page = app.builder.get_target_uri(docname)
    numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    provenance = []
    for figure in list(doctree.findall(nodes.figure)):
        if not figure["ids"]:
            continue
        raw = next((node for node in figure.findall(nodes.raw) if "vega-chart" in node.astext()), None)
        if raw is None:
            continue
        name = figure["ids"][0]
        spec = json.loads(_SPEC.search(raw.astext()).group(1).replace("<\\/", "</"))
        url = build.url(page, name)
        files = _figure_files(spec, name, Path(app.outdir) / FIGURES, _png_jobs(app), figure_credit(spec, build, url),
                              image_folder(app), renderer_of(app))
        prefix = posixpath.relpath(FIGURES, posixpath.dirname(page) or ".")
        raw.parent.replace(raw, nodes.raw("", _named_holder(raw.astext(), name, prefix, _SVG_SIZES.get(name)), format="html"))
        links = " · ".join(f'<a href="{prefix}/{file}" download>{label}</a>' for label, file in files)
        number = ".".join(str(n) for n in numbers.get(name, ()))
        captions = list(figure.findall(nodes.caption))
        caption = " ".join((captions[0].astext() if captions else spec.get("description", "")).split())
        headline = re.split(r"(?<=[.!?])\s", caption, maxsplit=1)[0].rstrip(".")  # its first sentence
        what = f"Figure {number}: “{headline}”" if number else f"“{headline}”"
        bib = citation.bibtex(f"doublingtime_{name}", title=f"Figure {number}: {headline}", build=build, url=url,
                              note=f"Figure {number} in {citation.TITLE}" if number else f"Figure in {citation.TITLE}")
        extras = (
            f'<div class="figure-extras"><p class="figure-downloads">Download: {links} · '
            f'<a class="figure-permalink" href="{html.escape(url)}">Permalink</a></p>'
            f'<details class="figure-cite"><summary>Cite this figure</summary>'
            f"{citation.citation_block(citation.text_citation(what=what, build=build, url=url), bib)}</details></div>"
        )
        figure.append(nodes.raw("", extras, format="html"))
        provenance.append((name, f"Figure {number}" if number else headline, spec.get("usermeta", {}).get("inputs", [])))
    if provenance:
        section = next(iter(doctree.findall(nodes.section)), doctree)
        section.append(nodes.raw("", page_provenance(provenance, build), format="html"))


def _print_figures(app, doctree) -> None:
    """The single-page build (the PDF's source): every chart holder gets its build-time SVG, written
    beside the page; the figure's downloads and citation stay on the web pages."""
    build = citation.current_build(app.config.html_baseurl or "")
    for figure in list(doctree.findall(nodes.figure)):
        raw = next((node for node in figure.findall(nodes.raw) if "vega-chart" in node.astext()), None)
        if raw is None or not figure["ids"]:
            continue
        name = figure["ids"][0]
        spec = json.loads(_SPEC.search(raw.astext()).group(1).replace("<\\/", "</"))
        _figure_files(spec, name, Path(app.outdir) / FIGURES, [], figure_credit(spec, build, build.url("")),
                      image_folder(app), renderer_of(app))
        prefix = posixpath.relpath(FIGURES, posixpath.dirname(app.config.root_doc) or ".")
        raw.parent.replace(raw, nodes.raw("", _named_holder(raw.astext(), name, prefix, _SVG_SIZES.get(name)), format="html"))


def _named_holder(text: str, name: str, prefix: str, size: tuple[int, int] | None = None) -> str:
    """The chart holder, told its figure's name (the chart menu's file names) and its build-time images,
    with the build-time SVG shown at once (first paint on slow links; the print and PDF version) until
    the bundle draws the live chart."""
    svg = f"{html.escape(prefix)}/{html.escape(name)}.svg"
    attributes = (f' data-name="{html.escape(name)}" data-png="{html.escape(prefix)}/{html.escape(name)}.png"'
                  f' data-svg="{svg}"')
    width, height = size or (0, 0)
    dimensions = f' width="{width}" height="{height}"' if width and height else ""
    image = f'<img class="chart-static" src="{svg}" alt=""{dimensions} decoding="async">'
    text = text.replace('<div class="vega-chart"', '<div class="vega-chart"' + attributes, 1)
    opening = text.index(">", text.index('<div class="vega-chart"')) + 1
    return text[:opening] + image + text[opening:]


def _png_jobs(app) -> list:
    if not hasattr(app, "_doubling_time_png_jobs"):
        app._doubling_time_png_jobs = []
    return app._doubling_time_png_jobs


# ------------------------------------------------------------------ build-time images, drawn off the write phase
#
# Each figure's SVG and PNG are a pure function of its export spec (and the vl-convert version), so
# they are kept in a content-addressed folder beside the build (``_build/.figure-images``, named by
# a hash of exactly what is drawn): a page whose figure did not change finds its images there. New
# ones are drawn by image workers, processes forked from the build as soon as a page's notebook has
# run (analysis.site.execution hands each executed notebook to ``prerender``), so they are drawn
# while the other pages execute and Sphinx reads and writes, instead of one after another in the
# write phase. Whatever a worker did not draw is drawn here, as before; the pages are the same.

IMAGE_FOLDER = ".figure-images"
IMAGE_WORKERS = 2
_IMAGE_DAYS = 3  # images unused for this long are removed from the folder
_vl_used_here = False  # vl-convert's runtime started in this process: forking it is unsafe from then on


def image_key(export: dict) -> str:
    """Names a figure's images: a hash of the spec they are drawn from and the drawing library."""
    text = json.dumps(export, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{vl_convert.__version__}|{vega_lite_version()}|{text}".encode()).hexdigest()[:32]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file holds exactly these bytes already (its date then says when it last changed)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _draw_svg(export: dict) -> str:
    global _vl_used_here
    _vl_used_here = True
    return vl_convert.vegalite_to_svg(export, vl_version=vega_lite_version())


def _draw_png(svg: str) -> bytes:
    global _vl_used_here
    _vl_used_here = True
    return vl_convert.svg_to_png(svg, scale=2)


def _image_worker(connection, folder: str) -> None:
    """An image worker (a forked process): draw what the build sends, SVGs first (pages wait for
    them), then the bundle and the PNGs; report each file written; exit when told and done."""
    folder_path = Path(folder)
    first: list = []  # ("svg", key)
    later: list = []  # ("png", key, svg) and ("bundle", name)
    listening = True
    try:
        while listening or first or later:
            while listening and (connection.poll(0) or not (first or later)):
                message = connection.recv()
                if message is None:
                    listening = False
                else:
                    (first if message[0] == "svg" else later).append(message)
            if not (first or later):
                continue
            job = first.pop(0) if first else later.pop(0)
            if job[0] == "svg":
                key = job[1]
                spec_file = folder_path / f"{key}.json"
                svg = _draw_svg(json.loads(spec_file.read_text(encoding="utf-8")))
                _write_atomic(folder_path / f"{key}.svg", svg.encode("utf-8"))
                spec_file.unlink(missing_ok=True)
                later.append(("png", key, svg))
            elif job[0] == "png":
                _write_atomic(folder_path / f"{job[1]}.png", _draw_png(job[2]))
            else:
                _write_atomic(Path(job[2]), bundle_source().encode("utf-8"))
            connection.send(job[:2])
    except BaseException:  # noqa: BLE001 - the build draws whatever a dead worker did not
        pass
    finally:
        connection.close()
        os._exit(0)  # skip the build's exit handlers


class ImageRenderer:
    """The build's image workers: ``submit`` a figure's export spec (or the bundle), ``wait`` for a file."""

    def __init__(self, folder: Path, workers: int = IMAGE_WORKERS):
        import multiprocessing

        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("fork")
        self.workers = []
        for _ in range(max(1, workers)):
            mine, theirs = context.Pipe(duplex=True)
            process = context.Process(target=_image_worker, args=(theirs, str(folder)), daemon=True)
            process.start()
            theirs.close()
            self.workers.append([process, mine, 0])  # process, connection, jobs given
        self.given: dict[tuple[str, str], int] = {}  # (kind, key) -> worker index
        self.done: set[tuple[str, str]] = set()
        self.dead: set[int] = set()

    def _send(self, message: tuple, kinds: tuple[str, ...]) -> None:
        index = min((i for i in range(len(self.workers)) if i not in self.dead),
                    key=lambda i: self.workers[i][2], default=None)
        if index is None:
            return
        try:
            self.workers[index][1].send(message)
        except OSError:
            self.dead.add(index)
            return
        self.workers[index][2] += 1
        for kind in kinds:
            self.given[(kind, message[1])] = index

    def submit(self, export: dict) -> str:
        """Have a worker draw this export spec's SVG and PNG, unless they are in the folder already."""
        key = image_key(export)
        svg, png = self.folder / f"{key}.svg", self.folder / f"{key}.png"
        if ("svg", key) in self.given or (svg.exists() and png.exists()):
            return key
        _write_atomic(self.folder / f"{key}.json", json.dumps(export).encode("utf-8"))
        self._send(("svg", key), ("svg", "png"))
        return key

    def submit_bundle(self, path: Path) -> None:
        self._send(("bundle", path.name, str(path)), ("bundle",))

    def has(self, kind: str, key: str) -> bool:
        return (kind, key) in self.given

    def wait(self, kind: str, key: str) -> bool:
        """Wait until a worker has written the file (True), or cannot (False: draw it here)."""
        while (kind, key) not in self.done:
            index = self.given.get((kind, key))
            if index is None or index in self.dead:
                return False
            try:
                self.done.add(tuple(self.workers[index][1].recv()))
            except (EOFError, OSError):
                self.dead.add(index)
        return True

    def close(self) -> None:
        for index, (process, connection, _) in enumerate(self.workers):
            if index not in self.dead:
                try:
                    connection.send(None)
                except OSError:
                    pass
        for process, connection, _ in self.workers:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
                process.join()
            connection.close()
        self.workers = []


def image_folder(app) -> Path:
    return Path(app.outdir).parent / IMAGE_FOLDER


def renderer_of(app) -> ImageRenderer | None:
    return getattr(app, "_doubling_time_renderer", None)


def start_renderer(app) -> ImageRenderer | None:
    """Fork the image workers (once per build; not where forking is impossible or unsafe) and give
    them the bundle, if none is kept."""
    import multiprocessing

    if renderer_of(app) is not None:
        return renderer_of(app)
    if _vl_used_here or IMAGE_WORKERS < 1 or app.builder.format != "html" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    renderer = ImageRenderer(image_folder(app))
    app._doubling_time_renderer = renderer
    if not _kept_bundle(app).exists():
        renderer.submit_bundle(_kept_bundle(app))
    return renderer


_GLUE_FIGURE = re.compile(r"^([:`]{3,})\{glue:figure\}[ \t]+(\S+)[ \t]*\n((?:[ \t]*:[\w-]+:.*\n)*)", re.M)
_GLUE_HTML = "application/papermill.record/text/html"


def notebook_figures(notebook: dict) -> list[tuple[str, dict]]:
    """(figure name, Vega-Lite spec) of every glued chart an executed notebook places with
    ``{glue:figure}`` and a ``:name:``: the spec as the write phase will read it from the page."""
    html_by_key = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", None) or []:
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get(_GLUE_HTML)
            if key and text:
                html_by_key[key] = "".join(text) if isinstance(text, list) else text
    found = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for match in _GLUE_FIGURE.finditer(source):
            options = dict(re.findall(r":([\w-]+):[ \t]*(.*)", match.group(3)))
            spec = _SPEC.search(html_by_key.get(match.group(2), ""))
            if options.get("name") and spec:
                found.append((nodes.make_id(options["name"].strip()), json.loads(spec.group(1).replace("<\\/", "</"))))
    return found


def prerender(app, notebook: dict, docname: str) -> None:
    """Hand the figures of a page's freshly executed notebook to the image workers."""
    if app.builder.format != "html" or app.builder.name == "singlehtml":
        return
    renderer = start_renderer(app)
    if renderer is None:
        return
    build = citation.current_build(app.config.html_baseurl or "")
    page = app.builder.get_target_uri(docname)
    for name, spec in notebook_figures(notebook):
        renderer.submit(export_spec(spec, figure_credit(spec, build, build.url(page, name))))


def figure_svg(export: dict, folder: Path | None = None, renderer: ImageRenderer | None = None) -> tuple[str, str]:
    """(key, SVG) of a figure: kept in ``folder``, drawn by a worker, or drawn here (and kept)."""
    key = image_key(export)
    if renderer is not None:
        renderer.wait("svg", key)
    path = folder / f"{key}.svg" if folder is not None else None
    if path is not None and path.exists():
        os.utime(path)  # in use: not pruned
        return key, path.read_text(encoding="utf-8")
    svg = _draw_svg(export)
    if path is not None:
        _write_atomic(path, svg.encode("utf-8"))
    return key, svg


def figure_png(key: str, svg: str, folder: Path | None = None, renderer: ImageRenderer | None = None) -> bytes:
    """A figure's PNG (2x, from its SVG): kept in ``folder``, drawn by a worker, or drawn here (and kept)."""
    if renderer is not None:
        renderer.wait("png", key)
    path = folder / f"{key}.png" if folder is not None else None
    if path is not None and path.exists():
        os.utime(path)
        return path.read_bytes()
    png = _draw_png(svg)
    if path is not None:
        _write_atomic(path, png)
    return png


def _stop_renderer(app, exception) -> None:
    """Let the workers finish and exit; forget images no build has used for a few days."""
    renderer = renderer_of(app)
    if renderer is None:
        return
    renderer.close()
    app._doubling_time_renderer = None
    import time

    cutoff = time.time() - _IMAGE_DAYS * 86400
    for path in renderer.folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _render_pngs(app, exception) -> None:
    """Write the queued PNGs (2x): kept or drawn by the image workers, the rest drawn here on all
    cores; a file that holds the same bytes already is left alone."""
    jobs = _png_jobs(app)
    if exception is not None or not jobs:
        return
    folder, renderer = image_folder(app), renderer_of(app)

    def render(job):
        key, svg, path = job
        _write_if_changed(path, figure_png(key, svg, folder, renderer))

    ours = [renderer is not None and renderer.has("png", key) for key, _, _ in jobs]
    for job, drawn_by_worker in zip(jobs, ours):  # waiting for the workers costs this process nothing
        if drawn_by_worker:
            render(job)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(render, [job for job, drawn_by_worker in zip(jobs, ours) if not drawn_by_worker]))
    jobs.clear()


def _footer(app, config) -> None:
    build = citation.current_build(config.html_baseurl or "")
    options = dict(config.html_theme_options or {})
    repository = citation.repository_url()
    commit = f"<code>{html.escape(build.commit)}</code>"
    link = citation.commit_url(build)
    if link:
        commit = f'<a href="{html.escape(link)}">{commit}</a>'
    source = f' · <a href="{html.escape(repository)}">source repository</a>' if repository else ""
    options["extra_footer"] = (
        f"<p>Doubling Time {build.version} · commit {commit} · built {build.date}{source}{_PDF_OFFER} · "
        "code MIT, text and figures CC BY 4.0 · data © METR and the sources named on each page</p>"
    )
    config.html_theme_options = options


_PDF_OFFER = "@PDF@"  # replaced per page by the offer of the PDF (analysis.site.pdf writes the file)


def _offer(file: str, href: str, link: str) -> str:
    """A footer offer of a file that another command adds to the site (``make pdf``, ``make notebooks``):
    written hidden, and shown by ``offer_downloads`` once the file is there, so no page links a 404."""
    return f'<span class="site-offer" data-file="{html.escape(file)}" hidden> · {link.replace("@HREF@", html.escape(href))}</span>'


PDF_NAME = "doubling-time.pdf"  # the whole-book PDF (analysis.site.pdf), at the site's root
NOTEBOOK_FOLDER = "notebooks"  # the chapters as notebooks (analysis.site.notebooks), inside the site


def _pdf_link(app, pagename, templatename, context, doctree) -> None:
    """The footer's offers of the PDF (every page) and, on a chapter, of its notebook (made by
    ``make pdf`` and ``make notebooks``: analysis.site.pdf, analysis.site.notebooks; shown only once they exist)."""
    footer = context.get("theme_extra_footer")
    if not footer or _PDF_OFFER not in footer:
        return
    offers = _offer(PDF_NAME, context["pathto"](PDF_NAME, 1),
                    '<a class="report-pdf" href="@HREF@">the whole report as a PDF</a>')
    name = posixpath.basename(pagename)
    chapters = [posixpath.splitext(posixpath.basename(page))[0] for page, _, numbered in citation.chapters_in_toc() if numbered]
    if pagename == f"book/{name}" and name in chapters:
        file = f"{NOTEBOOK_FOLDER}/{name}.ipynb"
        offers += _offer(file, context["pathto"](file, 1),
                         '<a class="chapter-notebook" href="@HREF@" download>this chapter as a runnable Jupyter notebook</a>')
    context["theme_extra_footer"] = footer.replace(_PDF_OFFER, offers)


_OFFER = re.compile(r'<span class="site-offer" data-file="([^"]+)"( hidden)?>')


def offer_downloads(site: Path) -> int:
    """Show each page's footer offers whose file exists in ``site``, hide those whose file does not;
    return how many offers are shown. Run at the end of every build and by the commands that add
    the files (analysis.pdf, analysis.notebooks)."""
    shown = 0
    for page in Path(site).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "site-offer" not in text:
            continue

        def state(match):
            nonlocal shown
            there = (Path(site) / html.unescape(match.group(1))).is_file()
            shown += there
            return f'<span class="site-offer" data-file="{match.group(1)}"{"" if there else " hidden"}>'

        changed = _OFFER.sub(state, text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
    return shown


def _offer_downloads(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        offer_downloads(Path(app.outdir))


def _published(relative: Path) -> bool:
    """Hidden names (an import's staging folder or journal, analysis.staging) and notes are never published."""
    return not relative.name.endswith(".md") and not any(part.startswith(".") for part in relative.parts)


def sync_tree(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly ``source``'s published files (``_published``), writing only the
    files whose bytes changed and removing the ones that are gone."""
    wanted = {path.relative_to(source) for path in source.rglob("*")
              if path.is_file() and _published(path.relative_to(source))}
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
            relative = path.relative_to(target)
            if path.is_file() and relative not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for relative in sorted(wanted):
        _write_if_changed(target / relative, (source / relative).read_bytes())


def _copy_data(app, exception) -> None:
    """Serve every table under data/ from the site, so the data page's links work offline."""
    if exception is not None or app.builder.format != "html":
        return
    staging.settle_tree(paths.DATA)  # an interrupted import: finish it before publishing
    target = Path(app.outdir) / "data"
    sync_tree(paths.DATA, target)
    for path in sorted(target.rglob("*.csv")):  # the served bytes are the committed ones: refuse, never rewrite
        for cell in formula_cells(path)[:3]:
            logger.error(f"{path.relative_to(target.parent)}: {cell}: a spreadsheet would run this cell as a formula")


def setup(app) -> dict:
    app.add_css_file("report.css")
    app.connect("config-inited", _footer)
    app.connect("doctree-read", _fail_on_stderr)
    app.connect("doctree-resolved", _escape_inline_json, priority=400)  # before _figure_extras reads the specs
    app.connect("doctree-resolved", _figure_extras)
    app.connect("build-finished", _write_bundle)
    app.connect("build-finished", _render_pngs)
    app.connect("build-finished", _copy_data)
    app.connect("build-finished", _inline_icons)
    app.connect("build-finished", _offer_downloads)
    app.connect("build-finished", _stop_renderer, priority=900)  # after the bundle and the PNGs
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _load_bundle_on_chart_pages)
    app.connect("html-page-context", _page_title)
    app.connect("html-page-context", _pdf_link)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
