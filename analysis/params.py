"""The one parameter object. Every knob the analysis turns lives here, with its unit."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Params:
    seed: int = 20_250_319  # seed for every resampling step (METR's paper came out 2025-03-19)
    # The date the report speaks from. Set deliberately at each release, never read from the clock,
    # so that a rebuild next year says the same thing.
    as_of: str = "2026-12-06"  # release 0.3.0
    n_bootstrap: int = 10_000  # bootstrap replicates for trend intervals
    confidence: float = 0.95  # two-sided interval level
    max_minutes: float = 960.0  # METR: central p50 above 16 h is unreliable; excluded from fits
    # Fit windows as (key, first release date or None for all time). Keys follow METR's YAML.
    windows: tuple[tuple[str, str | None], ...] = (
        ("all_time", None),
        ("from_2023_on", "2023-01-01"),
        ("from_2024_on", "2024-01-01"),
    )
    # Human work-time units used on axes and in prose (hours of expert time).
    work_day_hours: float = 8.0
    work_week_hours: float = 40.0
    work_month_hours: float = 167.0  # 40 h x 52 weeks / 12 months, rounded
    chart_width: int = 500  # px, all charts (fits the book theme's content column)
    chart_height: int = 340  # px, main scatter charts
    fit_grid_points: int = 120  # dates at which a fitted line and its band are evaluated
    # Eras (chapter 2)
    break_min_segment: int = 4  # frontier models required on each side of a break
    break_grid_days: float = 30.0  # spacing of candidate break dates (days)
    n_break_bootstrap: int = 2_000  # resamples for the break date and era slopes
    n_null: int = 999  # parametric-bootstrap draws for the acceleration test's null
    n_sweep_bootstrap: int = 2_000  # resamples per window in the start-date sweep
    sweep_min_models: int = 5  # smallest window the sweep fits
    sweep_axis_max_days: float = 400.0  # the sweep chart's y axis stops here (wider intervals are cut)
    backtest_min_train: int = 8  # frontier models in a backtest's first training set
    backtest_max_lead_days: float = 730.0  # predict models released up to two years after the origin
    backtest_interval: float = 0.8  # prediction-interval level whose coverage the backtest checks
    figure_tolerance_pct: float = 5.0  # a circulating figure "reproduces" within this distance
    # Timelines (chapter 3). The growth scenarios, in display order. Their mixture weights come from
    # chapter 2's backtest (forecast.scenario_weights, stacking of leave-future-out predictive densities).
    scenarios: tuple[str, ...] = (
        "Exponential, all time",
        "Exponential, since 2023",
        "Latest era continues",
        "Superexponential",
    )
    # The weights of the first release: a judgement, not an estimate. Kept as a sensitivity case only.
    judgement_weights: tuple[tuple[str, float], ...] = (
        ("Exponential, all time", 0.2),
        ("Exponential, since 2023", 0.3),
        ("Latest era continues", 0.3),
        ("Superexponential", 0.2),
    )
    # The since-2023 exponential scenario in chapter 2's backtest: the fewest models it is fitted to at an origin.
    window_backtest_min_models: int = 4
    # Weights with their own uncertainty (issue 20). The headline averages stacking weights over a
    # Bayesian bootstrap of the backtest's origins (Dirichlet(alpha) weights on origins; Rubin 1981,
    # as in pseudo-BMA+ of Yao, Vehtari, Simpson and Gelman 2018): an origin, not a forecast, is the unit,
    # because the forecasts made at one origin share one fit.
    weight_bootstrap_draws: int = 400  # Bayesian-bootstrap replicates over origins
    weight_bootstrap_alpha: float = 1.0  # Dirichlet concentration of the origin weights (1: the Bayesian bootstrap)
    regularised_stacking_alpha: float = 2.0  # Dirichlet(alpha) prior on the weights, maximised a posteriori (1: none)
    weight_last_k_origins: int = 5  # "last-k origins": stacking on the latest k origins only
    weight_reject_level: float = 0.05  # a scenario is rejected when its mean error over origins differs from 0 (t test)
    weight_min_origins: int = 2  # fewer backtest origins: the data-driven rules give equal weights
    # A trend that can change (regimes.py). Rate: Jeffreys Gamma posterior of the changes the era analysis
    # finds (AICc: two eras over one) in the span of the frontier series. A speed-up multiplies the growth
    # rate by the ratio of the two eras' slopes; a slowdown divides it by the watch chapter's "compute
    # stops growing" case: doubling time 266.8 days instead of 128.7 (watch chapter, frozen / observed).
    trend_change_slowdown_factor: float = 2.07
    trend_change_up_share: float = 0.5  # a change is as likely to speed growth up as to slow it down
    trend_change_size_spread: float = 0.5  # each change's size: the evidence's log-factor times U(0.5, 1.5)
    trend_change_max_factor: float = 4.0  # a speed-up estimated larger than this is capped
    trend_change_rate_scale: float = 1.0  # sensitivity: multiplies the rate of changes (0 = fixed-rate lines)
    trend_change_sensitivity: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)  # rate multipliers shown on the page
    trend_change_histories: int = 8  # change histories per parameter draw
    # The gap between METR's tasks and real research work, in doublings: the horizon on METR's suite
    # must exceed the claimed real-work horizon by this much (uniform on the range). 0: METR tasks are
    # research work; 2: a quarter. Evidence: METR finds messier tasks harder at equal length (A1);
    # OpenAI: over half of successful 4-8 h tasks needed interventions (F3).
    transfer_gap_log2: tuple[float, float] = (0.0, 2.0)
    # Calibration record: the whole procedure rerun at past origins on the data of each origin.
    calibration_start: str = "2022-01-01"  # first origin (quarterly after it)
    calibration_step_months: int = 3
    calibration_min_models: int = 4  # an origin needs this many frontier models to forecast at all
    calibration_thresholds_min: tuple[float, ...] = (15.0, 30.0, 60.0, 120.0, 240.0, 480.0)
    calibration_draws: int = 100  # parameter draws per scenario at each origin (modest: the record reruns 13+ origins)
    calibration_weight_draws: int = 100  # Bayesian-bootstrap replicates at each origin
    calibration_tolerance: float = 0.1  # 80% intervals covering below level - tolerance are widened
    calibration_widen_min_lead_days: float = 365.0  # the rule looks at leads like the open claims' (a year and more)
    n_forecast_draws: int = 300  # parameter draws per scenario and reliability level (the page carries them all)
    fan_end: str = "2032-12-31"  # projections run from the latest model to this date
    fan_points: int = 60  # dates at which the fan chart is evaluated
    explorer_month: str = "2028-03"  # the explorer's read-out month when the page opens (OpenAI researcher claim)
    explorer_max_hours: float = 2000.0  # the explorer's milestone control runs up to a work-year (hours)
    # Methods: re-estimating horizons from task results
    logistic_regularization: float = 0.1  # METR's L2 penalty on the logistic slope (C = 1/0.1)
    n_task_bootstrap: int = 400  # family -> task -> run resamples for horizon intervals
    near_horizon_doublings: float = 1.0  # a task is "near" a horizon within this many doublings
    # Labour market (chapter 4): judgements, each varied in the chapter's sensitivity analysis.
    career_years: float = 30.0  # length of the career being valued (years)
    discount_rate: float = 0.05  # real discount rate (per year)
    wage_growth: float = 0.02  # real wage growth (per year)
    post_automation_share: float = 0.5  # pay after automation, as a share of the baseline wage
    automation_lag_years: float = 2.0  # from the trend reaching the milestone to displacement
    labor_milestone: str = "work-month"  # the role is automated when AI R&D is: a work-month ...
    labor_reliability: str = "p80"  # ... at 80% reliability (the mapping of Clark's claim, ch. 3)
    listing_date: str = "2026-05-22"  # valuation date: the OpenAI listing (fact C1)
    sensitivity: tuple[tuple[str, float, float], ...] = (  # (Career field, low, high)
        ("post_automation", 0.0, 0.8),
        ("lag_years", 0.0, 5.0),
        ("discount", 0.02, 0.08),
        ("wage_growth", 0.0, 0.04),
        ("years", 20.0, 40.0),
    )
    scarcity_demand_growth: tuple[float, ...] = (0.0, 0.10, 0.21)  # demand growth paths (per year) to compare
    scarcity_elasticity: float = 1.0  # demand elasticity for specialists (wage ~ (D/S)^(1/e))
    scarcity_years: float = 10.0  # horizon of the scarcity projection (years)
    # What to watch (closing chapter): training compute (Epoch AI) and a compute-constraint scenario.
    compute_frontier_top_k: int = 3  # at the compute frontier: fewer than k models published up to that day used more compute
    compute_fit_start: str = "2010-01-01"  # the long-run compute window starts here (the deep-learning era)
    compute_era_start: str = "2019-01-01"  # the "before the break" compute window starts with METR's first model (GPT-2)
    frontier_labs: tuple[str, ...] = ("OpenAI", "Anthropic", "Google DeepMind", "Google", "xAI", "Meta AI")  # Epoch org names
    compute_coverage_since: str = "2020-01-01"  # first half-year of the completeness count
    compute_coverage_floor: float = 0.25  # a half-year is incomplete when fewer than this share of frontier-lab models have compute
    compute_chart_min_flop: float = 1e23  # the chart shows other (non-frontier) models from Epoch's large-scale threshold up
    n_compute_bootstrap: int = 10_000  # resamples for compute growth and horizon-compute slope intervals
    # The scenario's assumptions, each a judgement the reader can change:
    compute_commitment_before_usd: float = 1.4e12  # OpenAI's compute obligations as stated on 28 Oct 2025 (fact B2)
    compute_commitment_after_usd: float = 6.0e11  # its compute spending target "through 2030" after the reset (fact B4)
    compute_reset_date: str = "2026-02-20"  # when the reset was reported (B4); the slowdown starts here
    compute_commitment_end: str = "2030-12-31"  # "through 2030" (B4); the slowdown is spread evenly up to here
    # Frontier compute in 2030 scales as (spending)^elasticity: 1 means a 57% smaller commitment gives a
    # 57% lower 2030 compute level, i.e. log2(1.4/0.6) = 1.22 fewer doublings spread over the years
    # from the reset to the end of 2030. It applies the one lab's reset to the whole frontier.
    compute_spend_elasticity: float = 1.0
    # Beyond time horizons (benchmarks chapter)
    nowcast_level: float = 0.8  # prediction-interval level of the ECI -> horizon nowcast (and its backtest)
    nowcast_frontier_margin_eci: float = 3.0  # a new model is "frontier" if its ECI is within this many
    # points of the best ECI released before it (about the gap between GPT-5.2 and GPT-5.4, one quarter apart)
    nowcast_backtest_until: str = "2025-06-30"  # origin of the single-origin backtest: fit up to here
    nowcast_min_train: int = 8  # sequential backtest: predict a model once this many earlier ones are measured
    n_nowcast_bootstrap: int = 2_000  # pairs-bootstrap resamples that check the t-based interval
    benchmark_saturation: float = 0.9  # a benchmark counts as saturated once its frontier reaches this score
    n_benchmark_bootstrap: int = 2_000  # resamples over frontier models for each benchmark's logit trend
    benchmark_min_points: int = 3  # frontier records a benchmark needs for a trend (and per side of a break)
    # The intern deadline against OpenAI's own claim (chapter 4; nowcast helper). OpenAI's definition:
    # "tasks that would take a skilled researcher a few days" (fact F1); "a few" working days, read as a
    # range from the low to the high number of days, each of work_day_hours.
    intern_days_low: float = 2.0
    intern_days_high: float = 4.0

    def rng(self, name: str) -> np.random.Generator:
        """The random stream of one named quantity, e.g. ``"trend/bootstrap/from_2023_on/p50"``.

        Derived from the seed and a SHA-256 digest of the name (not Python's per-process ``hash``),
        so a quantity gets the same draws on every page, in every process and in any order.
        """
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, *words])))

    def milestone_hours(self) -> dict[str, float]:
        """The work-time milestones, in hours of human-expert time."""
        return {"work-day": self.work_day_hours, "work-week": self.work_week_hours, "work-month": self.work_month_hours}

    def window_start(self, window: str) -> str | None:
        """First release date of a named fit window (None: all time)."""
        starts = dict(self.windows)
        if window not in starts:
            raise KeyError(f"unknown window {window!r}; known: {list(starts)}")
        return starts[window]


# Randomness a function accepts: one generator (for a single quantity), or a stream factory such as
# ``params.rng`` that hands each quantity the generator of its own name.
Randomness = np.random.Generator | Callable[[str], np.random.Generator]


def stream(randomness: Randomness, name: str) -> np.random.Generator:
    """The generator for the quantity ``name``: from a factory by name, or the generator given."""
    return randomness if isinstance(randomness, np.random.Generator) else randomness(name)


def digest(*arrays) -> str:
    """A short stable digest of some numbers, so a stream can be named after the data it resamples."""
    h = hashlib.sha256()
    for array in arrays:
        h.update(np.ascontiguousarray(np.asarray(array, dtype=float)).tobytes())
    return h.hexdigest()[:16]


PARAMS = Params()
