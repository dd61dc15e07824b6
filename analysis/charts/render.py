"""The offline renderer: importing this module enables the ``offline`` renderer, which emits each
chart's Vega-Lite spec inside a ``<div class="vega-chart">``, sized to its container and stamped with
the data files it was drawn from. The site's own vega bundle (``analysis.site.website``) draws them;
no page loads a CDN. Exports use ``static_spec`` (a fixed width, every label kept).
"""

from __future__ import annotations

import json

import altair as alt

from analysis import paths
from analysis.charts import theme


SPEC_MIME = "application/vnd.vegalite+json"


def _offline_html(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    description = spec.get("description", "Chart")
    # a chart with controls (bound parameters) is drawn live at once; the others when the reader acts
    controls = " data-controls" if any("bind" in param for param in spec.get("params", [])) else ""
    return (
        f'<div class="vega-chart" role="figure" aria-label="{_escape_attr(description)}"{controls}>'
        f'<script type="{SPEC_MIME}">{text}</script></div>'
    )


def _escape_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


_COMPOSED = ("hconcat", "vconcat", "concat", "facet", "repeat")


def responsive(spec: dict) -> dict:
    """The spec as the page draws it: as wide as its container (Vega-Lite ``width: "container"``,
    autosize ``fit-x`` including padding), for every single or layered chart at once. The builder's
    pixel width is kept in ``usermeta.export_width`` for the build-time images (``static_spec``).
    Concatenated or faceted specs cannot take a container width and are left as they are.
    """
    width = spec.get("width")
    if not isinstance(width, (int, float)) or any(key in spec for key in _COMPOSED):
        return spec
    usermeta = {**spec.get("usermeta", {}), "export_width": width}
    fitted = {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}, "usermeta": usermeta}
    return _clip_text(fitted, True)


def _clip_text(spec: dict, clip: bool) -> dict:
    """Text marks clipped to the plot (``clip``) or not. A chart fitted to its container shrinks its
    plot to make room for any label that runs past it (on a phone, to a few pixels); clipped, a long
    label is cut at the plot's edge instead, and its tooltip or the caption still carries it."""
    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: walk(value) for key, value in node.items()}
        mark = out.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
            mark = {"type": "text"} if mark == "text" else dict(mark)
            if clip:
                mark["clip"] = True
            else:
                mark.pop("clip", None)
            out["mark"] = mark
        return out

    return walk(spec)


