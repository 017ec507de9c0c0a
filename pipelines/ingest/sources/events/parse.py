"""Event files (JSON lines, optionally gzipped, or a JSON array) → Arrow tables, through pyarrow's JSON reader.

Three real formats: Wikipedia recent-change edits (Druid's wikiticker sample), the GitHub events API, and the
clickstream drop (our generator writes it; any upstream writer such as a Kafka connector can).
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from pipelines.ingest.parsing import TS_UTC, load_json
from pipelines.ingest.spec import ParseError, UnknownFormat

CLICKSTREAM = pa.schema(
    [
        ("event_id", pa.string()),
        ("event_type", pa.string()),
        ("occurred_at", pa.string()),
        ("received_at", pa.string()),
        ("user_id", pa.string()),
        ("email", pa.string()),
        ("ip", pa.string()),
        ("channel", pa.string()),
        ("campaign", pa.string()),
        ("source", pa.string()),
        ("page", pa.string()),
        ("revenue_usd", pa.float64()),
        ("generated", pa.bool_()),
    ]
)
WIKITICKER = pa.schema(
    [
        ("time", pa.string()),
        ("channel", pa.string()),
        ("cityName", pa.string()),
        ("comment", pa.string()),
        ("countryIsoCode", pa.string()),
        ("countryName", pa.string()),
        ("isAnonymous", pa.bool_()),
        ("isMinor", pa.bool_()),
        ("isNew", pa.bool_()),
        ("isRobot", pa.bool_()),
        ("isUnpatrolled", pa.bool_()),
        ("metroCode", pa.int64()),
        ("namespace", pa.string()),
        ("page", pa.string()),
        ("regionIsoCode", pa.string()),
        ("regionName", pa.string()),
        ("user", pa.string()),
        ("delta", pa.int64()),
        ("added", pa.int64()),
        ("deleted", pa.int64()),
    ]
)
GITHUB = pa.schema(
    [
        ("id", pa.string()),
        ("type", pa.string()),
        ("created_at", TS_UTC),
        ("actor_id", pa.int64()),
        ("actor_login", pa.string()),
        ("repo_id", pa.int64()),
        ("repo_name", pa.string()),
        ("org_login", pa.string()),
        ("public", pa.bool_()),
        ("payload", pa.string()),
    ]
)
_BLOCK = 8 << 20


def _maybe_gunzip(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ParseError(f"corrupt gzip: {exc}") from exc
    return data


def _jsonl(data: bytes, schema: pa.Schema, timestamps: tuple[str, ...]) -> pa.Table:
    """Read JSON lines with an explicit schema; a field we do not know yet is kept (schema evolution).

    When a known field changes type, the file is read again with inferred types, so the changed values are kept
    (the loader moves them to a variant column) rather than the file being refused.
    """
    read_options = pajson.ReadOptions(block_size=_BLOCK)
    try:
        table = pajson.read_json(
            io.BytesIO(data),
            read_options=read_options,
            parse_options=pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer"),
        )
    except pa.ArrowInvalid as typed_error:
        try:
            table = pajson.read_json(io.BytesIO(data), read_options=read_options)
        except pa.ArrowInvalid as exc:
            raise ParseError(f"malformed JSON lines: {exc}") from exc
        if not set(schema.names) & set(table.column_names):
            raise ParseError(f"none of the expected fields: {typed_error}") from typed_error
    for name in timestamps:
        if name not in table.column_names:
            raise ParseError(f"no {name!r} field")
        index = table.schema.get_field_index(name)
        try:
            table = table.set_column(index, name, pc.cast(table[name], TS_UTC))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ParseError(f"bad timestamp in {name!r}: {exc}") from exc
    return table


def _github(data: bytes) -> pa.Table:
    text = data.strip()
    records = load_json(text) if text.startswith(b"[") else [load_json(line) for line in text.splitlines() if line]
    if not isinstance(records, list):
        raise ParseError("GitHub events body is not a JSON array")
    rows = []
    for r in records:
        if not isinstance(r, Mapping) or "id" not in r or "type" not in r:
            raise ParseError("a GitHub event without id or type")
        actor, repo, org = r.get("actor") or {}, r.get("repo") or {}, r.get("org") or {}
        rows.append(
            {
                "id": str(r["id"]),
                "type": r["type"],
                "created_at": r.get("created_at"),
                "actor_id": actor.get("id"),
                "actor_login": actor.get("login"),
                "repo_id": repo.get("id"),
                "repo_name": repo.get("name"),
                "org_login": org.get("login"),
                "public": r.get("public"),
                "payload": json.dumps(r.get("payload"), sort_keys=True, ensure_ascii=False),
            }
        )
    table = pa.Table.from_pylist(rows, schema=GITHUB.set(2, pa.field("created_at", pa.string())))
    return table.set_column(2, "created_at", pc.cast(table["created_at"], TS_UTC))


def parse(endpoint: str, data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    body = _maybe_gunzip(data)
    if endpoint == "clickstream":
        return {"clickstream": _jsonl(body, CLICKSTREAM, ("occurred_at", "received_at"))}
    if endpoint == "wikiticker":
        return {"wikiticker_edits": _jsonl(body, WIKITICKER, ("time",))}
    if endpoint == "github":
        return {"github_events": _github(body)}
    raise ParseError(f"unknown events endpoint {endpoint!r}")


def classify(filename: str, data: bytes) -> tuple[str, dict[str, Any]]:
    head = _maybe_gunzip(data[: 1 << 20] if data[:2] != b"\x1f\x8b" else data)[:4096]
    if head.lstrip().startswith(b"[") and b'"actor"' in head and b'"repo"' in head:
        return "github", {}
    if b'"event_id"' in head and b'"occurred_at"' in head:
        return "clickstream", {}
    if b'"channel"' in head and b'"page"' in head and b'"time"' in head:
        return "wikiticker", {}
    if b'"actor"' in head and b'"repo"' in head:
        return "github", {}
    raise UnknownFormat(f"{filename}: not a known event format (clickstream, wikiticker, GitHub events)")
