"""The source registry is the one list of sources: dbt's `grandstand_sources` var and the raw schemas declared as dbt
sources follow it, and the audit models read every source's `_landing_files` through source(), so lineage shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[1]


def _source_names() -> set[str]:
    try:
        from pipelines.registry import SOURCE_NAMES
    except ImportError:  # the registry's home after the move into subpackages
        from pipelines.ingest.registry import SOURCE_NAMES
    return set(SOURCE_NAMES)


def _dbt_sources(folder: str) -> list[dict[str, Any]]:
    """Every dbt source declared in the yml files under `folder`."""
    found = []
    for path in sorted((ROOT / folder).rglob("*.yml")):
        found += (yaml.safe_load(path.read_text()) or {}).get("sources") or []
    return found


def test_dbt_var_grandstand_sources_is_the_registry() -> None:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    listed = project["vars"]["grandstand_sources"]
    assert len(listed) == len(set(listed)), f"grandstand_sources lists a source twice: {listed}"
    assert set(listed) == _source_names()


def test_staging_sources_declare_exactly_the_registry_raw_schemas() -> None:
    schemas = {source["schema"] for source in _dbt_sources("models/staging")}
    assert schemas == {f"raw_{name}" for name in _source_names()}


def test_every_raw_schema_declares_its_landing_files_once() -> None:
    owners = [
        (source["name"], source["schema"])
        for source in _dbt_sources("models")
        if any(table["name"] == "_landing_files" for table in source.get("tables") or [])
    ]
    # macros/landing_files_union.sql reads source('raw_<source>', '_landing_files') for every registered source
    assert sorted(owners) == sorted((f"raw_{name}", f"raw_{name}") for name in _source_names())


def test_audit_landing_files_depends_on_every_landing_files_source(tmp_path: Path) -> None:
    try:
        from pipelines.manifest import parse_manifest
    except ImportError:  # the manifest reader's home after the move into subpackages
        from pipelines.transform.manifest import parse_manifest

    manifest = parse_manifest(tmp_path)
    node = manifest["nodes"]["model.grandstand.landing_files"]
    expected = {f"source.grandstand.raw_{name}._landing_files" for name in _source_names()}
    assert set(node["depends_on"]["nodes"]) == expected
