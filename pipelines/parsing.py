"""Small pure helpers shared by the parsers: JSON decoding with clear errors, number coercion, Arrow building."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipelines.spec import ParseError


def load_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(f"malformed JSON: {exc}") from exc


def require(obj: Any, key: str, where: str = "body") -> Any:
    if not isinstance(obj, Mapping) or key not in obj:
        raise ParseError(f"{where} has no {key!r}")
    return obj[key]


def to_float(value: Any) -> float | None:
    """Numbers arrive as strings ("60310.68"), numbers, or null."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ParseError(f"not a number: {value!r}") from exc


def to_int(value: Any) -> int | None:
    number = to_float(value)
    return None if number is None else int(number)


def epoch_ms_to_utc(value: Any) -> datetime | None:
    number = to_float(value)
    return None if number is None else datetime.fromtimestamp(number / 1000, tz=UTC)


def arrow_table(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Build a typed Arrow table from parsed rows; extra keys are an error, missing ones are null."""
    names = set(schema.names)
    for row in rows[:1]:
        extra = set(row) - names
        if extra:
            raise ParseError(f"unexpected fields {sorted(extra)}")
    return pa.Table.from_pylist(list(rows), schema=schema)


TS_UTC = pa.timestamp("us", tz="UTC")
