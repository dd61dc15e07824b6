"""Every rule that turns a number into text: units, dates, money, intervals. The only module that rounds.

``as_text`` formats a dictionary of raw values by each key's suffix (``_days``, ``_min``, ``_share``...),
so a chapter's result object keeps raw numbers for tests and hands formatted strings to glue.
This module imports nothing of the package.
"""

from __future__ import annotations

import math

import pandas as pd


def format_minutes(minutes: float) -> str:
    """Human-expert task length in the unit a reader would use."""
    if not math.isfinite(minutes):
        return "unbounded"
    if minutes < 1:
        seconds = minutes * 60
        return f"{seconds:.0f} seconds" if seconds >= 1.5 else f"{seconds:.1f} seconds"
    if minutes < 10:
        return f"{minutes:.1f} minutes"
    if minutes < 60:
        return f"{minutes:.0f} minutes"
    hours = minutes / 60
    return f"{hours:.1f} hours" if hours < 10 else f"{hours:.0f} hours"


def format_quoted_hours(hours: float) -> str:
    """A figure quoted in hours, to the tenth its sources give (METR's "11.3 hours", not
    ``format_minutes``' "11 hours"); the ``_hours`` rule of glued numbers."""
    return f"{hours:,.1f}".removesuffix(".0") + " hours"


def format_days(days: float) -> str:
    return "no finite doubling" if not math.isfinite(days) else f"{days:,.0f}"


def format_date(value) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def format_month(value) -> str:
    return f"{pd.Timestamp(value):%B %Y}"


def format_dollars(value: float) -> str:
    if value >= 1e6:
        return f"${value / 1e6:,.2f}M".replace(".00M", "M")
    return f"${value:,.0f}"


def format_dollars_scaled(value: float) -> str:
    """Large sums in words: $600 billion, $1.4 trillion."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"${value / size:.1f} {word}".replace(".0 ", " ")
    return f"${value:,.0f}"


def format_flop(value: float) -> str:
    """Floating-point operations in scientific notation: 5.0 × 10²⁶ FLOP."""
    if not math.isfinite(value) or value <= 0:
        return "unknown"
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    if round(mantissa, 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa:.1f} × 10{superscript} FLOP"


def format_p_value(p: float, n_draws: int) -> str:
    """A simulated p-value; at the simulation's floor, 1/(n+1), say "≤" rather than "=" (text only)."""
    floor = 1 / (n_draws + 1)
    return f"≤ {floor:.3f}" if p <= floor + 1e-12 else f"= {p:.3f}"


def format_probability(p: float) -> str:
    """A probability from a model that leaves out a break in the trend itself: never "0%" or "100%"."""
    if p > 0.99:
        return "over 99%"
    if p < 0.01:
        return "under 1%"
    return f"{100 * p:.0f}%"


def format_probability_short(p: float) -> str:
    """``format_probability`` in a heatmap cell's room on a phone, in percent without the sign (the
    legend says percent): ">99" and "<1" for "over 99%" and "under 1%"."""
    return {"over 99%": ">99", "under 1%": "<1"}.get(format_probability(p), format_probability(p)).removesuffix("%")


