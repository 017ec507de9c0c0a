"""One place reads configuration and secrets (pipelines/config.py), one cursor says what is landed
(pipelines/ingest/cursor.py), and imports point down the stages."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.config import load_settings, source_settings
from pipelines.ingest.cursor import Cursor, Window
from pipelines.ingest.landing import LandedFile
from pipelines.ingest.registry import SOURCE_NAMES, get_spec
from pipelines.ingest.sources.f1.settings import F1Settings
from pipelines.ingest.sources.hkjc.settings import HkjcSettings
from pipelines.ingest.sources.yahoo import client as yahoo_client
from pipelines.secrets import SAMPLE_PII_SALT, pii_salt, s3_credentials

PACKAGE = Path(__file__).parents[1] / "pipelines"
# reading a variable: os.environ.get("X"), os.getenv("X"), os.environ["X"] not assigned to
_READ = re.compile(
    r"""(os\.environ\.get|os\.getenv)\(\s*["']([A-Z0-9_]+)|os\.environ\[["']([A-Z0-9_]+)["']\](?!\s*=)"""
)
_OURS = ("GRANDSTAND_", "SOURCES__", "COINCAP_", "YAHOO_", "JOLPICA_", "OPENF1_", "HKJC_", "AWS_", "EVENTS__")


def test_only_the_config_module_reads_our_variables() -> None:
    readers = {
        f"{path.relative_to(PACKAGE.parent)}: {name}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "config.py" or path.parent != PACKAGE
        for match in _READ.finditer(path.read_text(encoding="utf-8"))
        for name in [match.group(2) or match.group(3)]
        if name.startswith(_OURS)
    }
    assert not readers, f"read the environment through pipelines/config.py: {sorted(readers)}"


def test_no_catch_all_in_the_config_and_secret_lookups() -> None:
    for name in ("config.py", "secrets.py"):
        assert "except Exception" not in (PACKAGE / name).read_text(encoding="utf-8"), name


def test_ingest_never_imports_a_later_stage() -> None:
    later = ("pipelines.transform", "pipelines.lake", "pipelines.serve", "pipelines.operate", "pipelines.orchestrate",
             "pipelines.cli")  # fmt: skip
    for path in (PACKAGE / "ingest").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.startswith(later)], f"{path}: imports {names}"


def test_every_live_source_has_settings_and_a_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HKJC_LANGUAGE", "GRANDSTAND_EVENTS_DROP"):
        monkeypatch.delenv(name, raising=False)
    for name in SOURCE_NAMES:
        spec = get_spec(name)
        assert spec.settings_type is not None and spec.window_of is not None, name
        source_settings(name, spec.settings_type)  # builds from defaults alone


def test_source_settings_from_the_documented_variable_then_dlts_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOLPICA_BASE", raising=False)
    monkeypatch.setenv("SOURCES__F1__JOLPICA_BASE", "http://dlt.example/f1")
    monkeypatch.setenv("OPENF1_BASE", "")  # set but empty counts as unset
    config = source_settings("f1", F1Settings)
    assert config == F1Settings(jolpica_base="http://dlt.example/f1")
    monkeypatch.setenv("JOLPICA_BASE", "http://readme.example/f1")
    assert source_settings("f1", F1Settings).jolpica_base == "http://readme.example/f1"


def test_hkjc_language_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HKJC_LANGUAGE", "zh")
    assert source_settings("hkjc", HkjcSettings).language == "zh"
    monkeypatch.setenv("HKJC_LANGUAGE", "fr")
    with pytest.raises(ValueError, match="en, zh"):
        source_settings("hkjc", HkjcSettings)


def test_run_settings_from_grandstand_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRANDSTAND_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("GRANDSTAND_LAKE", "s3://bucket/lake")
    monkeypatch.setenv("GRANDSTAND_LOAD_MEMORY_LIMIT", "1GB")
    monkeypatch.delenv("GRANDSTAND_APPEND_MEMORY_LIMIT", raising=False)
    settings = load_settings("live")
    assert (settings.mode, settings.warehouse, settings.lake) == ("live", tmp_path / "w.duckdb", "s3://bucket/lake")
    assert (settings.load_memory_limit, settings.append_memory_limit) == ("1GB", "256MB")


def test_secrets_through_the_one_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GRANDSTAND_PII_SALT", "EVENTS__PII_SALT", "AWS_ACCESS_KEY_ID", "LAKE__AWS_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    assert pii_salt() == SAMPLE_PII_SALT
    monkeypatch.setenv("EVENTS__PII_SALT", "from-dlt")  # dlt's own name for [events] pii_salt
    assert pii_salt() == "from-dlt"
    monkeypatch.setenv("GRANDSTAND_PII_SALT", "from-readme")
    assert pii_salt() == "from-readme"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key-id")
    credentials = s3_credentials()
    assert credentials.key_id == "key-id" and "key-id" not in repr(credentials)


def _chart(ticker: str, interval: str, p1: int, p2: int) -> LandedFile:
    params = {"ticker": ticker, "interval": interval, "period1": str(p1), "period2": str(p2)}
    return LandedFile("yahoo", "chart", "p", "o", datetime.now(UTC).isoformat(), "0" * 64, 1, params)


def test_cursor_from_the_manifest() -> None:
    landed = [_chart("AAPL", "1d", 100, 200), _chart("AAPL", "1d", 200, 300), _chart("MSFT", "1m", 5, 9)]
    csv_import = LandedFile("yahoo", "csv", "p", "o", "t", "1" * 64, 1, {"ticker": "AAPL", "interval": "1d"})
    cursor = Cursor.of([*landed, csv_import], yahoo_client.window_of)
    assert len(cursor) == 3  # the CSV import covers no known window
    assert cursor.latest_end(("AAPL", "1d")) == 300 and cursor.latest_end(("AAPL", "1m")) is None
    assert Window(("MSFT", "1m"), 5, 9) in cursor
    assert not cursor.skip(Window(("AAPL", "1d"), 300, 400)) and cursor.skipped == 0
    assert cursor.skip(Window(("AAPL", "1d"), 100, 200)) and cursor.skipped == 1
    assert Cursor.of(landed, None).landed == frozenset()
