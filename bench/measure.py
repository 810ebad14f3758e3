"""Measurement plumbing for the benchmarks: subprocess runs with peak RSS, statistics, machine.

Every measurement runs in a fresh ``python -m bench.tasks`` subprocess so that one
dataset's memory never leaks into the next figure and the peak RSS belongs to that
measurement alone. The peak is read exactly from the kernel (``wait4`` rusage of that one
child); a polling thread also samples the process tree and, when given, an external server
process (Neo4j), whose peak is reported separately.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

__all__ = [
    "ROOT",
    "TaskFailed",
    "TaskResult",
    "dir_bytes",
    "git_commit",
    "machine_info",
    "percentile",
    "run_task",
    "summarize",
    "versions",
]

ROOT = Path(__file__).resolve().parent.parent
_POLL_S = 0.05
#: kill a measurement when the machine's available memory falls below this
MIN_AVAILABLE = 1 << 30


class TaskFailed(RuntimeError):
    """A benchmark subprocess exited non-zero, timed out or wrote no result."""


@dataclass
class TaskResult:
    """What one subprocess returned plus the memory it (and a watched server) used."""

    result: dict[str, Any]
    wall_s: float
    peak_rss: int  # bytes, the child's own high-water mark (kernel ru_maxrss)
    tree_peak_rss: int  # bytes, highest sampled RSS of the child and its descendants
    server_peak_rss: int | None = None  # bytes, highest sampled RSS of the watched pid
    server_start_rss: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        total += proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
    except psutil.Error:
        pass
    return total


def _rss(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return None


def run_task(task: str, args: dict[str, Any], *, timeout_s: float = 7200.0,
             watch_pid: int | None = None, log: Path | None = None) -> TaskResult:
    """Run ``bench.tasks.<task>(**args)`` in a fresh interpreter and measure it.

    Parameters
    ----------
    task : str
        Name of a function in :mod:`bench.tasks`.
    args : dict
        JSON-serialisable keyword arguments.
    timeout_s : float, optional (default=7200)
        Kill the child after this long.
    watch_pid : int, optional
        A server process (Neo4j) whose RSS is sampled while the task runs.
    log : Path, optional
        Where the child's stdout/stderr go (appended); a temp file otherwise.

    Returns
    -------
    TaskResult

    Raises
    ------
    TaskFailed
        with the tail of the child's output.
    """
    with tempfile.TemporaryDirectory(prefix="wushe-bench-") as tmp:
        arg_file = Path(tmp) / "args.json"
        out_file = Path(tmp) / "out.json"
        arg_file.write_text(json.dumps(args, default=str))
        log_path = log or Path(tmp) / "log.txt"
        with open(log_path, "ab") as fh:
            offset = fh.tell()
            fh.write(f"\n== {time.strftime('%H:%M:%S')} {task} {json.dumps(args, default=str)}\n"
                     .encode())
            fh.flush()
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench.tasks", task, str(arg_file), str(out_file)],
                cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            peaks = {"tree": 0, "server": 0}
            server_start = _rss(watch_pid)
            done = threading.Event()

            def poll() -> None:
                ps = psutil.Process(proc.pid)
                while not done.is_set():
                    peaks["tree"] = max(peaks["tree"], _tree_rss(ps))
                    if psutil.virtual_memory().available < MIN_AVAILABLE:
                        # the machine is shared: give up this figure rather than let the
                        # kernel's OOM killer pick some other process
                        peaks["oom"] = 1
                        proc.kill()
                    s = _rss(watch_pid)
                    if s is not None:
                        peaks["server"] = max(peaks["server"], s)
                    done.wait(_POLL_S)

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            deadline = time.monotonic() + timeout_s
            status, usage = 0, None
            try:
                while True:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        break
                    if time.monotonic() > deadline:
                        proc.kill()
                        _, status, usage = os.wait4(proc.pid, 0)
                        status = -9
                        break
                    time.sleep(0.02)
            except BaseException:
                # interrupted (Ctrl-C, SIGTERM): never leave a measurement running
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                done.set()
                raise
            wall = time.perf_counter() - t0
            # we reaped the child ourselves (wait4 gives its own rusage); tell Popen
            proc.returncode = os.waitstatus_to_exitcode(status) if status != -9 else -9
            done.set()
            poller.join()
        if proc.returncode != 0 or not out_file.exists():
            with open(log_path, "rb") as fh:
                fh.seek(offset)
                tail = fh.read().decode(errors="replace")[-4000:]
            why = " (killed: machine below 1 GiB available memory)" if peaks.get("oom") else ""
            raise TaskFailed(f"{task} exited with {proc.returncode}{why}:\n{tail}")
        result = json.loads(out_file.read_text())
    return TaskResult(
        result=result,
        wall_s=wall,
        peak_rss=int(usage.ru_maxrss) * 1024,  # Linux reports KiB
        tree_peak_rss=peaks["tree"],
        server_peak_rss=(peaks["server"] or None) if watch_pid else None,
        server_start_rss=server_start,
    )


# -- statistics ------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile ``q`` (0–100) of ``values``.

    Examples
    --------
    >>> percentile([1, 2, 3, 4], 50)
    2.5
    >>> percentile([10, 20, 30, 40, 50], 95)
    48.0
    """
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summarize(values: Iterable[float | None]) -> dict[str, Any] | None:
    """Median, min, max, IQR and n of the non-missing ``values`` (None when there are none).

    Examples
    --------
    >>> s = summarize([3.0, 1.0, 2.0])
    >>> s["median"], s["min"], s["max"], s["n"]
    (2.0, 1.0, 3.0, 3)
    """
    xs = [float(v) for v in values if v is not None]
    if not xs:
        return None
    return {
        "median": statistics.median(xs),
        "min": min(xs),
        "max": max(xs),
        "q1": percentile(xs, 25),
        "q3": percentile(xs, 75),
        "n": len(xs),
        "values": xs,
    }


def dir_bytes(path: str | Path) -> int:
    """Total size of the regular files under ``path`` (0 when it does not exist)."""
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    total = 0
    for dirpath, _, files in os.walk(p):
        for f in files:
            fp = os.path.join(dirpath, f)
            if not os.path.islink(fp):
                with contextlib.suppress(OSError):
                    total += os.path.getsize(fp)
    return total


# -- machine and versions ----------------------------------------------------------------

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    """CPU model, core counts, RAM, OS and Python of this machine."""
    return {
        "cpu": _cpu_model(),
        "cores_logical": psutil.cpu_count(logical=True),
        "cores_physical": psutil.cpu_count(logical=False),
        "ram_bytes": psutil.virtual_memory().total,
        "os": f"{platform.system()} {platform.release()}",
        "os_pretty": _os_pretty(),
        "python": platform.python_version(),
    }


def _os_pretty() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _pkg_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, Any]:
    """Versions of the packages the figures depend on (the Neo4j server's is added later)."""
    out = {name: _pkg_version(name) for name in
           ("ladybug", "neo4j", "networkx", "pandas", "pyarrow", "numpy", "pyvis", "streamlit",
            "psutil")}
    out["neo4j_driver"] = out.pop("neo4j")
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        out["java"] = (java.stderr or java.stdout).splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        out["java"] = None
    jars = sorted((ROOT / "neo4j-local" / "target" / "lib").glob("neo4j-kernel-*.jar"))
    out["neo4j_server_jar"] = jars[0].stem.removeprefix("neo4j-kernel-") if jars else None
    return out


def git_commit() -> str | None:
    """The checked-out commit, with ``-dirty`` when the work tree has changes."""
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=30, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                               text=True, timeout=30).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None
