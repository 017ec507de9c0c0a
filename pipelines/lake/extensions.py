"""DuckDB's httpfs, avro and iceberg extensions, installed offline from the duckdb-extension-* wheels.

The wheels ship DuckDB's own signed builds; `FORCE INSTALL '<file>'` copies each into DuckDB's extension directory
(`~/.duckdb/extensions/v<version>/<platform>/` unless `extension_directory` says otherwise), and `LOAD` then verifies
the signature as for a download. Nothing is fetched. Installing again replaces the same files: it is idempotent.
`make setup` runs `python -m pipelines.lake.extensions`. The iceberg extension needs avro loaded first.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import duckdb

# in load order: iceberg reads its manifests with avro
EXTENSIONS: tuple[str, ...] = ("httpfs", "avro", "iceberg")


def wheel_extension(name: str) -> Path:
    """The extension file shipped by the duckdb-extension-<name> wheel for the DuckDB in use."""
    try:
        package = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        raise FileNotFoundError(f"the duckdb-extension-{name} wheel is not installed: run `make setup`") from None
    path = Path(str(package.__file__)).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise FileNotFoundError(f"no {name} extension for DuckDB {duckdb.__version__} at {path}")
    return path


def _installed(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select extension_name from duckdb_extensions() where installed").fetchall()
    return {str(name) for (name,) in rows}


def install_extensions(con: duckdb.DuckDBPyConnection | None = None, *, force: bool = True) -> list[Path]:
    """FORCE INSTALL every extension from its wheel; returns the files installed from. With force=False, only
    the ones not yet installed."""
    own = con is None
    con = con or duckdb.connect()
    try:
        present = set() if force else _installed(con)
        done: list[Path] = []
        for name in EXTENSIONS:
            if name in present:
                continue
            path = wheel_extension(name)
            con.execute(f"force install '{path}'")
            done.append(path)
        return done
    finally:
        if own:
            con.close()


def load_extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = EXTENSIONS) -> None:
    """LOAD the extensions (installing from the wheels any that are missing), avro before iceberg."""
    install_extensions(con, force=False)
    for name in EXTENSIONS:
        if name in names or (name == "avro" and "iceberg" in names):
            con.execute(f"load {name}")


def main() -> int:
    con = duckdb.connect()
    try:
        for path in install_extensions(con):
            print(f"installed {path.name} from {path.parent}")
        load_extensions(con)
        directory = con.execute("select current_setting('extension_directory')").fetchone()
        print(f"loaded {', '.join(EXTENSIONS)} (extension directory: {(directory or [''])[0] or '~/.duckdb'})")
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
