"""Events: the three real/generated formats, the generator's contract, and appends that never duplicate."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.ingest.sources.events import settings as events_settings
from pipelines.ingest.sources.events.generator import GeneratorConfig, events, partitions
from pipelines.ingest.sources.events.parse import classify, parse
from pipelines.ingest.spec import ParseError


def _sample(name: str) -> bytes:
    return (events_settings.SAMPLE_DIR / name).read_bytes()


def test_wikiticker_sample_parses_every_line() -> None:
    data = _sample("wikiticker-2015-09-12-sampled.json.gz")
    assert classify("x.json.gz", data) == ("wikiticker", {})
    table = parse("wikiticker", data, {})["wikiticker_edits"]
    assert table.num_rows == 39_244 == len(gzip.decompress(data).splitlines())
    first = table.slice(0, 1).to_pylist()[0]
    assert first["page"] == "Talk:Oswald Tilghman" and first["user"] == "GELongstreet" and first["delta"] == 36


def test_github_sample_parses_all_events() -> None:
    data = _sample("github_events_2013-01-10.json")
    table = parse("github", data, {})["github_events"]
    assert table.num_rows == 30
    types = table.column("type").to_pylist()
    assert types.count("PushEvent") == 13 and types.count("WatchEvent") == 6
    row = table.slice(0, 1).to_pylist()[0]
    assert row["id"] == "1652857722" and row["actor_login"] == "jathanism"
    assert json.loads(row["payload"])  # payload kept as JSON text


def test_generator_is_seeded_labelled_and_duplicates_at_the_configured_rate() -> None:
    config = GeneratorConfig(events=5_000, users=300, seed=7)
    lines = [line for _, _, line in events(config)]
    assert lines == [line for _, _, line in events(config)], "same seed, same output"
    ids = [json.loads(line)["event_id"] for line in lines]
    assert len(set(ids)) == 5_000
    assert 0.12 < (len(ids) - len(set(ids))) / 5_000 < 0.18  # 15% by default
    assert all(json.loads(line)["generated"] is True for line in lines[:50])
    first = json.loads(lines[0])
    assert first["email"].endswith("@example.com") and first["ip"].split(".")[0] in ("192", "198", "203")


def test_generated_partitions_parse_as_clickstream() -> None:
    parts = partitions(GeneratorConfig(events=2_000, seed=3))
    assert all(p.path.startswith("dt=") and "/hour=" in p.path and "/source=" in p.path for p in parts)
    table = parse("clickstream", parts[0].data, {})["clickstream"]
    assert table.num_rows == parts[0].lines
    assert str(table.schema.field("occurred_at").type) == "timestamp[us, tz=UTC]"


def test_new_field_is_kept_and_bad_lines_refused() -> None:
    line = json.loads(gzip.decompress(partitions(GeneratorConfig(events=10))[0].data).splitlines()[0])
    line["experiment"] = "B"
    table = parse("clickstream", json.dumps(line).encode(), {})["clickstream"]
    assert "experiment" in table.column_names
    with pytest.raises(ParseError, match="malformed JSON lines"):
        parse("clickstream", b'{"event_id": "a", "occurred_at": "2026-01-01T00:00:00Z"}\n{"event_id": ', {})
    with pytest.raises(ParseError, match="corrupt gzip"):
        parse("clickstream", b"\x1f\x8b\x08\x00garbage", {})


def test_dropped_file_appends_and_redelivery_does_not_duplicate(settings, raw_count, tmp_path: Path) -> None:
    parts = partitions(GeneratorConfig(events=3_000, seed=11))
    first = tmp_path / "part-1.jsonl.gz"
    first.write_bytes(parts[0].data)
    assert main(["load", "events", "--from", str(first)]) == 0
    assert raw_count("raw_events.clickstream") == parts[0].lines
    again = tmp_path / "part-1-copy.jsonl.gz"  # the same bytes dropped again under another name
    again.write_bytes(parts[0].data)
    assert main(["load", "events", "--from", str(again)]) == 0
    assert raw_count("raw_events.clickstream") == parts[0].lines
    # a second file appends beside the first: a load that replaced the table would keep only its rows
    second = tmp_path / "part-2.jsonl.gz"
    second.write_bytes(parts[1].data)
    assert main(["load", "events", "--from", str(second)]) == 0
    assert raw_count("raw_events.clickstream") == parts[0].lines + parts[1].lines