def whole_labels(spec):
    """The spec with every axis and legend label limit lifted (``labelLimit: 0``): an image has room
    to grow, so no label is cut short with an ellipsis."""
    if isinstance(spec, list):
        return [whole_labels(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    return {key: 0 if key == "labelLimit" else whole_labels(value) if key not in ("data", "datasets") else value
            for key, value in spec.items()}


# Long labels wrap at spaces by rule instead of being cut: a Vega expression that breaks the label (or
# what the axis' own labelExpr makes of it) into lines of at most N characters; Vega draws a list of
# strings as lines. analysis.site.website's embed snippet applies the same rule on narrow screens.
_LABEL_CHANNELS = {"x", "y", "x2", "y2"}
_LEGEND_CHANNELS = {"color", "fill", "stroke", "shape", "size", "opacity", "strokeDash"}


LINE_MARK = "\u00a6"  # broken bar: marks the line ends while the expression wraps (no label uses it)


def wrap_expression(expression: str, chars: int) -> str:
    """A Vega expression: ``expression`` (a string) broken at spaces into lines of at most ``chars``
    (a word longer than that keeps its own line). No backslashes, so the same text works in JSON, in
    Python and in the page's JavaScript (analysis.site.website's embed snippet builds the same)."""
    return (f"split(replace(replace({expression}, regexp('(.{{1,{chars}}})( +|$)', 'g'), '$1{LINE_MARK}'), "
            f"regexp('{LINE_MARK}$'), ''), '{LINE_MARK}')")


def wrap_labels(spec, axis_chars: int, legend_chars: int):
    """The spec with every axis label longer than ``axis_chars`` and every legend label longer than
    ``legend_chars`` wrapped (``wrap_expression``); axes and legends turned off are left alone."""
    def guide(owner: dict, key: str, chars: int) -> dict:
        current = owner.get(key, {})
        if current is None:
            return owner
        if current.get("labelAngle"):
            return owner  # rotated labels keep one line: wrapped, they widen into their neighbours
        current = dict(current)
        inner = current.get("labelExpr") or "datum.label"
        if LINE_MARK not in inner:
            current["labelExpr"] = wrap_expression(f"({inner})", chars)
        return {**owner, key: current}

    def walk(node, layered=False):
        if isinstance(node, list):
            return [walk(item, layered) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: walk(value, layered or key == "layer") if key not in ("data", "datasets", "usermeta") else value
               for key, value in node.items()}
        encoding = out.get("encoding")
        if isinstance(encoding, dict):
            encoding = dict(encoding)
            for channel, definition in encoding.items():
                if not isinstance(definition, dict) or "field" not in definition and "aggregate" not in definition:
                    continue
                # in a layer, only a guide a layer defines is changed: a layer that names none shares
                # another layer's (whose own label expression, as for time axes, must stand)
                if layered and (channel in _LABEL_CHANNELS and "axis" not in definition
                                or channel in _LEGEND_CHANNELS and "legend" not in definition):
                    continue
                if channel in _LABEL_CHANNELS and channel[-1] != "2":
                    encoding[channel] = guide(definition, "axis", axis_chars)
                elif channel in _LEGEND_CHANNELS:
                    encoding[channel] = guide(definition, "legend", legend_chars)
            out["encoding"] = encoding
        return out

    return walk(spec)


# Exports: labels whole, wrapped at these many characters (a long category name takes two lines
# rather than half the image's width).
EXPORT_AXIS_CHARS = 44
EXPORT_ROW_STEP = 34  # px a row of a category axis takes in an export: two lines of label
EXPORT_LEGEND_CHARS = 48


def static_spec(spec: dict) -> dict:
    """The inverse of ``responsive``: a fixed-width spec for SVG/PNG export (no container to fit), with
    every label whole (``whole_labels``)."""
    width = spec.get("usermeta", {}).get("export_width")
    if spec.get("width") != "container" or width is None:
        out = dict(spec)
    else:
        out = {key: value for key, value in spec.items() if key != "autosize"}
        out = _clip_text({**out, "width": width}, False)  # a fixed width leaves room for every label
    config = dict(out.get("config", {}))
    for part in ("axis", "legend"):
        config[part] = {**config.get(part, {}), "labelLimit": 0}
    if _has_category_rows(out):
        out["height"] = {"step": EXPORT_ROW_STEP}
    return wrap_labels(whole_labels({**out, "config": config}), EXPORT_AXIS_CHARS, EXPORT_LEGEND_CHARS)


def _has_category_rows(spec: dict) -> bool:
    """Whether a single or layered chart has a category (nominal or ordinal) y axis, one row per label."""
    if any(key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        return False
    for node in [spec, *spec.get("layer", [])]:
        y = (node.get("encoding") or {}).get("y")
        if isinstance(y, dict) and y.get("type") in ("nominal", "ordinal") and y.get("axis", {}) is not None:
            return True
    return False


def stamped(spec: dict) -> dict:
    """The spec stamped with the data files read so far in this process (its provenance)."""
    return {**spec, "usermeta": {**spec.get("usermeta", {}), "inputs": paths.inputs_read()}}


def offline_renderer(spec: dict, **_options) -> dict:
    """Emit the spec for the site's bundle, stamped with the data files read so far (provenance),
    sized to its container (``responsive``)."""
    return _mimebundle(stamped(spec))


def with_dark_colours(spec: dict) -> dict:
    """The spec with ``usermeta.darkColours``: the colour swaps the page makes in dark mode
    (``theme.dark_colours``: every colour below the contrast bar on the dark page, by rule)."""
    return {**spec, "usermeta": {**spec.get("usermeta", {}), "darkColours": theme.dark_colours(spec)}}


def _mimebundle(spec: dict) -> dict:
    spec = with_dark_colours(responsive(spec))
    return {"text/html": _offline_html(spec), "text/plain": f"<chart: {spec.get('description', '')}>"}


class SpecFigure:
    """A chart already rendered to a stamped spec elsewhere (another page's run): glued as it is."""

    def __init__(self, spec: dict):
        self.spec = spec

    def to_dict(self) -> dict:
        return self.spec

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return _mimebundle(self.spec)


alt.renderers.register("offline", offline_renderer)


alt.renderers.enable("offline")
