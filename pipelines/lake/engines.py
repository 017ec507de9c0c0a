"""Compare every mart between DuckDB and another build: row counts and an order-independent content checksum.

The other build is Spark's (`target="spark"`, the Parquet files Spark wrote for its tables) or the DuckDB build from
the Iceberg lake (`target="iceberg"`, the marts in `iceberg.duckdb`, pipelines/lake/iceberg_read.py). Both sides are
read by DuckDB, and every value is
put in one canonical text form first, so that the checksum compares content, not engine types:
- numbers: integers as integers, other values to 9 significant digits (sums in another order differ in the last bits);
- timestamps: microseconds since the epoch (an instant is the same instant in both engines);
- everything else: its text.
Differences that are expected are listed, with the reason, in docs/portability.md; any other difference fails.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from pipelines.config import PROJECT_ROOT, Settings

PORTABILITY_DOC = PROJECT_ROOT / "docs" / "portability.md"
_NULL = "'∅'"


@dataclass
class MartComparison:
    mart: str
    duckdb_rows: int | None
    spark_rows: int | None
    equal: bool
    differing_columns: list[str] = field(default_factory=list)
    listed_reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.equal or self.listed_reason is not None


def _canonical(column: str, data_type: str) -> str:
    quoted = '"' + column.replace('"', '""') + '"'
    kind = data_type.upper()
    if kind.startswith(("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER")):
        text = f"cast({quoted} as varchar)"
    elif kind.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL")):
        text = (
            f"case when {quoted} = trunc({quoted}) and abs({quoted}) < 1e15 "
            f"then cast(cast({quoted} as hugeint) as varchar) else printf('%.9g', cast({quoted} as double)) end"
        )
    elif kind.startswith("TIMESTAMP"):
        text = f"cast(epoch_us({quoted}) as varchar)"
    else:
        text = f"cast({quoted} as varchar)"
    return f"coalesce({text}, {_NULL})"


def relation_checksums(
    con: duckdb.DuckDBPyConnection, relation: str, exclude: tuple[str, ...] = ()
) -> tuple[int, dict[str, int], int]:
    """(rows, checksum per column, checksum of whole rows) of a relation, columns in name order, less `exclude`.
    Values are compared in a canonical text form, so the same content gives the same sums on any engine."""
    columns = sorted(
        (name, data_type)
        for name, data_type, *_ in con.execute(f"describe select * from {relation}").fetchall()
        if name not in exclude
    )
    canon = [_canonical(name, data_type) for name, data_type in columns]
    per_column = ", ".join(f"sum(hash({expr}))::hugeint" for expr in canon)
    row = "concat_ws(chr(31), " + ", ".join(canon) + ")"
    values = con.execute(f"select count(*), {per_column}, sum(hash({row}))::hugeint from {relation}").fetchone()
    assert values is not None
    per_column_sums = {name: int(v or 0) for (name, _), v in zip(columns, values[1:-1], strict=True)}
    return int(values[0]), per_column_sums, int(values[-1] or 0)


def listed_differences(doc: Path = PORTABILITY_DOC) -> dict[str, str]:
    """mart → reason, from the table between the `differences` markers in docs/portability.md."""
    if not doc.exists():
        return {}
    text = doc.read_text()
    match = re.search(r"<!-- differences:start -->(.*?)<!-- differences:end -->", text, re.S)
    if not match:
        return {}
    listed: dict[str, str] = {}
    for line in match.group(1).splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and not set(cells[0]) <= {"-", ":"} and cells[0].lower() != "mart":
            listed[cells[0]] = cells[-1]
    return listed


def _spark_relation(tables_dir: Path, mart: str) -> str | None:
    folder = tables_dir / "marts.db" / mart
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return None
    return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"


def _iceberg_relation(con: duckdb.DuckDBPyConnection, mart: str) -> str | None:
    found = con.execute(
        "select count(*) from duckdb_tables() where database_name = 'iceberg_build' and schema_name = 'marts' "
        "and table_name = ?",
        [mart],
    ).fetchone()
    return f'iceberg_build.marts."{mart}"' if found and found[0] else None


def compare_engines(settings: Settings, target: str = "spark") -> list[MartComparison]:
    """Every mart of the warehouse against the `target` build's ("spark" or "iceberg")."""
    from pipelines.lake.iceberg_read import iceberg_duckdb
    from pipelines.lake.spark import spark_tables_dir
    from pipelines.operate.reader import open_reader

    con, _ = open_reader(settings)
    if con is None:
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `grandstand run` first")
    listed = listed_differences()
    results: list[MartComparison] = []
    try:
        con.execute("set TimeZone = 'UTC'")
        if target == "iceberg":
            built = iceberg_duckdb(settings)
            if not built.exists():
                raise FileNotFoundError(f"no Iceberg build at {built}: run `grandstand transform --target iceberg`")
            con.execute(f"attach '{built}' as iceberg_build (read_only)")
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database() "
                "and schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        for mart in marts:
            d_rows, d_cols, d_sum = relation_checksums(con, f'marts."{mart}"')
            spark_relation = (
                _iceberg_relation(con, mart)
                if target == "iceberg"
                else _spark_relation(spark_tables_dir(settings), mart)
            )
            if spark_relation is None:
                results.append(MartComparison(mart, d_rows, None, False, [], listed.get(mart)))
                continue
            s_rows, s_cols, s_sum = relation_checksums(con, spark_relation)
            differing = sorted(
                set(d_cols) ^ set(s_cols) | {c for c in set(d_cols) & set(s_cols) if d_cols[c] != s_cols[c]}
            )
            equal = d_rows == s_rows and d_sum == s_sum and not differing
            results.append(MartComparison(mart, d_rows, s_rows, equal, differing, listed.get(mart)))
    finally:
        con.close()
    return results


def write_comparison(settings: Settings, results: list[MartComparison]) -> Path:
    path = settings.reports_dir / "engines.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) | {"ok": r.ok} for r in results], indent=2))
    return path
