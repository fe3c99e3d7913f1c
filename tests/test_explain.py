"""Seeing what changed: inline diffs, unified diffs, the edit report (R32), the HTML report, the summary."""

from __future__ import annotations

import json
from collections import defaultdict

from cnclean.batch import finish_text
from cnclean.explain import Summary, inline_diff, replay
from cnclean.explain.html import trace
from cnclean.model import Edit
from cnclean.pipeline import StepRun

from toy_cli import run_cli

DAMAGED = "今年\n\n3\n\n月，我参加全国人大会，张 蕊说\n【水印】\n增长1\n2%\n"


def test_explain_shows_each_change_inline(tmp_path):
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    result = run_cli("fix", "--explain", "a.txt", cwd=tmp_path, check_rc=0)
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "== a.txt"
    assert "-- digits (round 1): 3 edits" in lines
    assert "今年[-\\n\\n-]3[-\\n\\n-]月，我参加全国人…" in lines
    assert "…加全国人大会，张[- -]蕊说\\n增长12%…" in lines
    assert "【水印】" not in result.stdout.decode().replace("[-【水印】", "")


def test_diff_is_a_unified_diff_and_writes_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    result = run_cli("fix", "--diff", "a.txt", cwd=tmp_path, check_rc=0)
    out = result.stdout.decode()
    assert out.startswith("--- a/a.txt\n+++ b/a.txt\n@@")
    assert "\n+今年3月，我参加全国人大会，张蕊说\n" in out and "\n-【水印】\n" in out
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DAMAGED


def test_r32_report_replays_to_the_output(tmp_path):
    pages = {"a.txt": DAMAGED, "b.txt": "增长1\n2%\n\n张 蕊\n", "c.txt": "干净的一段。\n"}
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("fix", *pages, "-o", "out/", "--report", "r.jsonl", cwd=tmp_path, check_rc=0)
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    by_file = defaultdict(list)
    for record in records:
        by_file[record["file"]].append(record)
    assert set(by_file) == {"a.txt", "b.txt"}
    for name, text in pages.items():
        output = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert finish_text(replay(text, by_file[name])) == output
    assert set(records[0]) == {"file", "document", "round", "step", "rule", "start", "end", "old", "new"}
    counted = sum(int(line.split(": ")[1].split(" ")[0]) for line in result.stderr.decode().splitlines()
                  if line.startswith("  ") and "edit" in line)
    assert counted == len(records)


def test_report_of_a_jsonl_corpus_names_the_record_line(tmp_path):
    rows = [{"text": "干净。"}, {"text": "增长1\n2%"}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run_cli("check", "--format", "jsonl", "c.jsonl", "--report", "r.jsonl", cwd=tmp_path, check_rc=1)
    record = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8"))
    assert (record["file"], record["document"], record["old"]) == ("c.jsonl", 2, "\n")


def test_html_report_marks_joins_spaces_and_removals(tmp_path):
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    run_cli("fix", "a.txt", "-o", "out.txt", "--report-html", "r.html", cwd=tmp_path, check_rc=0)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<td>digits</td><td>3</td>" in page
    assert '<del class="join">↵\n↵\n</del>' in page
    assert '<del class="space"> </del>' in page and '<del class="remove">【水印】↵\n</del>' in page
    assert '<ins class="join point"' in page


def test_trace_follows_edits_through_several_steps():
    before = "今年\n3月 张 蕊"
    runs = (StepRun(1, "digits", (Edit("digits", 2, 3, "\n", ""),)),
            StepRun(1, "spaces", (Edit("spaces", 4, 5, " ", ""), Edit("spaces", 6, 7, " ", ""))))
    removed, spans = trace(before, runs)
    assert removed == [(2, 3, "join"), (5, 6, "space"), (7, 8, "space")]
    assert "".join(span.text for span in spans) == "今年3月张蕊"


def test_inline_diff_groups_nearby_edits_and_splits_distant_ones():
    text = "甲\n乙" + "。" * 40 + "丙 丁"
    edits = [Edit("x", 1, 2, "\n", ""), Edit("x", 44, 45, " ", "")]
    assert inline_diff(text, edits, context=2) == ["甲[-\\n-]乙。…", "…。丙[- -]丁"]


def test_summary_lines():
    summary = Summary(files=3, changed=1, steps={"spaces": [1, 1], "digits": [41, 52]},
                      failed=[("bad.txt", "PDF detected")])
    assert summary.lines() == [
        "3 files read: 1 changed, 1 unchanged, 1 failed",
        "  digits: 41 edits, 52 characters removed",
        "  spaces: 1 edit, 1 character removed",
        "failed:",
        "  bad.txt: PDF detected",
    ]
