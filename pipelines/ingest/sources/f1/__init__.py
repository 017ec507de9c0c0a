"""Formula 1: the Ergast CSV dump (history), the Jolpica API (Ergast-compatible JSON) and OpenF1."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.ingest.landing import RawFile
from pipelines.ingest.sources.f1 import client, parse, settings
from pipelines.ingest.spec import SourceSpec, TableSpec

ORIGINS = {
    "ergast_csv": "Ergast database dump (f1db CSV)",
    "jolpica": "https://api.jolpi.ca/ergast/f1/",
    "ergast_api": "http://ergast.com/api/f1/",
    "openf1": "https://api.openf1.org/v1/",
}


def sample() -> Iterator[RawFile]:
    for folder in ("ergast_csv", "jolpica", "ergast_api", "openf1"):
        for path in sorted((settings.SAMPLE_DIR / folder).iterdir()):
            data = path.read_bytes()
            endpoint, params = parse.classify(path.name, data)
            yield RawFile(endpoint, path.name, data, f"{ORIGINS[folder]} ({path.name})", params)


def _merge(name: str, *key: str) -> TableSpec:
    return TableSpec(name, "merge", key)


SPEC = SourceSpec(
    name=settings.SOURCE,
    description="Formula 1 from the Ergast dump, the Jolpica API and OpenF1.",
    tables={
        t.name: t
        for t in (
            _merge("ergast_circuits", "circuitId"),
            _merge("ergast_constructors", "constructorId"),
            _merge("ergast_drivers", "driverId"),
            _merge("ergast_races", "raceId"),
            _merge("ergast_results", "resultId"),
            _merge("ergast_sprint_results", "resultId"),
            _merge("ergast_qualifying", "qualifyId"),
            _merge("ergast_pit_stops", "raceId", "driverId", "stop"),
            _merge("ergast_seasons", "year"),
            _merge("ergast_status", "statusId"),
            _merge("jolpica_races", "season", "round"),
            _merge("jolpica_results", "season", "round", "session", "driver_id"),
            _merge("jolpica_qualifying", "season", "round", "driver_id"),
            _merge("jolpica_laps", "season", "round", "driver_id", "lap"),
            _merge("jolpica_pit_stops", "season", "round", "driver_id", "stop"),
            _merge("jolpica_drivers", "driver_id"),
            _merge("jolpica_constructors", "constructor_id"),
            _merge("jolpica_circuits", "circuit_id"),
            _merge("jolpica_seasons", "season"),
            _merge("openf1_laps", "session_key", "driver_number", "lap_number"),
            _merge("openf1_stints", "session_key", "driver_number", "stint_number"),
            _merge("openf1_weather", "session_key", "date"),
            _merge("openf1_sessions", "session_key"),
        )
    },
    parse=parse.parse,
    classify=parse.classify,
    sample=sample,
    fetch=client.fetch,
    http_policy_min_interval_s=settings.MIN_INTERVAL_S,
    settings_type=settings.F1Settings,
    window_of=client.window_of,
)
