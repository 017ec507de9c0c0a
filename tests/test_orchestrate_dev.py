"""`grandstand orchestrate` stops cleanly: started over the sample (DAGSTER_HOME, warehouse and landing zone in a tmp
dir), it serves the Dagster webserver on 127.0.0.1; one SIGINT to `grandstand` alone stops it within a bound, and
none of the processes it started (`dagster dev`, the webserver, the daemon, the code server) is left running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.e2e import cli_env

STOP_BOUND_S = 90  # dev.py kills what has not stopped 60 s after the signal
START_BOUND_S = 240  # three Python processes each load the definitions, on a shared machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children() -> dict[int, int]:
    """pid -> parent pid of every process, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_orchestrate_stops_on_sigint_and_leaves_no_process(tmp_path: Path) -> None:
    port = _free_port()
    env = {**cli_env(tmp_path), "DAGSTER_HOME": str(tmp_path / "dagster")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "orchestrate", "--port", str(port)],
        env=env,
        stdout=(tmp_path / "orchestrate.log").open("wb"),
        stderr=subprocess.STDOUT,
        # started as a background job of a non-interactive shell is (a CI step, `cmd &`): with SIGINT ignored, which
        # dagster dev would inherit and then never stop on, if grandstand did not handle it before starting it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    started: set[int] = set()
    try:
        deadline = time.monotonic() + START_BOUND_S
        while True:
            assert proc.poll() is None, f"grandstand orchestrate exited early with {proc.returncode}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the Dagster webserver did not answer on 127.0.0.1"
                time.sleep(1)
        started = _descendants(proc.pid)
        assert len(started) >= 3, f"expected dagster dev, its webserver and daemon; found {sorted(started)}"
        assert (tmp_path / "dagster" / "dagster.yaml").exists()

        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)  # to `grandstand` alone, as a supervisor would; not to its group
        code = proc.wait(timeout=STOP_BOUND_S + 15)
        took = time.monotonic() - sent
        assert took < STOP_BOUND_S, f"took {took:.0f} s to stop"
        assert code == 0, f"exit code {code}: {(tmp_path / 'orchestrate.log').read_text()[-1500:]}"
        time.sleep(1)
        left = sorted(pid for pid in started if _alive(pid))
        assert not left, f"processes left running after SIGINT: {left}"
    finally:
        for pid in [proc.pid, *started]:  # a failed test leaves nothing behind either
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.wait()
