"""Paths, mode, environment and secrets: the one place that reads GRANDSTAND_* variables and looks secrets up.

Everything else receives what it needs from here as arguments: `Settings` for the run, and for each source a frozen
dataclass of its own (`source_settings`), built from dlt's config providers (environment variables such as
SOURCES__COINCAP__API_BASE, `.dlt/config.toml`, `.dlt/secrets.toml`) and the older variable names the README documents.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

Mode = Literal["sample", "live"]
MODES: tuple[Mode, ...] = ("sample", "live")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ROOT = PROJECT_ROOT / "data" / "sample"

DEFAULT_LOAD_MEMORY_LIMIT = "2GB"
DEFAULT_APPEND_MEMORY_LIMIT = "256MB"


def disable_telemetry() -> None:
    """Turn off dbt's and dlt's anonymous usage tracking for this process and its children."""
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    # dlt warns at every arrow/dlt nullability difference on primary keys; errors still show.
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")


@dataclass(frozen=True)
class Settings:
    mode: Mode
    warehouse: Path
    landing: Path
    # GRANDSTAND_LAKE: a folder or an s3:// URL for `export-raw`; None means `lake/` beside the warehouse
    lake: str | None = None
    # DuckDB's memory limit while dlt loads (GRANDSTAND_LOAD_MEMORY_LIMIT), and for append-only sources
    # (GRANDSTAND_APPEND_MEMORY_LIMIT): bounded so a load's resident memory stays flat as the data grows
    load_memory_limit: str = DEFAULT_LOAD_MEMORY_LIMIT
    append_memory_limit: str = DEFAULT_APPEND_MEMORY_LIMIT

    @property
    def data_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def dlt_dir(self) -> Path:
        """dlt's pipeline working folders (load packages, state) live beside the warehouse."""
        return self.data_dir / ".dlt"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def lock_path(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value or None  # set but empty counts as unset


def _path_from_env(name: str, default: Path) -> Path:
    raw = _env(name)
    path = Path(raw) if raw else default
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def load_settings(mode: str | None = None) -> Settings:
    chosen = (mode or _env("GRANDSTAND_MODE") or "sample").lower()
    if chosen not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {chosen!r}")
    return Settings(
        mode=chosen,  # type: ignore[arg-type]
        warehouse=_path_from_env("GRANDSTAND_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse.duckdb"),
        landing=_path_from_env("GRANDSTAND_LANDING", PROJECT_ROOT / "data" / "landing"),
        lake=_env("GRANDSTAND_LAKE"),
        load_memory_limit=_env("GRANDSTAND_LOAD_MEMORY_LIMIT") or DEFAULT_LOAD_MEMORY_LIMIT,
        append_memory_limit=_env("GRANDSTAND_APPEND_MEMORY_LIMIT") or DEFAULT_APPEND_MEMORY_LIMIT,
    )


def dbt_target_dir() -> Path:
    """Where dbt writes its artifacts: DBT_TARGET_PATH if set, else target/ in the project."""
    raw = _env("DBT_TARGET_PATH")
    return Path(raw) if raw else PROJECT_ROOT / "target"


def fault_spec() -> str | None:
    """GRANDSTAND_FAULT=<point>:<source>:<n>, read on every call: the crash-safety tests set it per process."""
    return _env("GRANDSTAND_FAULT")


# --- configuration values and secrets -------------------------------------------------------------------------


def _lookup(key: str, env_aliases: tuple[str, ...], *, secret: bool) -> str | None:
    """The one lookup: the documented variable names first, then dlt's providers for the dotted key (the variable
    KEY__IN__CAPITALS, then .dlt/secrets.toml and, for configuration, .dlt/config.toml). Empty counts as unset."""
    for name in env_aliases:
        value = _env(name)
        if value:
            return value
    import dlt  # imported here: readers (dashboards, docs) need config without dlt's import time

    found = (dlt.secrets if secret else dlt.config).get(key, str)
    return str(found) if found else None


def config_value(key: str, *env_aliases: str) -> str | None:
    """A configuration value by its dlt key (e.g. "sources.hkjc.language"), or None if set nowhere."""
    return _lookup(key, env_aliases, secret=False)


def secret(key: str, *env_aliases: str) -> str | None:
    """A secret by its dlt key (e.g. "sources.coincap.api_key"), or None if set nowhere. Never print or log it."""
    return _lookup(key, env_aliases, secret=True)


def configurable(default: Any, *env_aliases: str, secret: bool = False) -> Any:
    """A field of a source's settings dataclass that `source_settings` looks up (under sources.<source>.<field>,
    then the documented `env_aliases`); `secret=True` keeps it out of repr and looks it up among the secrets."""
    meta = {"config": True, "env": env_aliases, "secret": secret}
    return dataclasses.field(default=default, repr=not secret, metadata=meta)


S = TypeVar("S")


def source_settings(source: str, cls: type[S]) -> S:
    """Build a source's settings dataclass: each `configurable` field from its variable or dlt key, if set there,
    else its default; the other fields keep their defaults."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.metadata.get("config"):
            continue
        value = _lookup(f"sources.{source}.{f.name}", tuple(f.metadata["env"]), secret=bool(f.metadata["secret"]))
        if value is not None:
            values[f.name] = value
    return cls(**values)


# --- alerts ---------------------------------------------------------------------------------------------------

DEFAULT_ALERT_WINDOW_MINUTES = 60


@dataclass(frozen=True)
class AlertSettings:
    """Where alerts go (apprise URLs: mailto://, slack://, json://, ...) and how long one alert key stays quiet
    after it was sent. No URLs: alerts are off. The URLs often hold credentials, so they are kept out of repr."""

    urls: tuple[str, ...] = field(default=(), repr=False)
    window_minutes: float = DEFAULT_ALERT_WINDOW_MINUTES

    @property
    def enabled(self) -> bool:
        return bool(self.urls)


def alert_settings() -> AlertSettings:
    """GRANDSTAND_ALERT_URLS (or `alerts.urls` in .dlt/secrets.toml or .dlt/config.toml; the variable
    ALERTS__URLS): apprise URLs separated by commas, spaces or newlines. GRANDSTAND_ALERT_WINDOW_MINUTES (or
    `alerts.window_minutes`): the de-duplication window, default 60."""
    raw = _lookup("alerts.urls", ("GRANDSTAND_ALERT_URLS",), secret=True) or config_value("alerts.urls")
    text = (raw or "").strip()
    if text.startswith("["):  # a TOML list, as dlt hands it over: urls = ["json://...", "mailto://..."]
        text = text.strip("[]").replace("'", " ").replace('"', " ")
    urls = tuple(u for u in text.replace(",", " ").split() if u)
    window = config_value("alerts.window_minutes", "GRANDSTAND_ALERT_WINDOW_MINUTES")
    try:
        minutes = float(window) if window else DEFAULT_ALERT_WINDOW_MINUTES
    except ValueError:
        raise ValueError(f"GRANDSTAND_ALERT_WINDOW_MINUTES must be a number of minutes, not {window!r}") from None
    return AlertSettings(urls=urls, window_minutes=minutes)
