"""`grandstand orchestrate`: `dagster dev` (webserver, daemon and code server) over the definitions, stopped cleanly.

`dagster dev` runs in its own session, so a Ctrl-C at the terminal, or a SIGINT or SIGTERM sent to `grandstand`
alone (a test, a supervisor), reaches it once, forwarded as SIGINT to its whole process group (dagster dev, its
webserver, daemon and code server, as a terminal's Ctrl-C would): each stops itself. If dagster dev has not exited
`STOP_GRACE_S` seconds later, its whole process group is killed, so nothing is left running either way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from types import FrameType

from pipelines.config import Settings
from pipelines.orchestrate.assets import ensure_manifest  # imports Dagster: the CLI's ImportError check
from pipelines.orchestrate.instance import dagster_home, dev_command, write_instance_config

STOP_GRACE_S = 60.0  # a loaded machine needs more than 30 s to stop the webserver, daemon and code server
FORWARDED = (signal.SIGINT, signal.SIGTERM)


def run_until_stopped(command: Sequence[str], env: Mapping[str, str], grace_s: float = STOP_GRACE_S) -> int:
    """Run `command` in a session of its own until it exits; SIGINT/SIGTERM are forwarded to it as SIGINT, and its
    process group is killed when it outlives `grace_s` after that. Returns its exit code; 0 when it stopped on our
    signal within the grace (whatever code its interrupted children left it), 1 when it had to be killed."""
    started: list[subprocess.Popen[bytes]] = []
    asked_at: list[float] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        if not asked_at:
            asked_at.append(time.monotonic())
            if started:
                _interrupt(started[0])

    # handled before dagster dev starts: a handled signal is reset to its default in the child, while one this
    # process inherited as ignored (a background job of a non-interactive shell, a CI step) would stay ignored in
    # dagster dev, which would then never stop on it
    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        proc = subprocess.Popen(list(command), env=dict(env), start_new_session=True)
    except BaseException:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        raise
    started.append(proc)
    if asked_at:  # the signal came while it was starting
        _interrupt(proc)
    try:
        while True:
            try:
                code = proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
            else:
                if asked_at and code != 0:
                    # stopped on our signal within the grace: interrupted children can make dagster dev's own exit
                    # code non-zero, but the stop asked for is what happened
                    print(f"dagster dev stopped on the signal (its exit code {code})")
                    return 0
                return code
            if asked_at and time.monotonic() - asked_at[0] > grace_s:
                print(f"dagster dev had not stopped {grace_s:.0f} s after the signal: its processes were killed")
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        with suppress(ProcessLookupError):  # whatever `dagster dev` left behind in its group
            os.killpg(proc.pid, signal.SIGKILL)


def _interrupt(proc: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):  # to its whole group, as Ctrl-C at a terminal reaches every process
        os.killpg(proc.pid, signal.SIGINT)


def serve(settings: Settings, host: str, port: int, say: Callable[[str], None] = print) -> int:
    """What `grandstand orchestrate` does: DAGSTER_HOME and its dagster.yaml, dbt's manifest parsed afresh, then
    `dagster dev` on 127.0.0.1 (by default) until Ctrl-C."""
    home = dagster_home(settings)
    config = write_instance_config(home)
    say("dbt parse (the asset graph is read from dbt's manifest)")
    ensure_manifest(force=True)
    env = {**os.environ, "DAGSTER_HOME": str(home), "GRANDSTAND_MODE": settings.mode}
    env.update(GRANDSTAND_WAREHOUSE=str(settings.warehouse), GRANDSTAND_LANDING=str(settings.landing))
    say(f"Dagster UI on http://{host}:{port}/ ({settings.mode} mode; instance {config}; Ctrl-C stops it)")
    return run_until_stopped(dev_command(host, port), env)
