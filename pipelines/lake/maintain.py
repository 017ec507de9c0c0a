"""`grandstand maintain`: the upkeep of the landing zone and the Iceberg lake, by the retention policy.

A dry run by default (it says what it would do); `apply=True` acts. Each action is one line of the report:
- landing: each source/endpoint/day old enough is packed into one archive (`landing.pack_day`, crash-safe);
- lake (when an Iceberg catalog exists): snapshots older than the retention are expired, small data files are
  rewritten per partition, and files no snapshot references are removed (`pipelines.lake.iceberg_upkeep`).
It takes the warehouse's writer lock, so it never runs beside a load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pipelines.config import Settings
from pipelines.ingest.faults import checkpoint
from pipelines.ingest.landing import LandingZone, days_to_pack, pack_day, remove_packed
from pipelines.ingest.registry import SOURCE_NAMES
from pipelines.operate.lock import writer_lock
from pipelines.operate.retention import Retention, retention


@dataclass
class MaintenanceReport:
    applied: bool
    lines: list[str] = field(default_factory=list)
    landing_files_before: int = 0
    landing_files_after: int = 0

    def summary(self) -> list[str]:
        head = "maintenance applied" if self.applied else "dry run (add --apply to act)"
        tail = f"landing zone files on disk: {self.landing_files_before} → {self.landing_files_after}"
        return [head, *(self.lines or ["nothing to do"]), tail]


def _fault(source: str) -> Callable[[str], None]:
    return lambda point: checkpoint(point, source)


def compact_landing(settings: Settings, policy: Retention, apply: bool, report: MaintenanceReport) -> None:
    zone = LandingZone(settings.landing)
    report.landing_files_before = zone.files_on_disk()
    # days at least `compact_after_days` old: 0 packs today's files too
    before = (datetime.now(UTC).date() - timedelta(days=policy.compact_after_days - 1)).isoformat()
    for source in [s for s in SOURCE_NAMES if s in zone.sources()]:
        packs = days_to_pack(zone, source, before)
        for pack in packs:
            verb = "packed" if apply else "would pack"
            report.lines.append(f"landing {pack.folder}: {verb} {len(pack.entries)} files into one archive")
            if apply:
                pack_day(zone, pack, _fault(source))
        if apply:
            leftover = remove_packed(zone, source, _fault(source))  # what an interrupted pass left behind
            if leftover:
                report.lines.append(f"landing {source}: removed {leftover} files an earlier pass left behind")
    report.landing_files_after = zone.files_on_disk()


def maintain(
    settings: Settings, apply: bool = False, policy: Retention | None = None, location: str | None = None
) -> MaintenanceReport:
    """Pack the landing zone, then keep the Iceberg lake (at `location`, default the settings' lake)."""
    policy = policy or retention()
    report = MaintenanceReport(applied=apply)
    with writer_lock(settings.lock_path):
        compact_landing(settings, policy, apply, report)
        from pipelines.lake.iceberg_upkeep import maintain_lake

        maintain_lake(settings, policy, apply, report.lines, location)
    return report


def main() -> int:
    """`python -m pipelines.lake.maintain [--apply]`: what the crash-safety test runs and kills."""
    import sys

    from pipelines.config import load_settings

    report = maintain(load_settings(), apply="--apply" in sys.argv[1:])
    print("\n".join(report.summary()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
