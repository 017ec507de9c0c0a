"""Small pure helpers shared by the parsers: JSON decoding with clear errors, number coercion, Arrow building."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipelines.ingest.spec import ParseError


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
    """Build a typed Arrow table from parsed rows. Missing keys are null; keys the schema does not know (a new
    upstream field) become extra columns with inferred types, so the raw layer evolves instead of dropping them."""
    table = pa.Table.from_pylist(list(rows), schema=schema)
    extra = sorted({key for row in rows for key in row} - set(schema.names))
    for key in extra:
        values = [_plain(row.get(key)) for row in rows]
        try:
            column = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            column = pa.array([None if v is None else str(v) for v in values], pa.string())
        table = table.append_column(key, column)
    return table


def constant(value: Any, arrow_type: pa.DataType, n: int) -> pa.Array:
    """`value` repeated `n` times, built in Arrow (a Python list of n copies is slow at a million rows)."""
    return pa.repeat(pa.scalar(value, arrow_type), n)


def _plain(value: Any) -> Any:
    """Nested values of a new field are kept as JSON text."""
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def unmapped(record: Mapping[str, Any], mapped: set[str]) -> dict[str, Any]:
    """The fields of an upstream record that the parser does not map yet (kept as new raw columns)."""
    return {key: value for key, value in record.items() if key not in mapped}


TS_UTC = pa.timestamp("us", tz="UTC")
