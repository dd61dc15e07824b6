"""Issue 12, a referee's pass: every sentence-level claim the referee questioned, pinned against the
chapter's own result object (tables, figures and numbers), so that a regression makes a test fail."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from analysis import metr, paths
from analysis.chapters import landing
from analysis.params import PARAMS


def page(name: str) -> str:
    return (paths.ROOT / "book" / f"{name}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def methods_result():
    return landing.chapter("methods", PARAMS)  # shared with every test module (computed once)


@pytest.fixture(scope="module")
def trend_result():
    return landing.chapter("trend", PARAMS)


@pytest.fixture(scope="module")
def eras_result():
    return landing.chapter("eras", PARAMS)


@pytest.fixture(scope="module")
def labor_result():
    return landing.chapter("labor", PARAMS)


# ---------------------------------------------------------------- 1. prose against its own tables


def test_reproduction_maximum_is_quoted_with_the_tables_rounding(methods_result):
    # methods.md: "within {p50_max_diff_pct3}" must be the largest |difference| the table shows, as shown
    table = methods_result.tables["tbl_reproduction"]
    text = methods_result.text()
    for column, key in (("Difference", "p50_max_diff_pct3"), ("Difference ", "p80_max_diff_pct3")):
        shown = table[column].map(lambda v: abs(float(v.rstrip("%"))))
        widest = table[column][shown.idxmax()].lstrip("+-")
        assert text[key] == widest
    assert "p50_max_diff_pct3" in page("methods") and "p50_max_diff_pct2" not in page("methods")


def test_doublings_left_to_the_longest_task_are_counted_not_guessed(methods_result):
    # methods.md: the strongest horizon (17.4 h) against the longest task (30 h): log2(30/17.4) = 0.78 < 1,
    # so the sentence must say "less than one more doubling", never "a few more doublings"
    numbers = methods_result.numbers
    sat = methods_result.data["saturation"]
    expected = math.log2(1800 / sat["p50"].max())
    assert numbers["top_doublings_to_longest_log2"] == pytest.approx(expected)
    assert expected < 1 and numbers["top_doublings_to_longest"] == "less than one more doubling"
    assert "a few more doublings" not in page("methods")


def test_saturation_caption_matches_its_chart(methods_result):
    # methods.md fig-saturation caption: the strongest agent rests on fewer nearby tasks than any other
    sat = methods_result.data["saturation"]
    top = sat["p50"].idxmax()
    assert sat.loc[top, "tasks_near_p50"] < sat.drop(index=top)["tasks_near_p50"].min()
    chart = methods_result.figures["fig_saturation"].to_dict()
    values = next(iter(chart["datasets"].values()))
    counts = {row["display_name"]: row["tasks_near_p50"] for row in values}
    assert min(counts, key=counts.get) == methods_result.numbers["top_agent"]
    assert "fewer tasks of comparable length than any other agent" in page("methods")


def test_both_suites_count_only_models_run_on_both(trend_result):
    # trend.md: "models measured on both suites" excludes GPT-2, davinci-002 and gpt-3.5-turbo-instruct,
    # whose v1.1 values are re-estimates (they have no task results on the new suite)
    comparison = trend_result.data["comparison"]
    assert not {"GPT-2", "davinci-002 (GPT-3)", "gpt-3.5-turbo-instruct"} & set(comparison["display_name"])
    run_on_v11 = metr.load_agents()["model"]
    horizons = trend_result.data["horizons"]
    names = set(horizons.loc[horizons["model"].isin(run_on_v11), "display_name"])
    assert set(comparison["display_name"]) <= names
    assert trend_result.numbers["suites_common_count"] == len(comparison) == 16
    assert trend_result.numbers["suites_original_only_count"] == 3


# ---------------------------------------------------------------- 2. simulated p-values at their floor


def test_simulated_p_values_say_at_most_at_the_floor(eras_result):
    # eras.md: the sup-F p from 999 null draws can be no smaller than 1/1000; at that floor the text
    # must read "≤ 0.001", never "= 0.001"
    numbers = eras_result.numbers
    test = eras_result.data["test"]
    assert test.n_null == PARAMS.n_null == 999
    assert numbers["accel_p"] == pytest.approx(1 / 1000)  # no null draw reached the observed statistic
    assert numbers["accel_p_text"] == "≤ 0.001"
    assert numbers["within_accel_p_text"] == f"= {numbers['within_accel_p']:.3f}"
    for name in ("trend", "eras", "labor", "methods"):
        text = page(name)
        # every glued p in the prose goes through format_p_value (a *_p_text key), which carries its own sign
        assert not re.search(r"p = \{glue:text\}", text), name
        assert not re.search(r"\{glue:text\}`[a-z0-9_]+_p`", text), name


# ---------------------------------------------------------------- 3. wording


def test_faster_growth_and_shorter_doubling_time_are_both_stated(trend_result):
    # trend.md: v1.0 165 d -> v1.1 129 d since 2023: growth 165/129 - 1 = 28% faster, doubling time
    # 1 - 129/165 = 22% shorter; (1 + faster)(1 - shorter) = 1 by definition
    n = trend_result.numbers
    old, new = n["v10_2023_doubling_days"], n["v11_2023_doubling_days"]
    assert n["suites_faster_pct"] == pytest.approx(100 * (old / new - 1))
    assert n["suites_shorter_pct"] == pytest.approx(100 * (1 - new / old))
    assert (1 + n["suites_faster_pct"] / 100) * (1 - n["suites_shorter_pct"] / 100) == pytest.approx(1)
    assert trend_result.text()["suites_faster_pct"] == "28%" and trend_result.text()["suites_shorter_pct"] == "22%"
    text = page("trend")
    assert "a doubling time {glue:text}`suites_shorter_pct` shorter" in text
    assert "a doubling time\n{glue:text}`suites_faster_pct` faster" not in text


def test_the_three_hundred_day_figures_are_named_apart(eras_result):
    # eras.md: second era (104), since-2024 fit (105) and the paper's 2024-only figure (104) are three things
    text = eras_result.text()
    assert (text["eras_after_days"], text["since_2024_without_top_days"], text["paper_2024_days"]) == ("104", "105", "104")
    prose = page("eras")
    for key in ("eras_after_days", "since_2024_without_top_days", "paper_2024_days"):
        assert f"{{glue:text}}`{key}`" in prose
    assert "three different estimates of three different things" in prose


# ---------------------------------------------------------------- 4. selection on the outcome


def test_quantile_slope_matches_the_best_line_through_two_points():
    # A linear quantile regression has an optimal line through two data points (an LP vertex), so the
    # LP's objective must equal the best objective over all pairs, found here by brute force.
    from itertools import combinations

    from analysis import trend

    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0])
    y = np.array([0.1, 1.3, 1.9, 3.8, 3.9, 5.6, 6.8])

    def loss(slope, intercept, q):
        r = y - intercept - slope * x
        return np.sum(np.where(r > 0, q * r, (q - 1) * r))

    for q in (0.5, 0.75, 0.9):
        best = min(loss((y[j] - y[i]) / (x[j] - x[i]), y[i] - x[i] * (y[j] - y[i]) / (x[j] - x[i]), q)
                   for i, j in combinations(range(len(x)), 2))
        slope, intercept = trend.quantile_slope(x, y, q)
        assert loss(slope, intercept, q) == pytest.approx(best, abs=1e-9)
    # a worked case: three collinear points y = 2x lie on every quantile line
    assert trend.quantile_slope(np.array([0.0, 1, 2]), np.array([0.0, 2, 4]), 0.8)[0] == pytest.approx(2.0)


def test_is_sota_is_above_every_earlier_release(trend_result):
    # trend.md: "In the current file it follows one rule for 26 of 26 models"
    from analysis import trend

    horizons = trend_result.data["horizons"]
    rule = trend.above_every_earlier(horizons)
    assert (rule == horizons["is_sota"].astype(bool)).all()
    assert trend_result.numbers["sota_rule_agree_count"] == len(horizons) == 26
    # the closest exclusion: Claude 3 Opus (3.952 min) against GPT-4 1106 (4.045 min), 0.09 min short
    assert trend_result.numbers["sota_closest_model"] == "Claude 3 Opus"
    assert trend_result.numbers["sota_closest_margin_min"] == pytest.approx(4.044959 - 3.952262, abs=1e-4)


def test_all_model_fits_are_glued_and_move_the_headline_a_little(trend_result):
    # trend.md: all models give 125 d since 2023 (vs 129) and 108 d since 2024 (vs 105), computed
    # with trend.fit_trend(..., frontier_only=False)
    from analysis import trend

    horizons = trend_result.data["horizons"]
    n = trend_result.numbers
    for since, key in (("2023-01-01", "2023"), ("2024-01-01", "2024")):
        fit = trend.fit_trend(horizons, since=since, frontier_only=False, max_minutes=PARAMS.max_minutes)
        assert n[f"all_{key}_doubling_days"] == pytest.approx(fit.doubling_days)
    text = trend_result.text()
    assert (text["all_2023_doubling_days"], text["all_2024_doubling_days"]) == ("125", "108")
    assert (text["p50_2023_doubling_days"], text["p50_2024_doubling_days"]) == ("129", "105")
    assert n["all_2023_change_pct"] < 0 and abs(n["all_2023_change_pct"]) < 5
    frontier = trend_result.data["frontier"]
    alternatives = frontier[(frontier["rule"] != "is_sota") & (frontier["window"] == "from_2023_on")]
    assert n["frontier_move_low_pct"] == pytest.approx(alternatives["change_pct"].min())
    assert n["frontier_move_high_pct"] == pytest.approx(alternatives["change_pct"].max())
    # "these two [quantile lines] disagree with each other more than with the headline"
    q75, q90, head = n["q75_2023_doubling_days"], n["q90_2023_doubling_days"], n["p50_2023_doubling_days"]
    assert abs(q90 - q75) > max(abs(q75 - head), abs(q90 - head))
    # the running frontier keeps every model whose interval reaches the best earlier estimate
    running = trend.running_frontier(horizons)
    assert running.sum() == n["running_frontier_count"] and (running | ~horizons["is_sota"]).all()


# ---------------------------------------------------------------- 5. misspecification of the all-time line


def test_hc3_matches_the_closed_form_for_a_simple_regression():
    # For y = a + b x, HC3's slope variance is sum((x_i - xbar)^2 e_i^2 / (1 - h_i)^2) / Sxx^2 with
    # h_i = 1/n + (x_i - xbar)^2 / Sxx (MacKinnon and White 1985); computed here with plain loops.
    # Worked example: x = 0, 1, 2, 3; y = 0, 2, 1, 4. xbar = 1.5, Sxx = 5, b = (sum (x-xbar)(y-ybar))/Sxx
    # = (-1.5*-1.75 + -0.5*0.25 + 0.5*-0.75 + 1.5*2.25) / 5 = 5.5 / 5 = 1.1, a = 1.75 - 1.65 = 0.1;
    # residuals -0.1, 0.8, -1.3, 0.6; leverages 0.7, 0.3, 0.3, 0.7.
    from analysis import trend

    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([0.0, 2.0, 1.0, 4.0])
    residuals = [-0.1, 0.8, -1.3, 0.6]
    leverages = [0.7, 0.3, 0.3, 0.7]
    by_hand = sum((xi - 1.5) ** 2 * e**2 / (1 - h) ** 2 for xi, e, h in zip(x, residuals, leverages)) / 5**2
    covariance = trend.hc3_covariance(trend.ols_design(x, 1), y)
    assert covariance[1, 1] == pytest.approx(by_hand)
    # = (2.25*0.01/0.09 + 0.25*0.64/0.49 + 0.25*1.69/0.49 + 2.25*0.36/0.09) / 25
    assert by_hand == pytest.approx((0.25 + 0.326531 + 0.862245 + 9.0) / 25, rel=1e-5)


def test_durbin_watson_and_quadratic_term_by_hand():
    from analysis import trend

    # DW of residuals 1, -1, 1, -1: sum of squared differences 3 * 4 = 12 over sum of squares 4 = 3
    assert trend.durbin_watson(np.array([1.0, -1.0, 1.0, -1.0])) == pytest.approx(3.0)
    # an exact parabola leaves no doubt about the squared term; an exact line has none
    x = pd.date_range("2023-01-01", periods=9, freq="90D")
    days = trend.days_since_origin(x)
    noise = np.array([0.1, -0.1, 0.05, 0.0, -0.05, 0.1, -0.1, 0.05, -0.05])
    for p50, significant in ((2.0 ** (0.01 * days + 1e-5 * (days - days.mean()) ** 2 + noise), True),
                             (2.0 ** (0.01 * days + noise), False)):
        horizons = pd.DataFrame({"release_date": x, "p50": p50, "is_sota": True, "display_name": list("abcdefghi")})
        check = trend.line_diagnostics(trend.fit_trend(horizons, max_minutes=None))
        assert (check.quadratic_p < 0.01) == significant


def test_all_time_line_is_misspecified_and_its_intervals_are_shown(methods_result, trend_result):
    # methods.md: DW 0.47 and a quadratic p < 0.0001 over all time; t and HC3 beside the bootstrap
    n = methods_result.numbers
    assert n["diag_all_dw_r2"] < 1 and n["diag_all_quadratic_p"] < 1e-4
    assert methods_result.text()["diag_all_quadratic_p_text"] == "< 0.0001"
    assert n["diag_2023_quadratic_p"] < 0.01  # "the squared term is still significant"
    assert n["diag_2023_hc3_high_days"] - n["diag_2023_hc3_low_days"] > n["diag_2023_boot_high_days"] - n["diag_2023_boot_low_days"]
    # the trend page's all-time intervals are the methods page's
    t = trend_result.numbers
    for k in ("t_low", "t_high", "hc3_low", "hc3_high"):
        assert t[f"p50_all_{k}_days"] == pytest.approx(n[f"diag_all_{k}_days"])
    assert t["p50_all_ci_low_days"] == pytest.approx(n["diag_all_boot_low_days"])
    for key in ("p50_all_t_low_days", "p50_all_hc3_high_days"):
        assert f"{{glue:text}}`{key}`" in page("trend")


def test_pairs_bootstrap_undercovers_at_fourteen_models(methods_result):
    # methods.md: simulated coverage of the nominal 95% pairs-bootstrap interval at n = 14 is about 91%;
    # 2,000 simulations give a Monte Carlo SE of about 0.6 points, so 95% is more than 3 SE away
    n = methods_result.numbers
    assert n["coverage_models_count"] == 14
    assert 0.88 < n["coverage_share"] < 0.93
    assert n["coverage_share"] + 3 * n["coverage_mc_se_share"] < 0.95


# ---------------------------------------------------------------- 6. AICc fragility


def test_aicc_weights_flip_with_how_the_break_date_is_counted(eras_result):
    # eras.md: both weight sets shown; recomputed here from the three fits' SSEs with the textbook
    # Gaussian AICc: n ln(SSE/n) + 2k + 2k(k+1)/(n-k-1), k = mean parameters + 1 (the variance)
    table = eras_result.data["growth"].table.set_index("model")
    n = eras_result.data["growth"].fits[0].n
    assert n == 17

    def aicc(sse, mean_params):
        k = mean_params + 1
        return n * math.log(sse / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)

    for break_params, key in ((1, "aicc1"), (2, "aicc2")):
        scores = {"exp": aicc(table.loc["exponential", "sse"], 2),
                  "eras": aicc(table.loc["two eras", "sse"], 3 + break_params),  # level, 2 slopes + break
                  "super": aicc(table.loc["superexponential", "sse"], 3)}
        best = min(scores.values())
        total = sum(math.exp(-0.5 * (v - best)) for v in scores.values())
        for name, score in scores.items():
            assert eras_result.numbers[f"{name}_{key}_share"] == pytest.approx(math.exp(-0.5 * (score - best)) / total)
    text = eras_result.text()
    assert (text["eras_aicc1_share"], text["super_aicc1_share"]) == ("65%", "35%")
    assert (text["eras_aicc2_share"], text["super_aicc2_share"]) == ("14%", "86%")
    # the flip is real, so the prose may not rank the two; it may rank both above one exponential
    assert eras_result.numbers["eras_aicc1_share"] > 0.5 > eras_result.numbers["eras_aicc2_share"]
    assert max(eras_result.numbers["exp_aicc1_share"], eras_result.numbers["exp_aicc2_share"]) < 0.001
    prose = page("eras")
    assert "AICc weight (break date = 2 parameters)" in eras_result.tables["tbl_growth"].columns
    assert "A ranking that flips with the convention is no ranking" in prose
    assert "best_growth_model" not in prose


# ---------------------------------------------------------------- 7. figure verdicts


EXPECTED_REPRODUCTION = {  # (point test: within 5%, interval test: inside the recomputed 95% interval)
    "paper_all_time": (True, True),
    "paper_2024": (False, True),  # 120 (95-162) against 104
    "ai2027_four_months": (True, True),
    "th10_since_2023": (True, True),
    "th10_since_2024": (False, False),  # 132 (117-153) against 109
    "th11_since_2023": (True, True),
    "th11_since_2024": (False, True),  # 97 (83-107) against 89
    "th11_all_time": (True, True),
}


def test_both_reproduction_tests_are_defined_and_reported(eras_result):
    verdicts = eras_result.data["verdicts"].set_index("figure_id")
    for figure_id, (point, interval) in EXPECTED_REPRODUCTION.items():
        row = verdicts.loc[figure_id]
        # recompute each test from the row's own numbers
        assert row["reproduces"] == (abs(row["own_release_days"] / row["claimed_days"] - 1) <= PARAMS.figure_tolerance_pct / 100)
        assert row["within_own_ci"] == (row["own_ci_low"] <= row["claimed_days"] <= row["own_ci_high"])
        assert (bool(row["reproduces"]), bool(row["within_own_ci"])) == (point, interval), figure_id
    table = eras_result.tables["tbl_verdicts"]
    assert list(table["Reproduces: within tolerance"]) == ["yes" if EXPECTED_REPRODUCTION[f][0] else "no" for f in verdicts.index]
    assert list(table["Reproduces: inside interval"]) == ["yes" if EXPECTED_REPRODUCTION[f][1] else "no" for f in verdicts.index]
    text = eras_result.text()
    # the 89-day row: 97 d (83-107) from its own release contains 89; today's 105 (96-116) does not
    assert (text["quoted_2024_own_days"], text["quoted_2024_own_low_days"], text["quoted_2024_own_high_days"]) == ("97", "83", "107")
    assert not verdicts.loc["th11_since_2024", ["survives", "current"]].any()
    assert (text["paper_2024_own_days"], text["paper_2024_own_low_days"], text["paper_2024_own_high_days"]) == ("120", "95", "162")
    assert verdicts.loc["paper_2024", ["survives", "current"]].all()  # "today's data agree with it"
    n = eras_result.numbers
    assert (n["figures_reproduce_count"], n["figures_within_own_ci_count"]) == (5, 7)
    assert (n["figures_all_three_count"], n["figures_all_three_interval_count"]) == (2, 3)
    assert "**point test**" in page("eras") and "**interval test**" in page("eras")


# ---------------------------------------------------------------- 8. chapter 4


def test_premium_across_phi_reaches_zero_at_one(labor_result):
    # labor.md tbl_phi: premium = (1 - phi) * E[V after] / E[V before], so linear in phi and 0 at phi = 1
    by_phi = labor_result.data["by_phi"].set_index("phi")["premium"]
    assert by_phi.loc[1.0] == pytest.approx(0.0, abs=1e-12)
    assert by_phi.loc[0.5] == pytest.approx(labor_result.numbers["premium_mixture_share"])
    for phi, premium in by_phi.items():
        assert premium == pytest.approx((1 - phi) * by_phi.loc[0.0])
    assert labor_result.text()["premium_phi100_share"] == "0%"
    assert "tbl_phi" in page("labor")


def test_tornado_ranks_only_what_is_not_a_tie(labor_result):
    # labor.md: the top assumptions are named together when their swings are within 1% of each other
    # (then "neither ranks above the other"), ranked otherwise; the sentence follows the data.
    table = labor_result.data["sensitivity"]
    top, second = table["swing"].iloc[:2]
    n = labor_result.numbers
    tied = abs(top - second) / top < 0.01
    assert (n["top_tied_count"] > 1) == tied
    assert ("tie" in n["top_sentence"]) == tied and ("neither ranks" in n["top_sentence"]) == tied
    assert n["top1_name"] in n["top_sentence"] and n["top1_name"] in n["top_summary"]
    assert "{glue:text}`top_sentence`" in page("labor")


def test_chapter_four_uses_one_unit_for_premium_and_listing_gap(labor_result):
    # every comparison of pay in chapter 4 is a premium in percent: the listing's gap and the premium
    text = page("labor")
    assert "listing_low_ratio" not in text and "listing_high_ratio" not in text
    assert "listing_premium_low_share" in text and "premium_mixture_share" in text
    assert labor_result.text()["listing_premium_low_share"] == "109%"
    assert labor_result.text()["listing_premium_high_share"] == "216%"
    # the gap is over the same occupation's median: the text says what it measures, and calls 205% a scenario
    assert "same occupation" in text and "scenario figure" in text


def test_precedent_chart_shows_lower_bounds_as_lower_bounds(labor_result):
    spec = labor_result.figures["fig_precedent"].to_dict()
    rows = next(iter(spec["datasets"].values()))
    bounds = [r for r in rows if r["bound"]]
    assert {r["year"] for r in bounds} == {1980.0, 2001.0}
    for r in bounds:
        assert r["label"].startswith(f"{r['value']:,.0f} or more") and r["arrow_top"] > r["value"]
    marks = [layer["mark"] for layer in spec["layer"]]
    assert {"type": "point", "shape": "triangle-up", "filled": False, "size": 130, "strokeWidth": 2} in marks
    assert "1980 level" not in page("labor")  # no data point supports "fell to about its 1980 level"


# ---------------------------------------------------------------- 9. colour means one thing


def _colour_pairs(spec, found):
    """(label, colour) for every colour scale with an explicit domain and range in a Vega-Lite spec."""
    if isinstance(spec, dict):
        colour = spec.get("color")
        if isinstance(colour, dict) and isinstance(colour.get("scale"), dict):
            scale = colour["scale"]
            if "domain" in scale and "range" in scale:
                found.extend(zip(scale["domain"], scale["range"]))
        for value in spec.values():
            _colour_pairs(value, found)
    elif isinstance(spec, list):
        for value in spec:
            _colour_pairs(value, found)
    return found


def _scales_without_range(spec, found):
    if isinstance(spec, dict):
        colour = spec.get("color")
        if isinstance(colour, dict) and colour.get("type") == "nominal" and "field" in colour:
            if "range" not in colour.get("scale", {}):
                found.append(colour["field"])
        for value in spec.values():
            _scales_without_range(value, found)
    elif isinstance(spec, list):
        for value in spec:
            _scales_without_range(value, found)
    return found


def test_colour_means_one_thing_in_every_chart(trend_result, eras_result, methods_result, labor_result):
    from analysis import charts
    from analysis.chapters import landing

    # one colour per category: no two categories share a colour
    assert len(set(charts.COLOURS.values())) == len(charts.COLOURS)
    seen: dict[str, str] = {}
    others = [landing.chapter(name, PARAMS) for name in ("timelines", "benchmarks", "watch")]
    for result in (trend_result, eras_result, methods_result, labor_result, *others):
        for key, figure in result.figures.items():
            spec = figure.to_dict()
            assert not _scales_without_range(spec, []), f"{key}: a nominal colour left to the default palette"
            for label, colour in _colour_pairs(spec, []):
                category = charts.category(label)
                assert colour == charts.COLOURS[category], (key, label)
                assert seen.setdefault(category, colour) == colour
    by_label = {}
    for result, key in ((trend_result, "fig_trend_p50"), (eras_result, "fig_sweep"), (eras_result, "fig_eras"),
                        (methods_result, "fig_saturation"), (eras_result, "fig_backtest")):
        by_label[key] = dict(_colour_pairs(result.figures[key].to_dict(), []))
    frontier = by_label["fig_trend_p50"]["Frontier (fitted)"]
    above = by_label["fig_trend_p50"]["Above 16 hours: not fitted"]
    # Fig 1.1 and Fig 2.1: frontier is the same blue
    assert by_label["fig_sweep"]["Frontier models"] == frontier
    # Fig 1.1 and Fig 5.4: the colour of "above 16 hours" means above, never "up to"
    assert by_label["fig_saturation"]["50% horizon above 16 hours"] == above
    assert by_label["fig_saturation"]["50% horizon up to 16 hours"] != above
    # the all-time fit, the one exponential and the backtest's exponential are one model, one colour
    all_time = next(c for label, c in by_label["fig_trend_p50"].items() if label.startswith("All time"))
    assert next(c for label, c in by_label["fig_eras"].items() if label.startswith("One exponential")) == all_time
    assert by_label["fig_backtest"]["exponential"] == all_time
    assert by_label["fig_backtest"]["two eras"] == next(c for label, c in by_label["fig_eras"].items()
                                                        if label.startswith("Two eras"))


def test_changelog_chart_highlights_instead_of_colouring_each_model(eras_result):
    spec = eras_result.figures["fig_changelog"].to_dict()
    text = str(spec)
    assert "display_name" in text and "'field': 'display_name', 'type': 'nominal', 'legend'" not in text
    params = {p["name"] for p in spec.get("params", [])} | {p["name"] for layer in spec["layer"] for p in layer.get("params", [])}
    assert {"hovered", "picked"} <= params
    assert "Tap or hover" in spec["title"]["subtitle"]


def _text_layers(spec):
    return [layer for layer in spec.get("layer", []) if (layer.get("mark") or {}).get("type") == "text"]


def test_every_band_and_rule_is_labelled(eras_result, labor_result, methods_result):
    # Fig 2.3's dashed break line, Fig 4.3's listing band, Fig 5.3's bootstrap band, Fig 4.2's band,
    # the tornado's central rule: each has a text layer naming it, or is named under the chart's title
    # (a label over the plot's top edge is clipped on the page)
    for result, key in ((eras_result, "fig_break"), (labor_result, "fig_premium"), (methods_result, "fig_multiverse"),
                        (labor_result, "fig_value"), (labor_result, "fig_tornado")):
        spec = result.figures[key].to_dict()
        subtitle = spec.get("title", {}).get("subtitle", "") if isinstance(spec.get("title"), dict) else ""
        assert _text_layers(spec) or subtitle.startswith(("Shaded: ", "Line: ")), key


def test_like_with_like_comparison_is_quoted_with_its_caveat(labor_result):
    # labor.md: the listing's ceiling ($445,000) against the reported OpenAI research-scientist total
    # compensation floor ($771,000): 1 - 445/771 = 42% below, from a low-confidence source (C11)
    assert labor_result.numbers["listing_below_lab_pct"] == pytest.approx(100 * (1 - 445_000 / 771_000))
    assert labor_result.text()["listing_below_lab_pct"] == "42%"
    text = page("labor")
    assert "fact [C11](#fact-c11), low confidence" in text and "mixes base and total pay" in text
    assert "the fact\nsheet holds neither" in text or "fact sheet holds neither" in text
