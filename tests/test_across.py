"""Near-duplicate detection across documents: known copies are found, articles on one topic are not merged."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnclean import across
from cnclean.across import Settings, Signed, candidate_pairs, clusters_of, find_near_duplicates, sign_records
from cnclean.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_paragraphs() -> list[str]:
    """Long paragraphs of the web seeds (government speeches and reports: one topic, shared vocabulary)."""
    paragraphs = []
    for name in ("001_d6beca8b55205558.txt", "002_1ac75a8c33db37d8.txt", "003_98991d5d9c72fb31.txt"):
        for line in (SEEDS / name).read_text(encoding="utf-8").split("\n"):
            line = line.strip()
            if len(line) >= 80 and line not in paragraphs:
                paragraphs.append(line)
    return paragraphs


def wrap(text: str, width: int) -> str:
    return "\n\n".join(text[i : i + width] for i in range(0, len(text), width))


def corpus(rng: random.Random) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Articles of 3 consecutive seed paragraphs, plus damaged copies; returns records and copy -> original."""
    paragraphs = seed_paragraphs()
    articles = []
    for number, start in enumerate(range(0, len(paragraphs) - 2, 3)):
        title = f"第{number}篇 {paragraphs[start][:12]}"
        articles.append((f"art{number:03d}", [title] + paragraphs[start : start + 3]))
    records = [(key, "\n".join(parts)) for key, parts in articles]
    truth = {}
    for key, parts in rng.sample(articles, len(articles) // 2):
        kind = rng.choice(["rewrapped", "title", "dropped"])
        if kind == "rewrapped":
            text = wrap("".join(parts), rng.randint(12, 20))
        elif kind == "title":
            text = "\n".join(["新标题：" + parts[0][::-1]] + parts[1:])
        else:
            kept = parts[:]
            del kept[rng.randint(1, len(kept) - 1)]
            text = "\n".join(kept)
        copy_key = f"{key}-{kind}"
        records.append((copy_key, text))
        truth[copy_key] = key
    order = list(range(len(articles), len(records)))
    rng.shuffle(order)
    return records[: len(articles)] + [records[i] for i in order], truth


def pairs_of(clusters) -> set[tuple[str, str]]:
    return {(duplicate, cluster.keep) for cluster in clusters for duplicate in cluster.duplicates}


def test_known_near_duplicates_found_with_precision_and_recall() -> None:
    records, truth = corpus(random.Random(7))
    found = pairs_of(find_near_duplicates(records))
    expected = set(truth.items())
    true_positive = len(found & expected)
    assert len(expected) >= 20
    assert true_positive / len(found) >= 0.95
    assert true_positive / len(expected) >= 0.95


def test_articles_on_one_topic_are_not_merged() -> None:
    paragraphs = seed_paragraphs()
    records = [(f"p{i}", paragraph) for i, paragraph in enumerate(paragraphs)]
    assert find_near_duplicates(records) == []


def test_first_document_is_kept_and_order_decides() -> None:
    text = "\n".join(seed_paragraphs()[:3])
    records = [("b.txt", text), ("a.txt", wrap(text, 15)), ("c.txt", text + "\n（完）")]
    [cluster] = find_near_duplicates(records)
    assert cluster.keep == "b.txt"
    assert cluster.duplicates == ("a.txt", "c.txt")
    assert 0.9 <= cluster.similarity <= 1.0


def test_empty_and_short_documents() -> None:
    records = [("empty", ""), ("blank", " \n\u3000"), ("one", "中"), ("two", "中"), ("x", "本报讯")]
    [cluster] = find_near_duplicates(records)
    assert (cluster.keep, cluster.duplicates) == ("one", ("two",))
    assert find_near_duplicates([]) == []


def test_batches_give_the_same_clusters(monkeypatch) -> None:
    records, _ = corpus(random.Random(3))
    whole = find_near_duplicates(records)
    monkeypatch.setattr(across, "BATCH_SHINGLES", 500)
    assert find_near_duplicates(records) == whole


def test_cli_across_reports_clusters_and_writes_the_corpus_without_duplicates(tmp_path) -> None:
    first, second = seed_paragraphs()[:2]
    corpus_dir = tmp_path / "corpus"
    (corpus_dir / "sub").mkdir(parents=True)
    (corpus_dir / "a.txt").write_text(first, encoding="utf-8")
    (corpus_dir / "sub" / "b.txt").write_text(wrap(first, 17), encoding="utf-8")
    records = [{"text": second, "id": 1}, {"text": "中\u2028文", "id": 2}, {"text": second + "（完）", "id": 3}]
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    report, out = tmp_path / "clusters.jsonl", tmp_path / "out"

    result = CliRunner().invoke(main, ["dedup", "--across", str(corpus_dir), str(jsonl), "--report", str(report), "-o", str(out)])

    assert result.exit_code == 0, result.output
    clusters = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert clusters[0]["keep"] == str(corpus_dir / "a.txt")
    assert clusters[0]["duplicates"] == [str(corpus_dir / "sub" / "b.txt")]
    assert clusters[1]["keep"] == f"{jsonl}:1" and clusters[1]["duplicates"] == [f"{jsonl}:3"]
    assert (out / "corpus" / "a.txt").read_text(encoding="utf-8") == first
    assert not (out / "corpus" / "sub" / "b.txt").exists()
    kept = (out / "news.jsonl").read_bytes().split(b"\n")
    assert [json.loads(line)["id"] for line in kept if line] == [1, 2]


def test_cli_across_refuses_stdin_and_names_a_bad_record(tmp_path) -> None:
    assert CliRunner().invoke(main, ["dedup", "--across", "-"]).exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "中文"}\n{"body": "中文"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["dedup", "--across", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output and "--text-key" in result.output


def test_cli_dedup_without_across_cleans_each_input(tmp_path) -> None:
    text = "\n".join(seed_paragraphs()[:2])
    page = tmp_path / "page.txt"
    page.write_text(text + "\n\n" + wrap(text, 15) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["dedup", str(page)])
    assert result.exit_code == 0
    assert result.stdout == text + "\n"


def test_cli_across_counts_a_file_given_twice_once(tmp_path) -> None:
    page = tmp_path / "a.txt"
    page.write_text(seed_paragraphs()[0], encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["dedup", "--across", str(page), str(tmp_path), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (out / "a.txt").exists()
    assert CliRunner().invoke(main, ["dedup", "--across", str(page), "-o", str(page)]).exit_code == 2


def test_stages_over_batches_and_groups_of_bands_give_the_clusters_of_one_run() -> None:
    """What the Ray engine does: sign in batches, find candidates per group of band columns, unite."""
    records, _ = corpus(random.Random(5))
    settings = Settings()
    parts = [Signed.join(list(sign_records(records[start : start + 7], settings)), settings)
             for start in range(0, len(records), 7)]
    signed = Signed.join(parts, settings)
    pairs = np.unique(np.concatenate([candidate_pairs(signed.band_keys[:, columns])
                                      for columns in (slice(0, 5), slice(5, 6), slice(6, None))]), axis=0)
    assert clusters_of(signed.keys, signed.checks, pairs, settings.threshold) == find_near_duplicates(records)
    assert Signed.join([], settings).band_keys.shape == (0, settings.bands)


def test_settings_refuse_bands_that_do_not_divide_the_permutations() -> None:
    with pytest.raises(ValueError, match="multiple of bands"):
        Settings(bands=33)