_SUFFIX_RULES = {
    "_prob": format_probability,
    "_signed_log2": lambda v: f"{v:+.2f}",
    "_log2": lambda v: f"{v:.2f}",
    "_p": lambda v: f"{v:.3f}",
    "_stat": lambda v: f"{v:.1f}",
    "_share": lambda v: f"{100 * v:.0f}%",
    "_days3": lambda v: f"{v:.3f}",
    "_days": format_days,
    "_quoted_min": lambda v: format_quoted_hours(v / 60) if v >= 60 else format_minutes(v),  # a figure as its source gave it
    "_min": format_minutes,
    "_pct2": lambda v: f"{v:.2f}%",
    "_pct3": lambda v: f"{v:.3f}%",
    "_pct": lambda v: f"{v:.0f}%" if v == round(v) or abs(v) >= 10 else f"{v:.1f}%",
    "_ratio": lambda v: f"{v:.1f}×",
    "_ratio2": lambda v: f"{v:.2f}×",  # a ratio quoted to two decimals (Anthropic's 1.53×)
    "_per_year": lambda v: f"{v:.1f}",
    "_r2": lambda v: f"{v:.2f}",
    "_count": lambda v: f"{v:,.0f}",
    "_usd": format_dollars,
    "_usd_scale": lambda v: format_dollars_scaled(v),
    "_months": lambda v: f"{v:.1f}",
    "_slope": lambda v: f"{v:.2f}",
    "_flop": lambda v: format_flop(v),
    "_hours": format_quoted_hours,
    "_years": lambda v: f"{v:.1f}",
    "_doublings": lambda v: f"{v:.2f}",
    "_index": lambda v: f"{v:.1f}",  # a score on an index scale (Epoch's ECI)
    "_index0": lambda v: f"{v:.0f}",  # an index score published as an integer (Epoch's page)
    "_pct1": lambda v: f"{v:.1f}%",  # a percentage quoted to one decimal, as its source gives it
}


def as_text(numbers: dict[str, float | str]) -> dict[str, str]:
    """Format every value by its key's suffix; strings (names, dates) pass through unchanged."""
    text = {}
    for key, value in numbers.items():
        if isinstance(value, str):
            text[key] = value
            continue
        rule = next((rule for suffix, rule in _SUFFIX_RULES.items() if key.endswith(suffix)), None)
        if rule is None:
            raise KeyError(f"no formatting rule for key {key!r}; end it with one of {list(_SUFFIX_RULES)}")
        text[key] = rule(float(value))
    return text


# ------------------------------------------------------------------ fact ids as links
FACT_ID_PATTERN = r"(?<![\w\[#/-])([A-FS][0-9]{1,2})(?![\w\]])"  # E2, F14, S1 (not inside a link)
FACTS_PAGE = "facts"  # book/facts.md: every fact's row, each under the anchor ``fact-<id>``


def fact_anchor(fact_id: str) -> str:
    """The label of a fact's entry on the "Facts quoted" page (``fact-e2``)."""
    return f"fact-{fact_id.lower()}"


def fact_link(fact_id: str) -> str:
    """A fact id as a MyST link to its entry (``[E2](#fact-e2)``), for markdown and ``{glue:md}`` text."""
    return f"[{fact_id}](#{fact_anchor(fact_id)})"


def fact_href(fact_id: str) -> str:
    """The address of a fact's entry from another page of the book (for links inside HTML tables)."""
    return f"{FACTS_PAGE}.html#{fact_anchor(fact_id)}"


def link_fact_ids(text: str) -> str:
    """Every bare fact id in ``text`` made a MyST link to its entry; ids already linked are left alone."""
    import re

    return re.sub(FACT_ID_PATTERN, lambda match: fact_link(match.group(1)), text)


def format_quoted_value(value: float, low: float, high: float, unit: str) -> str:
    """A quoted figure in its unit, with its interval when it has one (blank for a statement)."""
    if value != value:  # NaN: a statement without a number
        return ""
    def one(v: float) -> str:
        if unit == "share":
            return f"{v * 100:.3g}%"
        if unit == "ratio":
            return f"{v:g}×"
        if unit == "USD":
            return format_dollars_scaled(v)
        if unit == "hours":
            return f"{v:,g} h"
        if unit == "minutes":
            return format_minutes(v)
        if unit == "points_per_year":
            return f"{v:g} points a year"
        if unit == "eci_points":
            return f"{v:g} ECI points"
        return f"{v:,g} {unit}".rstrip()
    shown = one(value)
    if low == low and high == high:
        shown += f" (interval {one(low)} to {one(high)})"
    return shown
