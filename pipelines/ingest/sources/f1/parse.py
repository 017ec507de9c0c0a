"""Formula 1 bodies → Arrow tables. Pure.

- The Ergast CSV dump (`\\N` for null): one raw table per dump file, numeric ids kept, mapped in dbt.
- Jolpica / Ergast API JSON (`MRData`): self-describing, so any saved response can be filed with `load --from`.
- OpenF1 JSON arrays (laps, stints, weather, sessions), keyed by session_key.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from pipelines.ingest.parsing import load_json, require
from pipelines.ingest.spec import ParseError, UnknownFormat

# The dump files we load, by their header line (so `load --from results.csv` needs no hint).
ERGAST_HEADERS: dict[str, str] = {
    "circuitId,circuitRef,name,location,country,lat,lng,alt,url": "circuits",
    "constructorId,constructorRef,name,nationality,url": "constructors",
    "driverId,driverRef,number,code,forename,surname,dob,nationality,url": "drivers",
    "raceId,driverId,stop,lap,time,duration,milliseconds": "pit_stops",
    "qualifyId,raceId,driverId,constructorId,number,position,q1,q2,q3": "qualifying",
    "year,url": "seasons",
    "statusId,status": "status",
}
ERGAST_PREFIXES: dict[str, str] = {
    "raceId,year,round,circuitId,name,date,time,url": "races",
    "resultId,raceId,driverId,constructorId,number,grid,position,positionText,positionOrder,points,laps,time,"
    "milliseconds,fastestLap,rank,": "results",
    "resultId,raceId,driverId,constructorId,number,grid,position,positionText,positionOrder,points,laps,time,"
    "milliseconds,fastestLap,fastestLapTime,statusId": "sprint_results",
}
ERGAST_STRING_COLUMNS = (
    "time",
    "q1",
    "q2",
    "q3",
    "duration",
    "positionText",
    "fastestLapTime",
    "fastestLapSpeed",
    "number",
    "code",
    "date",
    "dob",
    "fp1_date",
    "fp1_time",
    "fp2_date",
    "fp2_time",
    "fp3_date",
    "fp3_time",
    "quali_date",
    "quali_time",
    "sprint_date",
    "sprint_time",
    "alt",
)


def ergast_table_of(data: bytes) -> str:
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().replace('"', "")
    if header in ERGAST_HEADERS:
        return ERGAST_HEADERS[header]
    for prefix, name in ERGAST_PREFIXES.items():
        if header.startswith(prefix):
            return name
    raise UnknownFormat(f"not an Ergast dump file this project loads (header {header[:80]!r})")


def parse_ergast_csv(data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    table_name = params.get("table") or ergast_table_of(data)
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").replace('"', "").strip().split(",")
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(
                null_values=["\\N"],
                strings_can_be_null=True,
                column_types={c: pa.string() for c in ERGAST_STRING_COLUMNS if c in header},
            ),
        )
    except pa.ArrowInvalid as exc:
        raise ParseError(f"bad Ergast CSV ({table_name}): {exc}") from exc
    return {f"ergast_{table_name}": table}


# ---- Jolpica / Ergast API --------------------------------------------------------------------------------------


def _race_key(race: Mapping[str, Any]) -> dict[str, Any]:
    return {"season": int(race["season"]), "round": int(race["round"])}


def _driver(d: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "driver_id": d.get("driverId"),
        "permanent_number": d.get("permanentNumber"),
        "code": d.get("code"),
        "given_name": d.get("givenName"),
        "family_name": d.get("familyName"),
        "date_of_birth": d.get("dateOfBirth"),
        "nationality": d.get("nationality"),
        "url": d.get("url"),
    }


def _constructor(c: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "constructor_id": c.get("constructorId"),
        "name": c.get("name"),
        "nationality": c.get("nationality"),
        "url": c.get("url"),
    }


def _circuit(c: Mapping[str, Any]) -> dict[str, Any]:
    loc = c.get("Location") or {}
    return {
        "circuit_id": c.get("circuitId"),
        "circuit_name": c.get("circuitName"),
        "locality": loc.get("locality"),
        "country": loc.get("country"),
        "lat": float(loc["lat"]) if loc.get("lat") else None,
        "lng": float(loc["long"]) if loc.get("long") else None,
        "url": c.get("url"),
    }


def _result(race: Mapping[str, Any], r: Mapping[str, Any], session: str) -> dict[str, Any]:
    fastest = r.get("FastestLap") or {}
    return {
        **_race_key(race),
        "session": session,
        "driver_id": require(r.get("Driver"), "driverId", "result Driver"),
        "constructor_id": (r.get("Constructor") or {}).get("constructorId"),
        "number": r.get("number"),
        "position": int(r["position"]) if r.get("position") else None,
        "position_text": r.get("positionText"),
        "points": float(r["points"]) if r.get("points") not in (None, "") else None,
        "grid": int(r["grid"]) if r.get("grid") not in (None, "") else None,
        "laps": int(r["laps"]) if r.get("laps") not in (None, "") else None,
        "status": r.get("status"),
        "time_millis": int((r.get("Time") or {})["millis"]) if (r.get("Time") or {}).get("millis") else None,
        "fastest_lap": int(fastest["lap"]) if fastest.get("lap") else None,
        "fastest_lap_rank": int(fastest["rank"]) if fastest.get("rank") else None,
        "fastest_lap_time": (fastest.get("Time") or {}).get("time"),
    }


RESULT_SCHEMA = pa.schema(
    [
        ("season", pa.int32()),
        ("round", pa.int32()),
        ("session", pa.string()),
        ("driver_id", pa.string()),
        ("constructor_id", pa.string()),
        ("number", pa.string()),
        ("position", pa.int32()),
        ("position_text", pa.string()),
        ("points", pa.float64()),
        ("grid", pa.int32()),
        ("laps", pa.int32()),
        ("status", pa.string()),
        ("time_millis", pa.int64()),
        ("fastest_lap", pa.int32()),
        ("fastest_lap_rank", pa.int32()),
        ("fastest_lap_time", pa.string()),
    ]
)
RACE_SCHEMA = pa.schema(
    [
        ("season", pa.int32()),
        ("round", pa.int32()),
        ("race_name", pa.string()),
        ("circuit_id", pa.string()),
        ("date", pa.string()),
        ("time", pa.string()),
        ("url", pa.string()),
    ]
)


def parse_jolpica(data: bytes) -> dict[str, pa.Table]:
    body = load_json(data)
    mr = require(body, "MRData")
    out: dict[str, list[dict[str, Any]]] = {}
    drivers: dict[str, dict[str, Any]] = {}
    constructors: dict[str, dict[str, Any]] = {}
    circuits: dict[str, dict[str, Any]] = {}
    if "RaceTable" in mr:
        for race in mr["RaceTable"].get("Races", []):
            circuit = race.get("Circuit") or {}
            if circuit.get("circuitId"):
                circuits[circuit["circuitId"]] = _circuit(circuit)
            out.setdefault("jolpica_races", []).append(
                {
                    **_race_key(race),
                    "race_name": race.get("raceName"),
                    "circuit_id": circuit.get("circuitId"),
                    "date": race.get("date"),
                    "time": race.get("time"),
                    "url": race.get("url"),
                }
            )
            for key, session in (("Results", "race"), ("SprintResults", "sprint")):
                for r in race.get(key, []):
                    out.setdefault("jolpica_results", []).append(_result(race, r, session))
                    drivers[r["Driver"]["driverId"]] = _driver(r["Driver"])
                    if r.get("Constructor"):
                        constructors[r["Constructor"]["constructorId"]] = _constructor(r["Constructor"])
            for q in race.get("QualifyingResults", []):
                out.setdefault("jolpica_qualifying", []).append(
                    {
                        **_race_key(race),
                        "driver_id": q["Driver"]["driverId"],
                        "constructor_id": (q.get("Constructor") or {}).get("constructorId"),
                        "number": q.get("number"),
                        "position": int(q["position"]),
                        "q1": q.get("Q1"),
                        "q2": q.get("Q2"),
                        "q3": q.get("Q3"),
                    }
                )
                drivers[q["Driver"]["driverId"]] = _driver(q["Driver"])
            for lap in race.get("Laps", []):
                for t in lap.get("Timings", []):
                    out.setdefault("jolpica_laps", []).append(
                        {
                            **_race_key(race),
                            "lap": int(lap["number"]),
                            "driver_id": t["driverId"],
                            "position": int(t["position"]) if t.get("position") else None,
                            "time": t.get("time"),
                        }
                    )
            for stop in race.get("PitStops", []):
                out.setdefault("jolpica_pit_stops", []).append(
                    {
                        **_race_key(race),
                        "driver_id": stop["driverId"],
                        "stop": int(stop["stop"]),
                        "lap": int(stop["lap"]),
                        "time": stop.get("time"),
                        "duration": stop.get("duration"),
                    }
                )
    for d in (mr.get("DriverTable") or {}).get("Drivers", []):
        drivers[d["driverId"]] = _driver(d)
    for c in (mr.get("ConstructorTable") or {}).get("Constructors", []):
        constructors[c["constructorId"]] = _constructor(c)
    for c in (mr.get("CircuitTable") or {}).get("Circuits", []):
        circuits[c["circuitId"]] = _circuit(c)
    for s in (mr.get("SeasonTable") or {}).get("Seasons", []):
        out.setdefault("jolpica_seasons", []).append({"season": int(s["season"]), "url": s.get("url")})
    if not (out or drivers or constructors or circuits):
        known = ("RaceTable", "DriverTable", "ConstructorTable", "CircuitTable", "SeasonTable")
        if not any(k in mr for k in known):
            raise ParseError(f"MRData holds none of {', '.join(known)}")
    schemas = {"jolpica_results": RESULT_SCHEMA, "jolpica_races": RACE_SCHEMA}
    tables = {name: pa.Table.from_pylist(rows, schema=schemas.get(name)) for name, rows in out.items()}
    for name, rows in (
        ("jolpica_drivers", drivers),
        ("jolpica_constructors", constructors),
        ("jolpica_circuits", circuits),
    ):
        if rows:
            tables[name] = pa.Table.from_pylist(list(rows.values()))
    return tables


# ---- OpenF1 ----------------------------------------------------------------------------------------------------

OPENF1_KINDS = {
    "lap_number": "openf1_laps",
    "stint_number": "openf1_stints",
    "air_temperature": "openf1_weather",
    "session_name": "openf1_sessions",
}


def parse_openf1(data: bytes) -> dict[str, pa.Table]:
    rows = load_json(data)
    if not isinstance(rows, list):
        raise ParseError("an OpenF1 body is a JSON array")
    if not rows:
        return {}
    kind = next((table for key, table in OPENF1_KINDS.items() if key in rows[0]), None)
    if kind is None:
        raise ParseError(f"unknown OpenF1 record with fields {sorted(rows[0])[:8]}")
    cleaned = []
    for row in rows:
        if not isinstance(row, Mapping):
            raise ParseError("an OpenF1 record is not an object")
        # sector segment arrays are mini-sector colour codes: kept out of the raw table
        cleaned.append({k: v for k, v in row.items() if not k.startswith("segments_")})
    if kind == "openf1_weather":
        for row in cleaned:
            row["date"] = str(row["date"]).replace(" ", "T", 1)
    return {kind: pa.Table.from_pylist(cleaned)}


def parse(endpoint: str, data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    if endpoint == "ergast_csv":
        return parse_ergast_csv(data, params)
    if endpoint == "jolpica":
        return parse_jolpica(data)
    if endpoint == "openf1":
        return parse_openf1(data)
    raise ParseError(f"unknown F1 endpoint {endpoint!r}")


def classify(filename: str, data: bytes) -> tuple[str, dict[str, Any]]:
    head = data.lstrip()[:64]
    if head.startswith(b"{") and b"MRData" in data[:256]:
        return "jolpica", {}
    if head.startswith(b"["):
        return "openf1", {}
    return "ergast_csv", {"table": ergast_table_of(data)}
