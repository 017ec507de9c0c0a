"""How long each layer keeps what it holds, and when upkeep packs it: the retention policy `grandstand maintain`
applies and `grandstand status` reports. Each value is read from its variable or dlt key (`retention.<name>`).

- bronze (the landing zone) is kept forever by default: it is what replay and backfill read;
- lake snapshots (Iceberg) older than `lake_snapshot_days` are expired, the current one always kept;
- landing days older than `compact_after_days` (a month by default) are packed into one archive per day, and a
  lake partition's data files smaller than `small_file_bytes` are rewritten as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.config import config_value

DEFAULT_LAKE_SNAPSHOT_DAYS = 7
DEFAULT_COMPACT_AFTER_DAYS = 30
DEFAULT_SMALL_FILE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Retention:
    bronze_days: int | None = None  # None: forever
    lake_snapshot_days: int = DEFAULT_LAKE_SNAPSHOT_DAYS
    compact_after_days: int = DEFAULT_COMPACT_AFTER_DAYS
    small_file_bytes: int = DEFAULT_SMALL_FILE_BYTES

    def lines(self) -> list[str]:
        bronze = "forever" if self.bronze_days is None else f"{self.bronze_days} days"
        return [
            f"bronze (landing zone): kept {bronze}; days {self.compact_after_days}+ days old packed, one archive a day",
            f"lake snapshots: kept {self.lake_snapshot_days} days (the current one always)",
            f"lake data files under {self.small_file_bytes:,} bytes: compacted per partition",
        ]


def _days(key: str, env: str, default: int | None) -> int | None:
    raw = config_value(f"retention.{key}", env)
    if raw is None:
        return default
    if raw.strip().lower() in ("forever", "none", ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{env} (retention.{key}) must be a whole number or 'forever', not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{env} (retention.{key}) must not be negative, not {value}")
    return value


def retention() -> Retention:
    """GRANDSTAND_BRONZE_DAYS (default forever), GRANDSTAND_LAKE_SNAPSHOT_DAYS (7), GRANDSTAND_COMPACT_AFTER_DAYS
    (30), GRANDSTAND_SMALL_FILE_BYTES (8 MiB)."""
    return Retention(
        bronze_days=_days("bronze_days", "GRANDSTAND_BRONZE_DAYS", None),
        lake_snapshot_days=_days("lake_snapshot_days", "GRANDSTAND_LAKE_SNAPSHOT_DAYS", DEFAULT_LAKE_SNAPSHOT_DAYS)
        or 0,
        compact_after_days=_days("compact_after_days", "GRANDSTAND_COMPACT_AFTER_DAYS", DEFAULT_COMPACT_AFTER_DAYS)
        or 0,
        small_file_bytes=_days("small_file_bytes", "GRANDSTAND_SMALL_FILE_BYTES", DEFAULT_SMALL_FILE_BYTES) or 0,
    )
