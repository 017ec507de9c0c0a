"""A seeded clickstream generator, in the same raw format as the real event drop: gzipped JSON lines partitioned by
date, hour and source. Everything it writes is GENERATED (`"generated": true` on every line); it exists for scale
tests, the benchmark and the product marts' sample, never as a stand-in for real data.

It makes users, sessions, page views, sign-ups, purchases and marketing channels, with a configurable duplicate rate
(re-delivered events), out-of-order and late events, and emails and IPs as PII (example.com addresses and the
documentation IP ranges, so no real person's data is ever made).
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

CHANNELS = ("organic_search", "paid_search", "social", "email", "referral", "direct")
SOURCES = ("web", "ios", "android")
FUNNEL = ("page_view", "signup_started", "signup_completed", "checkout_started", "purchase")
PAGES = ("/", "/pricing", "/features", "/blog/launch", "/docs", "/signup", "/checkout")
DOC_NETS = ("192.0.2", "198.51.100", "203.0.113")  # RFC 5737 documentation ranges


@dataclass(frozen=True)
class GeneratorConfig:
    events: int = 20_000
    users: int = 2_000
    start: datetime = datetime(2026, 11, 1, tzinfo=UTC)
    days: int = 7
    duplicate_rate: float = 0.15
    late_rate: float = 0.02  # events delivered in a later partition than their own hour
    late_max_hours: int = 48
    seed: int = 42


@dataclass(frozen=True)
class Partition:
    path: str  # dt=YYYY-MM-DD/hour=HH/source=web/part-00000.jsonl.gz
    data: bytes
    lines: int


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _line(
    rng: random.Random,
    event_id: str,
    event_type: str,
    occurred: datetime,
    user: int,
    channel: str,
    source: str,
    page: str,
    session_no: int,
) -> tuple[datetime, str]:
    received = occurred + timedelta(seconds=rng.expovariate(1 / 45))  # collector latency, mean 45 s
    revenue = f"{rng.choice((9, 19, 49, 99))}.00" if event_type == "purchase" else "null"
    ip = f"{DOC_NETS[user % 3]}.{user % 254 + 1}"
    return received, (
        f'{{"event_id":"{event_id}","event_type":"{event_type}","occurred_at":"{_iso(occurred)}",'
        f'"received_at":"{_iso(received)}","user_id":"u{user:07d}","email":"user{user}@example.com",'
        f'"ip":"{ip}","channel":"{channel}","campaign":"{channel}_{session_no % 4}","source":"{source}",'
        f'"page":"{page}","revenue_usd":{revenue},"generated":true}}'
    )


def events(config: GeneratorConfig) -> Iterator[tuple[datetime, str, str]]:
    """Yield (delivery hour, source, JSON line) for every event, duplicates and late deliveries included."""
    rng = random.Random(config.seed)
    span = config.days * 86_400
    made = 0
    session_no = 0
    while made < config.events:
        user = rng.randrange(config.users)
        channel = CHANNELS[(user * 7 + session_no) % len(CHANNELS)] if rng.random() < 0.3 else CHANNELS[user % 6]
        source = SOURCES[user % len(SOURCES)]
        clock = config.start + timedelta(seconds=rng.randrange(span))
        depth = 1 + min(int(rng.expovariate(0.6)), len(FUNNEL) - 1)
        session_no += 1
        for step in range(depth):
            if made >= config.events:
                break
            for _ in range(rng.randint(1, 3) if step == 0 else 1):
                clock += timedelta(seconds=rng.randint(5, 600))
                event_id = f"{rng.getrandbits(64):016x}{made:08x}"
                page = PAGES[rng.randrange(len(PAGES))] if step == 0 else PAGES[min(step + 4, len(PAGES) - 1)]
                received, line = _line(rng, event_id, FUNNEL[step], clock, user, channel, source, page, session_no)
                hour = received.replace(minute=0, second=0, microsecond=0)
                if rng.random() < config.late_rate:
                    hour += timedelta(hours=rng.randint(1, config.late_max_hours))
                yield hour, source, line
                made += 1
                if rng.random() < config.duplicate_rate:  # at-least-once delivery: the same event again
                    yield hour + timedelta(hours=rng.randint(0, 2)), source, line


def partitions(config: GeneratorConfig) -> list[Partition]:
    """Group the generated lines into the drop's partitions, out of order within each file."""
    buckets: dict[tuple[datetime, str], list[str]] = {}
    for hour, source, line in events(config):
        buckets.setdefault((hour, source), []).append(line)
    rng = random.Random(config.seed + 1)
    out = []
    for (hour, source), lines in sorted(buckets.items()):
        rng.shuffle(lines)
        body = ("\n".join(lines) + "\n").encode()
        path = f"dt={hour:%Y-%m-%d}/hour={hour:%H}/source={source}/part-00000.jsonl.gz"
        out.append(Partition(path=path, data=gzip.compress(body, compresslevel=1, mtime=0), lines=len(lines)))
    return out
