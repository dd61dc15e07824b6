"""Presentation: the report's altair theme (``theme``), the offline renderer (``render``) and one builder
module per chapter. Builders take tidy, already formatted tables and return altair charts; they compute
nothing. Importing this package registers the theme and enables the offline renderer.

Every builder and the shared theme names are re-exported here, so ``charts.fan_chart`` works as before.
"""

from analysis.charts import render  # noqa: F401  (enables the offline renderer)
from analysis.charts.render import SPEC_MIME, SpecFigure, offline_renderer, responsive, stamped, static_spec
from analysis.charts.theme import (
    PALETTE,
    GREY,
    COLOURS,
    CATEGORY_PREFIXES,
    category,
    colour_of,
    category_scale,
    report_theme,
    PAGE_CONFIG,
    DARK_SWAPS,
    time_ticks,
    label_expression,
    time_axis,
    time_scale,
    today_marks,
    fit_container,
    logit_axis,
)
from analysis.charts.trend import (
    horizon_chart,
    suite_comparison_chart,
)
from analysis.charts.eras import (
    sweep_chart,
    break_distribution_chart,
    backtest_chart,
    changelog_chart,
    reliability_chart,
)
from analysis.charts.benchmarks import (
    NOWCAST_STATUSES,
    nowcast_chart,
    FRONTIER_KINDS,
    benchmark_frontiers_chart,
    bridge_chart,
)
from analysis.charts.timelines import (
    fan_chart,
    arrival_explorer_chart,
    claims_chart,
    calibration_chart,
    decomposition_chart,
)
from analysis.charts.labor import (
    salary_chart,
    career_value_chart,
    premium_chart,
    tornado_chart,
    precedent_chart,
    LOWER_BOUND_LABEL,
    EXACT_COUNT_LABEL,
)
from analysis.charts.watch import (
    compute_frontier_chart,
    horizon_compute_chart,
    constraint_scenario_chart,
)
from analysis.charts.methods import (
    interval_comparison_chart,
    multiverse_chart,
    saturation_chart,
)
