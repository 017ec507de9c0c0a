"""Keep a changed upstream type instead of failing the load.

dlt fails a whole load package when an Arrow column's type cannot be cast to the raw column it lands in. Before a
table reaches dlt, each column is checked against the type already in the warehouse (or seen earlier in this run):
a column that casts safely is cast; one that does not is renamed to dlt's variant form `<column>__v_<type>`, so the
value is kept in a new column beside the old one and nothing already loaded changes.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from dlt.common.normalizers.naming.snake_case import NamingConvention

_NAMING = NamingConvention()
_DUCKDB_TO_ARROW = {
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "FLOAT": pa.float32(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "SMALLINT": pa.int16(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
    "TIMESTAMP": pa.timestamp("us"),
}
KnownTypes = dict[str, dict[str, pa.DataType]]


def normalized(name: str) -> str:
    return _NAMING.normalize_identifier(name)


def warehouse_types(con: duckdb.DuckDBPyConnection, schema: str) -> KnownTypes:
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = ?", [schema]
    ).fetchall()
    known: KnownTypes = {}
    for table, column, data_type in rows:
        arrow_type = _DUCKDB_TO_ARROW.get(str(data_type).upper())
        if arrow_type is not None:
            known.setdefault(table, {})[column] = arrow_type
    return known


def _variant_name(column: str, arrow_type: pa.DataType) -> str:
    kind = "text" if pa.types.is_string(arrow_type) else str(arrow_type).split("[")[0].replace(" ", "_")
    return f"{column}__v_{kind}"


def conform(table_name: str, table: pa.Table, known: KnownTypes) -> pa.Table:
    """Cast columns to the types the raw table already has; move uncastable ones to a variant column."""
    expected = known.setdefault(normalized(table_name), {})
    columns, names = [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        key = normalized(name)
        want = expected.get(key)
        if want is None or column.type == want or pa.types.is_null(column.type):
            if want is None and not pa.types.is_null(column.type):
                expected[key] = column.type
            columns.append(column)
            names.append(name)
            continue
        try:
            columns.append(pc.cast(column, want, safe=True))
            names.append(name)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            variant = _variant_name(key, column.type)
            expected[variant] = column.type
            columns.append(column)
            names.append(variant)
    return pa.table(columns, names=names)
