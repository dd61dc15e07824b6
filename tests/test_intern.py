"""OpenAI's intern deadline resolved from the nowcast: the hours of "a few days", the probability
read from a nowcast's interval, the two readings, and a resolution that moves with its inputs."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import benchmarks, facts, intern, nowcast
from analysis.chapters.timelines import intern_label, intern_sentence
from analysis.params import PARAMS


@pytest.fixture(scope="module")
def claim():
    return facts.load_claims().set_index("claim_id").loc["openai_intern"]


@pytest.fixture(scope="module")
def quoted():
    return benchmarks.load_quoted()


@pytest.fixture(scope="module")
def nowcasts():
    return nowcast.nowcast_horizons()


def _row(p50_min, half_log2, level=0.8):
    return pd.Series({"p50_pred": p50_min, "p50_low": p50_min / 2**half_log2, "p50_high": p50_min * 2**half_log2,
                      "level": level})


def test_probability_at_least_closed_form():
    # Centre 16 h, half-width z(0.9) doublings at 80%: a standard deviation of exactly one doubling.
    # P(>= 16 h) = 1/2; P(>= 32 h) = 1 - Phi(1) = 0.158655; P(>= 8 h) = Phi(1).
    row = _row(16 * 60, stats.norm.ppf(0.9))
    assert intern.probability_at_least(row, 16 * 60) == pytest.approx(0.5)
    assert intern.probability_at_least(row, 32 * 60) == pytest.approx(0.158655, abs=1e-6)
    assert intern.probability_at_least(row, 8 * 60) == pytest.approx(0.841345, abs=1e-6)


def test_likelihood_words_follow_the_ipcc_scale():
    assert [intern.likelihood_words(p) for p in (0.995, 0.91, 0.7, 0.5, 0.2, 0.05, 0.001)] == [
        "virtually certain", "very likely", "likely", "about as likely as not", "unlikely", "very unlikely",
        "exceptionally unlikely"]


def test_a_few_days_in_hours_is_a_parameter(claim, nowcasts, quoted):
    # 2 to 4 working days of 8 h = 16 to 32 h = 960 to 1,920 minutes.
    r = intern.resolve(claim, nowcasts, quoted, PARAMS)
    assert (r.redefined_low_min, r.redefined_high_min, r.first_stated_min) == (960, 1920, 2400)
    other = intern.resolve(claim, nowcasts, quoted, dataclasses.replace(PARAMS, intern_days_low=3.0, intern_days_high=5.0))
    assert (other.redefined_low_min, other.redefined_high_min) == (1440, 2400)
    with pytest.raises(ValueError, match="intern_days"):
        intern.resolve(claim, nowcasts, quoted, dataclasses.replace(PARAMS, intern_days_low=5.0, intern_days_high=2.0))


def test_resolution_on_the_committed_data(claim, nowcasts, quoted):
    r = intern.resolve(claim, nowcasts, quoted, PARAMS)
    # The strongest nowcast released by 30 Sep 2026 is GPT-6 Astra (3 Sep), from the 8 Sep ECI page.
    assert r.frontier["model"] == "GPT-6 Astra"
    assert (r.candidates["release_date"] <= pd.Timestamp("2026-09-30")).all()
    # Its probabilities, recomputed from its row: centre and calibrated interval in log2 minutes.
    sd = np.log2(r.frontier["p50_high"] / r.frontier["p50_low"]) / 2 / stats.norm.ppf(0.9)
    centre = np.log2(r.frontier["p50_pred"])
    assert r.p_redefined_low == pytest.approx(stats.norm.sf((np.log2(960) - centre) / sd))
    assert r.p_redefined_low > 0.9 and 0.33 < r.p_redefined_high < 0.66 and 0.33 < r.p_first_stated < 0.66
    # As redefined: supported ("very likely" at 16 h); as first stated: OpenAI's own F3 figures
    # (over half of successful 4-8 h tasks had interventions) contradict autonomy at a work-week.
    assert r.redefined_status == "supported" and r.first_stated_status == "not supported" and r.autonomy_contradicted
    text = intern_sentence(r)
    assert "GPT-6 Astra" in text and "very likely (91%)" in text and "not met as first stated" in text
    assert intern_label(r).startswith("as redefined: supported (very likely")


def test_changing_a_nowcast_input_changes_the_resolution(claim, quoted):
    # Lower GPT-6 Astra's score on the 8 Sep page from 167 to 160: the nowcast moves down and the
    # sentence (model, hours, probabilities, verdict) with it.
    before = intern.resolve(claim, nowcast.nowcast_horizons(), quoted, PARAMS)
    snapshots = benchmarks.load_eci_snapshots()
    at = snapshots["model_name"] == "GPT-6 Astra"
    snapshots.loc[at, ["eci", "eci_low", "eci_high"]] = [160.0, 156.0, 165.0]
    after = intern.resolve(claim, nowcast.nowcast_horizons(snapshots=snapshots), quoted, PARAMS)
    assert intern_sentence(after) != intern_sentence(before)
    assert after.p_redefined_low < before.p_redefined_low
    assert after.frontier["model"] == "Claude Fable 5.1"


def test_a_low_nowcast_is_not_supported(claim, nowcasts, quoted):
    # Every nowcast a quarter as long: the frontier's P(>= 16 h) falls below a third.
    low = nowcasts.assign(**{c: nowcasts[c] / 4 for c in ("p50_pred", "p50_low", "p50_high")})
    r = intern.resolve(claim, low, quoted, PARAMS)
    assert r.redefined_status == "not supported" and "not supported by the nowcast" in intern_sentence(r)


def test_autonomy_rests_on_openais_own_share(claim, nowcasts, quoted):
    # Were the share of successful tasks with interventions 30%, autonomy would not be contradicted
    # and the first-stated reading would follow the horizon alone.
    edited = quoted.copy()
    edited.loc[("F3", "intervention_share"), "value"] = 0.3
    r = intern.resolve(claim, nowcasts, edited, PARAMS)
    assert not r.autonomy_contradicted and r.first_stated_status == intern.status(r.p_first_stated)


def test_no_nowcast_before_the_deadline_is_refused(claim, nowcasts, quoted):
    with pytest.raises(ValueError, match="intern deadline"):
        intern.resolve(claim.copy().replace({claim["target_date"]: pd.Timestamp("2026-01-01")}), nowcasts, quoted, PARAMS)


def test_definitions_table(tmp_path):
    table = intern.load_definitions()
    assert list(table["version"]) == list(intern.VERSIONS)
    assert set(table["fact_id"]) == {"B1", "F1", "F3"}
    assert "under human direction" in table.loc["redefined", "wording"]
    bad = tmp_path / "intern_definitions.csv"
    bad.write_text(table[table["version"] != "limits"].to_csv(index=False), encoding="utf-8")
    with pytest.raises(ValueError, match=r"intern_definitions.csv: column 'version' lacks \['limits'\]"):
        intern.load_definitions(bad)


def test_the_pages_closing_sentence_holds(claim, nowcasts, quoted):
    # book/timelines.md: "So the evidence supports the claim only as OpenAI redefined it, and even then
    # only through a nowcast: {very likely} ({91%}) at the low end of 'a few days', {57%} at the high end."
    r = intern.resolve(claim, nowcasts, quoted, PARAMS)
    assert r.redefined_status == intern.SUPPORTED and r.first_stated_status == intern.NOT_SUPPORTED
    assert r.p_redefined_high < r.p_redefined_low
    assert (r.frontier["eci_sd"] > 0) and r.frontier["model"] not in set(benchmarks.load_crosswalk()["epoch_model_name"])


def test_sensitivity_to_the_width_of_the_interval(claim, nowcasts, quoted):
    # A narrower interval around a centre above 16 h puts more probability above 16 h: the textbook
    # interval is narrowest, the calibrated bridge alone wider, with the ECI uncertainty widest.
    r = intern.resolve(claim, nowcasts, quoted, PARAMS)
    assert np.log2(r.frontier["p50_pred"]) > np.log2(r.redefined_low_min)
    assert r.p_redefined_low < r.p_redefined_low_bridge_only < r.p_redefined_low_classical
