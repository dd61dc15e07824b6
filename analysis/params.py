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

    def window_start(self, window: str) -> str | None:
        """First release date of a named fit window (None: all time)."""
        starts = dict(self.windows)
        if window not in starts:
            raise KeyError(f"unknown window {window!r}; known: {list(starts)}")
        return starts[window]


PARAMS = Params()
