"""The one parameter object. Every knob the analysis turns lives here, with its unit."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Params:
    seed: int = 20_250_319  # seed for every resampling step (METR's paper came out 2025-03-19)
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
    # Timelines (chapter 3). Scenario weights are a judgement, not an estimate: change them here.
    scenario_weights: tuple[tuple[str, float], ...] = (
        ("Exponential, all time", 0.2),
        ("Exponential, since 2023", 0.3),
        ("Latest era continues", 0.3),
        ("Superexponential", 0.2),
    )
    n_forecast_draws: int = 300  # parameter draws per scenario and reliability level (the page carries them all)
    fan_end: str = "2032-12-31"  # projections run from the latest model to this date
    fan_points: int = 60  # dates at which the fan chart is evaluated
    explorer_year: int = 2028  # the explorer's read-out year when the page opens

    def milestone_hours(self) -> dict[str, float]:
        """The work-time milestones, in hours of human-expert time."""
        return {"work-day": self.work_day_hours, "work-week": self.work_week_hours, "work-month": self.work_month_hours}

    def window_start(self, window: str) -> str | None:
        """First release date of a named fit window (None: all time)."""
        starts = dict(self.windows)
        if window not in starts:
            raise KeyError(f"unknown window {window!r}; known: {list(starts)}")
        return starts[window]


PARAMS = Params()
