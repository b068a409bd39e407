"""Run one command as a subprocess and measure its wall time and peak memory.

Why not GNU time's max RSS: a tool that forks workers (the toolkit uses a process pool,
R can fork) keeps memory in several processes at once, and max RSS reports only the
largest single one. Here the resident memory of the whole process tree is summed from
/proc every ``interval`` seconds and the peak kept, which is what the machine feels.
Short spikes between two samples can be missed; the interval is 50 ms.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    cmd: list[str]
    wall_s: float
    peak_rss_mb: float
    rc: int | None
    timed_out: bool
    output_tail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out


def _tree_rss_bytes(root: int) -> int:
    """Sum the RSS of ``root`` and all its descendants (one scan of /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        pid = int(entry)
        parent[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE
    total, stack = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run_measured(cmd: list[str], env: dict[str, str] | None = None, timeout: float | None = None,
                 cwd: str | None = None, log: Path | None = None, interval: float = 0.05,
                 max_address_space: int | None = None) -> Measured:
    """Run ``cmd``; kill its process group after ``timeout`` seconds; return the measurements.

    ``max_address_space`` (bytes) caps each process's virtual memory (RLIMIT_AS) so that a
    tool whose memory explodes fails on its own instead of pushing the shared machine into
    the OOM killer; it is used for the peers only (DuckDB reserves address space freely)."""

    def limit() -> None:
        if max_address_space:
            resource.setrlimit(resource.RLIMIT_AS, (max_address_space, max_address_space))

    full_env = dict(os.environ)
    full_env.update(env or {})
    sink = open(log, "w") if log else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=full_env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=limit if max_address_space else None)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_bytes(proc.pid))
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    try:
        rc: int | None = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, 9)
        proc.wait()
        rc = None
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if not isinstance(sink, int):
        sink.close()
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    return Measured(cmd, wall, peak / 2**20, rc, timed_out, tail)
