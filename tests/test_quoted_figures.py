"""The one table of quoted figures (data/quoted.csv): one row per (fact, figure), every chapter's
quoted number read from it, every fact id the text cites listed on the "Facts quoted" page, and
typed fact ids in the text are links to their entry."""

import re

import pandas as pd
import pytest
from conftest import page_results

from analysis import benchmarks, facts, metr, paths
from analysis.chapters import facts as facts_page
from analysis.chapters import page_glue_keys, table_html
from analysis.params import PARAMS
from analysis.text import FACT_ID_PATTERN, fact_link, link_fact_ids

BOOK = paths.ROOT / "book"
ANY_FACT_ID = re.compile(r"(?<![\w#/-])([A-FS][0-9]{1,2})(?![\w])")


def _raw() -> pd.DataFrame:
    return pd.read_csv(paths.DATA / "quoted.csv", dtype=str, keep_default_na=False)


def test_one_row_per_fact_and_figure_and_the_old_tables_are_gone():
    raw = _raw()
    assert not raw.duplicated(["fact_id", "figure"]).any()
    numbers = raw[raw["figure"] != "statement"]
    assert numbers["figure"].is_unique  # a figure's name says which fact it belongs to
    assert len(_raw()) > 0
    for old in ("since_data.csv", "watch/quoted.csv", "benchmarks/quoted.csv"):
        assert not (paths.DATA / old).exists(), old
    # no module reads a table of quoted figures other than data/quoted.csv
    for module in (paths.ROOT / "analysis").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "since_data.csv" not in text and '"quoted.csv", data_dir' not in text, module


def test_a_duplicated_fact_and_figure_is_refused(tmp_path):
    raw = _raw()
    path = tmp_path / "quoted.csv"
    pd.concat([raw, raw.iloc[[8]]]).to_csv(path, index=False)
    with pytest.raises(ValueError) as caught:
        facts.load_quoted_figures(path)
    message = str(caught.value)
    assert str(path) in message and f"row {len(raw) + 2}" in message and "column 'figure'" in message


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (8, "fact_id", "E9x", "column 'fact_id' is not a fact sheet id"),
        (8, "value", "eleven", "column 'value' is not a number"),
        (8, "low", "50", "outside [low, high]"),
        (8, "unit", "fortnights", "column 'unit'"),
        (8, "pages", "timelines;nowhere", "unknown page(s) ['nowhere']"),
        (8, "date", "June 2026", "column 'date'"),
        (8, "source_url", "", "column 'source_url' is empty"),
        (0, "statement", "", "a statement row needs the statement"),
    ],
)
def test_bad_rows_name_file_row_and_column(tmp_path, row, column, value, message):
    raw = _raw()
    raw.loc[row, column] = value
    path = tmp_path / "quoted.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(ValueError) as caught:
        facts.load_quoted_figures(path)
    assert str(path) in str(caught.value) and f"row {row + 2}" in str(caught.value) and message in str(caught.value)


def test_old_loaders_are_views_of_the_one_table():
    table = facts.load_quoted_figures().set_index(["fact_id", "figure"])
    # chapter 4's table of what is known since the data: section E, one statement per fact
    since = facts.load_since_data()
    assert since["fact_id"].tolist() == ["E1", "E2", "E3", "E4", "E5"]
    assert since["value"].tolist() == [table.loc[(f, "statement"), "statement"] for f in since["fact_id"]]
    # the closing chapter's names
    watch = facts.load_quoted(page="watch").set_index("item_id")
    assert watch.loc["sol_standard_hours", "value"] == table.loc[("E2", "sol_standard_hours"), "value"] == 11.3
    assert "statement" not in watch.index and "eci_gpt_6_astra" not in watch.index
    # the benchmarks chapter's names, durations in minutes: fact E2 says 11.3 h (95% CI 5-40 h)
    quoted = benchmarks.load_quoted()
    row = quoted.loc[("E2", "gpt_5_6_sol_p50_standard")]
    assert (row["value"], row["low"], row["high"]) == pytest.approx((11.3 * 60, 5 * 60, 40 * 60))
    assert quoted.loc[("D1", "corebench_opus_4_5_claude_code"), "value"] == table.loc[("D1", "corebench_opus_4_5_claude_code"), "value"]


def test_rows_without_an_address_are_unverified_and_say_why():
    table = facts.load_quoted_figures()
    bare = table[table["source_url"] == ""]
    assert len(bare) > 0 and (bare["verified"] == "no").all()
    assert bare["caveat"].str.contains("address|as cited", case=False).all()
    # section F rests on copies of pages that could not be opened: every F row is marked unverified
    # unless the fact sheet calls its source primary and high-confidence (F15, F16)
    f_rows = table[table["fact_id"].str.startswith("F")]
    assert set(f_rows.loc[f_rows["verified"] == "yes", "fact_id"]) == {"F15", "F16"}


