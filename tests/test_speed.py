"""The speed report's arithmetic and its comparison of two built sites (the byte-identity check)."""

from __future__ import annotations

import json

from analysis.site import speed


def test_min_and_median_of_repeated_runs():
    assert speed.summary([3.0, 1.0, 2.0]) == {"min": 1.0, "median": 2.0, "runs": 3}
    assert speed.summary([4.0, 1.0, 3.0, 2.0]) == {"min": 1.0, "median": 2.5, "runs": 4}  # (2 + 3) / 2


def test_a_target_is_met_when_the_median_is_within_it():
    record = {"clean_ratio": {"min": 2.5, "median": 3.2, "runs": 3},
              "prose_rebuild_seconds": {"min": 3.0, "median": 4.9, "runs": 3}}
    rows = speed.targets_table(record)
    assert [row[3] for row in rows] == ["no", "yes"]  # 3.2x > 3x; 4.9 s < 5 s
    assert rows[0][2] == "2.5 / 3.2 x (3 runs)"
    assert len(rows) == 2  # what was not measured is not shown


def test_the_committed_record_gives_the_reproducibility_page_its_table():
    html = speed.targets_html()
    record = speed.load_record()
    assert html.count("<tr>") == 1 + len(speed.targets_table(record))  # header and one row per measured target
    assert f"{record['baseline_seconds']['median']:.1f}" in html


FOOTER = '<p>Doubling Time 0.2.0 · commit <a href="https://x/commit/{c}"><code>{c}</code></a> · built 2026-12-06</p>'
RUN_TABLE = "<tr><td><p>book/trend</p></td><td><p>2026-12-06 {t}</p></td><td><p>forked</p></td><td><p>{s}</p></td></tr>"


def site(root, commit, time, seconds, figure=b"PNG", extra=None):
    (root / "book").mkdir(parents=True)
    (root / "book" / "intro.html").write_text(FOOTER.format(c=commit) + f"<pre>commit {commit}</pre>")
    (root / "book" / "reproducibility.html").write_text(RUN_TABLE.format(t=time, s=seconds))
    (root / "fig.png").write_bytes(figure)
    index = {"docnames": ["book/intro", "book/reproducibility"], "terms": {"11": 1, "doubl": [0, 1], "09": [0, 1]}}
    if time == "10:09":
        index["terms"]["09"] = 0
    (root / "searchindex.js").write_text("Search.setIndex(" + json.dumps(index) + ")")
    if extra:
        (root / extra).write_text("x")
    return root


def test_two_builds_of_the_same_sources_are_the_same_once_commit_and_run_times_are_masked(tmp_path):
    old = site(tmp_path / "old", "2438845554", "11:09", "0.82")
    new = site(tmp_path / "new", "2438845554+changes", "10:09", "1.31")
    assert speed.site_differences(old, new) == []


def test_any_other_difference_is_reported(tmp_path):
    old = site(tmp_path / "old", "aaaa", "11:09", "0.82")
    new = site(tmp_path / "new", "bbbb", "11:09", "0.82", figure=b"PNG2", extra="more.txt")
    assert speed.site_differences(old, new) == ["fig.png: differs", f"more.txt: only in {new}"]
    index = tmp_path / "new" / "searchindex.js"
    index.write_text(index.read_text().replace('"doubl"', '"double"'))  # a word, not a run time
    assert "searchindex.js: differs" in speed.site_differences(old, tmp_path / "new")
