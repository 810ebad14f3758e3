"""Embedded ad-hoc queries in worker processes: an engine crash ends a worker, not the app.

Ladybug runs inside the calling process, and some statements crash it (a segfault in
``CALL read_csv_serial(…)``, even under ``EXPLAIN``). Ad-hoc statements therefore run in
a small pool of worker processes, each holding a read-only connection to the live
database file. The parent enforces the limits:

* time: the engine's own query timeout, and a hard deadline (timeout + a grace period)
  after which the worker is killed;
* memory: the engine's buffer pool is capped, and the parent kills a worker whose
  resident memory passes the limit;
* crash: a worker that dies (signal, abort) is noticed at once (its pipe closes) and the
  caller gets :class:`~wushe.graph.errors.EngineCrashed`; the next query starts a new one.

A worker EXPLAINs the statement, checks the plan (``plan_guard.check_ladybug_plan``) and
only then runs it. Messages are length-prefixed pickles over the worker's stdin/stdout;
both ends are this package's own code.

Run as ``python -m wushe.graph.backends.ladybug_worker STORE_DIR BUFFER_POOL_BYTES``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

from wushe.graph.errors import EngineCrashed, QueryError, QueryRefused, WusheError

__all__ = ["WorkerPool", "GRACE_S", "timeout_error"]

#: How long past its timeout a worker may take before it is killed.
#: Largest database file, and so the address space one open database reserves. Ladybug's
#: default reserves 8 TiB per database: sixteen open stores fill a process's 128 TiB and the
#: next open fails ("Mmap … failed"). The full 15M province is under 2 GiB on disk.
MAX_DB_SIZE = 1 << 38  # 256 GiB

GRACE_S = 1.0
#: Polling step of the parent while it waits (crash and memory checks).
_POLL_S = 0.05
_HEADER = struct.Struct("!Q")
_READY = "ready"


def timeout_error(timeout_s: float, engine: str) -> QueryError:
    """The message both stores give when a query reaches its timeout."""
    return QueryError(
        f"stopped at the timeout of {timeout_s:g} s (已在 {timeout_s:g} 秒超时处停止)", engine)


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, store: Path, buffer_pool: int, start_timeout_s: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wushe.graph.backends.ladybug_worker", str(store),
             str(buffer_pool)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C meant for the CLI is handled by the parent
        )
        reply = self._receive(time.monotonic() + start_timeout_s, None)
        if reply != _READY:
            self.kill()
            raise EngineCrashed("The embedded engine's worker process did not start.",
                                "嵌入式引擎的工作进程未能启动。")

    def request(self, message: tuple[Any, ...], deadline: float, memory_limit: int | None
                ) -> Any:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(_HEADER.pack(len(data)) + data)  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]
        except (BrokenPipeError, OSError):
            raise _crashed(self.proc.poll()) from None
        return self._receive(deadline, memory_limit)

    def _receive(self, deadline: float, memory_limit: int | None) -> Any:
        fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        buf = bytearray()
        while True:
            now = time.monotonic()
            if now >= deadline:
                self.kill()
                raise _Deadline
            ready, _, _ = select.select([fd], [], [], min(_POLL_S, deadline - now))
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:  # the pipe closed: the worker is gone
                    raise _crashed(self.proc.wait())
                buf += chunk
                if len(buf) >= _HEADER.size:
                    (n,) = _HEADER.unpack_from(buf)
                    if len(buf) >= _HEADER.size + n:
                        return pickle.loads(bytes(buf[_HEADER.size:_HEADER.size + n]))
            elif self.proc.poll() is not None:
                raise _crashed(self.proc.returncode)
            elif memory_limit and _rss(self.proc.pid) > memory_limit:
                self.kill()
                raise EngineCrashed(
                    f"The query needed more than the memory limit of "
                    f"{memory_limit // 2**20} MB and was stopped.",
                    f"该查询所需内存超过上限 {memory_limit // 2**20} MB,已被停止。")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for f in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                f.close()  # type: ignore[union-attr]


class _Deadline(Exception):
    """Internal: the hard deadline passed and the worker was killed."""


class WorkerPool:
    """Up to ``size`` worker processes serving ad-hoc queries on one store folder.

    Parameters
    ----------
    store : Path
        The store folder (the worker opens ``store/<db_file>`` read-only).
    size : int, optional (default=2)
        Workers kept; more concurrent queries wait for a free one.
    buffer_pool_mb : int, optional (default=512)
        The engine's buffer pool in each worker.
    memory_limit_mb : int, optional (default=3072)
        Resident memory above which a worker is killed; 0 for no limit.
    """

    def __init__(self, store: Path, *, size: int = 2, buffer_pool_mb: int = 512,
                 memory_limit_mb: int = 3072, start_timeout_s: float = 60.0) -> None:
        self.store = Path(store)
        self.buffer_pool = buffer_pool_mb * 2**20
        self.memory_limit = memory_limit_mb * 2**20 or None
        self.start_timeout_s = start_timeout_s
        self._idle: list[_Worker] = []
        self._slots = threading.BoundedSemaphore(max(1, size))
        self._lock = threading.Lock()
        _POOLS.add(self)

    def run(self, db_file: str, cypher: str, params: Mapping[str, Any] | None, *,
            timeout_s: float, row_limit: int | None, engine: str = "Ladybug") -> pd.DataFrame:
        """EXPLAIN, check and run ``cypher`` in a worker; return its rows.

        Raises
        ------
        QueryRefused
            When the plan holds an operator or function off the allow-lists.
        QueryError
            When the engine rejects the statement or it reaches ``timeout_s``.
        EngineCrashed
            When the worker dies or passes the memory limit (the pool replaces it).
        """
        message = (db_file, cypher, dict(params or {}), int(timeout_s * 1000), row_limit)
        with self._slots:
            worker = self._take()
            try:
                reply = worker.request(message, time.monotonic() + timeout_s + GRACE_S,
                                       self.memory_limit)
            except _Deadline:
                raise timeout_error(timeout_s, engine) from None
            except BaseException:
                worker.kill()  # Ctrl-C or a crash: never reuse a worker mid-query
                raise
            self._give_back(worker)
        kind, value = reply
        if kind == "ok":
            return value
        if kind == "timeout":
            raise timeout_error(timeout_s, engine)
        if kind == "engine":
            raise QueryError(value, engine)
        if kind == "message":
            raise WusheError(*value)
        raise value

    def close(self) -> None:
        """Stop every idle worker (busy ones stop when their query ends)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for w in idle:
            w.kill()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                w = self._idle.pop()
                if w.alive():
                    return w
                w.kill()
        return _Worker(self.store, self.buffer_pool, self.start_timeout_s)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)