def test_section_f_values_match_the_fact_sheet():
    # spot checks against /work/shared/facts.md, figure by figure (values typed from the sheet)
    table = facts.load_quoted_figures().set_index("figure")
    expected = {"agent_workdays_per_human_workday": 3.1, "metr_acceleration": 1.5, "metr_acceleration_2x_chance": 0.3,
                "aeci_slope_ratio": 1.53, "aeci_slope_before": 14.4, "aeci_slope_after": 22.2, "claude_leads_share": 0.26,
                "feedback_return": 0.09, "feedback_threshold": 0.15, "senior_share_of_increase": 0.71,
                "entry_share_software_q1": 0.045, "computer_science_unemployment": 0.0699, "canaries_gap": 0.19}
    for figure, value in expected.items():
        assert table.loc[figure, "value"] == value, figure
    assert (table.loc["aeci_slope_ratio", "low"], table.loc["aeci_slope_ratio", "high"]) == (1.20, 1.82)
    # 22.2 / 14.4 = 1.5417: Anthropic's 1.53 is its fit's own ratio, not the ratio of the rounded slopes
    assert table.loc["aeci_slope_after", "value"] / table.loc["aeci_slope_before", "value"] == pytest.approx(1.5417, abs=1e-4)


def test_link_helper():
    assert fact_link("E2") == "[E2](#fact-e2)"
    assert link_fact_ids("facts E1–E5 and (F14); fig-e2, H100 and [E2](#fact-e2) stay") == (
        "facts [E1](#fact-e1)–[E5](#fact-e5) and ([F14](#fact-f14)); fig-e2, H100 and [E2](#fact-e2) stay")
    html = table_html(pd.DataFrame({"Who (fact)": ["Altman (B1)"], "x": [1]})).data
    assert '<a class="fact-link" href="facts.html#fact-b1">B1</a>' in html


def _prose(path) -> str:
    """A page's text outside code cells, front matter and inline code."""
    text = path.read_text(encoding="utf-8").split("---", 2)[-1]
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"`[^`]*`", "", text)


def test_typed_fact_ids_in_the_text_are_links_to_facts_that_exist():
    known = set(facts.fact_index(releases=set(metr.benchmark_releases()))["fact_id"])
    for path in [*BOOK.glob("*.md"), paths.ROOT / "CHANGELOG.md"]:  # the changelog page includes CHANGELOG.md
        prose = _prose(path) if path.parent == BOOK else re.sub(r"`[^`]*`|<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)
        bare = re.findall(FACT_ID_PATTERN, prose)
        assert not bare, f"{path.name}: fact ids typed without a link (write [E2](#fact-e2)): {sorted(set(bare))}"
        linked = re.findall(r"\[([A-FS][0-9]{1,2})\]\(#fact-([a-fs][0-9]{1,2})\)", prose)
        assert all(text.lower() == target for text, target in linked), path.name
        assert {text for text, _ in linked} <= known, (path.name, {text for text, _ in linked} - known)


def test_the_facts_page_has_one_anchor_per_fact():
    anchors = re.findall(r"^\(fact-([a-fs][0-9]{1,2})\)=$", (BOOK / "facts.md").read_text(encoding="utf-8"), flags=re.M)
    index = facts.fact_index(releases=set(metr.benchmark_releases()))
    assert len(anchors) == len(set(anchors))
    wanted = set(index["fact_id"].str.lower())
    assert not wanted - set(anchors), (
        f"book/facts.md: add an entry for each of {sorted(wanted - set(anchors))}, under its section, as "
        "'(fact-<id>)=' followed by a '{glue:} tbl_fact_<id>' block")
    assert not set(anchors) - wanted, f"book/facts.md: entries for facts no table cites: {sorted(set(anchors) - wanted)}"
    result = facts_page.build(PARAMS)
    assert set(result.glue_values()) == page_glue_keys("facts")
    assert result.numbers["quoted_rows_count"] == len(_raw())


@pytest.fixture(scope="module")
def results():
    return page_results()


def test_every_fact_id_in_glued_text_and_tables_exists(results):
    known = set(facts.fact_index(releases=set(metr.benchmark_releases()))["fact_id"])
    for page, result in results.items():
        for key, value in result.glue_values().items():
            text = value if isinstance(value, str) else getattr(value, "data", "")
            if not isinstance(text, str):
                continue
            cited = set(ANY_FACT_ID.findall(re.sub(r"https?://\S+", "", text)))
            assert cited <= known, (page, key, cited - known)


def test_every_chapters_quoted_number_comes_from_the_table(results):
    table = facts.load_quoted_figures().set_index("figure")
    watch = results["watch"].numbers
    for key, figure in {"sol_standard_hours": "sol_standard_hours", "sol_cheating_hours": "sol_cheating_counted_hours",
                        "ceiling_hours": "ceiling_hours", "frontier_risk_hours": "frontier_risk_p50_hours",
                        "article_doubling_days": "article_doubling_days"}.items():
        assert watch[key] == table.loc[figure, "value"], key
    intro = results["intro"].text()
    assert intro["sol_standard_hours"] == f"{table.loc['sol_standard_hours', 'value']:g} hours"
    bench = results["benchmarks"].numbers
    assert bench["core_claude_code_share"] == table.loc["corebench_opus_4_5_claude_code", "value"]
    assert bench["sol_metr_level_share"] == table.loc["sol_ci_level", "value"]