_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for pool in list(_POOLS):
        pool.close()


def _crashed(code: int | None) -> EngineCrashed:
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return EngineCrashed(
        f"The query crashed the embedded engine ({how}); it was stopped in its worker "
        "process and the app is unaffected. Rephrase the query (see queries/README.md).",
        f"该查询使嵌入式引擎崩溃({how});已在独立工作进程中停止,应用不受影响。"
        "请改写查询(见 queries/README.md)。")


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# -- the worker side ------------------------------------------------------------------


def _serve(store: Path, buffer_pool: int) -> None:
    """Answer requests from stdin until it closes."""
    import ladybug as lb

    from wushe.graph.backends.ladybug_store import _frame
    from wushe.graph.backends.plan_guard import check_ladybug_plan

    proto_in = sys.stdin.buffer
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the engine prints must not corrupt the protocol
    _send(proto_out, _READY)
    db = None
    db_file = None
    while True:
        message = _recv(proto_in)
        if message is None:
            return
        file, cypher, params, timeout_ms, row_limit = message
        try:
            if file != db_file:
                db = lb.Database(str(store / file), read_only=True, buffer_pool_size=buffer_pool,
                                 max_db_size=MAX_DB_SIZE)
                db_file = file
            conn = lb.Connection(db)
            conn.set_query_timeout(timeout_ms)
            plan = conn.execute("EXPLAIN " + cypher, params)
            if isinstance(plan, list):
                raise WusheError("Run one statement at a time.", "请一次只执行一条语句。")
            check_ladybug_plan(str(plan.get_next()[0]))
            plan.close()
            result = conn.execute(cypher, params)
            try:
                reply: tuple[str, Any] = ("ok", _frame(result, row_limit))
            finally:
                result.close()
        except (QueryRefused, QueryError) as e:  # these pickle whole (their __reduce__)
            reply = ("error", e)
        except WusheError as e:
            reply = ("message", (e.en, e.zh))
        except RuntimeError as e:
            msg = str(e)
            reply = ("timeout", msg) if "interrupted" in msg.lower() else ("engine", msg)
        _send(proto_out, reply)


def _send(out: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def _recv(inp: IO[bytes]) -> Any:
    head = inp.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (n,) = _HEADER.unpack(head)
    return pickle.loads(inp.read(n))


if __name__ == "__main__":
    _serve(Path(sys.argv[1]), int(sys.argv[2]))
