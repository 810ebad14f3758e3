"""A real local Neo4j Community 5.26 server for tests and local use.

neo4j.com downloads are not reachable from our machines or CI, so the server tarball is
not an option. Instead ``neo4j-local/`` is a tiny Maven project that depends on the
embedded Community edition (``org.neo4j:neo4j`` from Maven Central) and a main class,
``wushe.LocalNeo4j``, that opens the Bolt connector. Clients talk to it exactly as to a
packaged server: ``bolt://127.0.0.1:PORT``, no auth.

Python API::

    from wushe.graph.backends.neo4j_local import LocalNeo4j

    with LocalNeo4j(tmp_path / "neo4j") as server:      # builds on first use, then starts
        driver = neo4j.GraphDatabase.driver(server.uri)

Command line (the server detaches and keeps running after the command returns)::

    python -m wushe.graph.backends.neo4j_local build
    python -m wushe.graph.backends.neo4j_local start --data .wushe/neo4j [--port 7687] [--heap 1g]
    python -m wushe.graph.backends.neo4j_local stop --data .wushe/neo4j

The server refuses ``file:`` URLs in ``LOAD CSV``
(``dbms.security.allow_csv_import_from_file_urls=false``) and has no import directory, so no
statement can read its host's files (docs/security.md §4).

``start`` writes ``DIR/neo4j.pid`` and ``DIR/neo4j.uri``; the JVM's output goes to
``DIR/neo4j-local.log`` and Neo4j's own logs to ``DIR/logs/``.

Only the standard library is needed; the ``neo4j`` driver, when importable, is used to
confirm readiness with ``verify_connectivity()``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "JVM_FLAGS",
    "LocalNeo4j",
    "Neo4jServerError",
    "PROJECT_DIR",
    "READY_MARKER",
    "RunningServer",
    "build",
    "classpath",
    "detach",
    "java",
    "main",
    "running_server",
    "stop_pid",
]

#: the Maven project that builds the launcher (repo root / neo4j-local)
PROJECT_DIR = Path(__file__).resolve().parents[2] / "neo4j-local"
_TARGET = PROJECT_DIR / "target"
_JAR = _TARGET / "neo4j-local.jar"
_LIB = _TARGET / "lib"
_MAIN_CLASS = "wushe.LocalNeo4j"

#: printed by wushe.LocalNeo4j once the default database answers; keep in sync with the Java
READY_MARKER = "WUSHE_NEO4J_READY"

#: JVM flags taken from the ``server.jvm.additional`` entries of Neo4j 5.26's own neo4j.conf.
#: Left out on purpose: -XX:+AlwaysPreTouch (commits the whole heap up front: slower start,
#: no gain for a test server), -XX:+TrustFinalNonStaticFields (neo4j.conf says to drop it in
#: embedded mode, which this is) and the TLS/JFR/profiler tuning flags (no TLS, no profiling).
JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    # lets Netty use direct buffers without cleaners (needs java.nio opened, below)
    "-Dio.netty.tryReflectionSetAccessible=true",
    # Neo4j reaches into NIO/IO internals for the page cache and native I/O on Java 17
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    # a JVM limping on after an OOM would hang the tests; dying shows up at once
    "-XX:+ExitOnOutOfMemoryError",
)

_LOG_NAME = "neo4j-local.log"
_PID_NAME = "neo4j.pid"
_URI_NAME = "neo4j.uri"
_HOST = "127.0.0.1"


class Neo4jServerError(RuntimeError):
    """The local Neo4j server could not be built, started or stopped.

    The message ends with the tail of the relevant log so a CI failure explains itself.
    """


# --------------------------------------------------------------------------- build


def _sources() -> Iterator[Path]:
    yield PROJECT_DIR / "pom.xml"
    yield from (PROJECT_DIR / "src").rglob("*")


def _is_built() -> bool:
    """True when the jar and its libs exist and are newer than the pom and the sources."""
    if not _JAR.is_file() or not _LIB.is_dir() or not any(_LIB.glob("neo4j-*.jar")):
        return False
    jar_mtime = _JAR.stat().st_mtime
    return all(p.stat().st_mtime <= jar_mtime for p in _sources() if p.is_file())


def build(force: bool = False) -> Path:
    """Build ``neo4j-local`` with Maven unless it is already built; return ``target/``.

    The classpath is ``target/neo4j-local.jar`` plus ``target/lib/*`` (see :func:`classpath`).
    Fast (a few stat calls) when up to date; rebuilds when the pom or the Java changed.
    Safe to call from several processes at once: the build holds a file lock.
    """
    if not force and _is_built():
        return _TARGET
    mvn = os.environ.get("WUSHE_MVN") or shutil.which("mvn")
    if not mvn:
        raise Neo4jServerError("Maven ('mvn') is not on PATH; it is needed to build neo4j-local/")
    _TARGET.mkdir(parents=True, exist_ok=True)
    with open(_TARGET / ".build.lock", "w") as lock:
        # pytest-xdist workers or parallel CLI calls would otherwise run two Maven builds
        # into the same target/ and read half-copied jars.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and _is_built():  # another process built it while we waited
            return _TARGET
        cmd = [mvn, "-q", "-B", "package"]
        proc = subprocess.run(
            cmd, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        if proc.returncode != 0 or not _is_built():
            out = (proc.stdout + proc.stderr).strip()
            raise Neo4jServerError(
                f"'{' '.join(cmd)}' in {PROJECT_DIR} failed (exit {proc.returncode}):\n"
                + _tail_text(out)
            )
        # the sources' mtimes may equal the jar's on coarse clocks; touching keeps
        # _is_built() true until something really changes
        os.utime(_JAR)
    return _TARGET


def classpath() -> str:
    """The Java classpath for ``wushe.LocalNeo4j`` (builds first if needed)."""
    target = build()
    return os.pathsep.join([str(target / _JAR.name), str(target / "lib" / "*")])


# --------------------------------------------------------------------------- helpers


def _free_port() -> int:
    # Ask the kernel for a free port. Another process may take it before Java binds it;
    # LocalNeo4j.start() retries with a new port in that case.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((_HOST, 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def _tail_text(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _tail_file(path: Path, lines: int = 40, offset: int = 0) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except OSError:
        return ""
    return _tail_text(data.decode("utf-8", "replace"), lines)


def java() -> str:
    """The ``java`` executable (``$JAVA_HOME/bin/java`` first)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise Neo4jServerError("Java ('java') is not on PATH; Neo4j 5.26 needs Java 17 or 21")
    return java


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie still answers kill(0); treat it as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def _is_our_server(pid: int) -> bool:
    """Guards the pidfile against PID reuse: only signal a JVM running wushe.LocalNeo4j."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return _MAIN_CLASS.encode() in cmdline


def stop_pid(pid: int, timeout: float = 30.0) -> bool:
    """SIGTERM the server's process group, SIGKILL it after ``timeout`` s.

    Returns True if it stopped on SIGTERM (clean shutdown), False if it had to be killed.
    """
    # the JVM was started in its own session, so its pid is also its process group id
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    for _ in range(50):
        if not _pid_alive(pid):
            break
        time.sleep(0.1)
    return False


# --------------------------------------------------------------------------- server


class LocalNeo4j:
    """One local Neo4j server process; a context manager that starts and stops it.

    ``data_dir`` is Neo4j's home: the store goes to ``data_dir/data``, Neo4j's logs to
    ``data_dir/logs`` and the JVM's stdout/stderr to ``data_dir/neo4j-local.log``.
    Reusing a ``data_dir`` reopens the same graph.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        heap: str = "512m",
        pagecache: str = "256m",
        password: str | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        #: with a password the server runs with auth on (user ``neo4j``); default off
        self.password = password
        self._fixed_port = port is not None
        self.port: int = port if port is not None else _free_port()
        self.heap = heap
        self.pagecache = pagecache
        #: seconds from launching the JVM until Bolt answered (set by start())
        self.start_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # -- properties

    @property
    def uri(self) -> str:
        return f"bolt://{_HOST}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / _LOG_NAME

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self) -> list[str]:
        """The java command line that start() runs."""
        return [
            java(),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            f"-Dwushe.neo4j.pagecache={self.pagecache}",
            "-cp",
            classpath(),
            _MAIN_CLASS,
            str(self.data_dir),
            str(self.port),
        ]

    # -- lifecycle

    def start(self, timeout: float = 120.0) -> LocalNeo4j:
        """Launch the server and wait until it answers on Bolt; return self.

        Raises :class:`Neo4jServerError` with the log tail if it exits or is not ready
        within ``timeout`` seconds.
        """
        if self.running:
            return self
        build()  # outside the timed part: a cold build downloads ~120 MB
        self.data_dir.mkdir(parents=True, exist_ok=True)
        attempts = 1 if self._fixed_port else 3
        for attempt in range(attempts):
            try:
                self._start_once(timeout)
                return self
            except Neo4jServerError as e:
                # an auto-picked port can be taken between picking and binding: try another
                if attempt + 1 < attempts and "already in use" in str(e).lower():
                    self.port = _free_port()
                    continue
                raise
        raise AssertionError("unreachable")

    def _start_once(self, timeout: float) -> None:
        if _port_open(self.port):
            raise Neo4jServerError(f"port {self.port} on {_HOST} is already in use")
        cmd = self.command()
        t0 = time.monotonic()
        with open(self.log_path, "ab") as log:
            log.write(f"\n== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
            log.flush()
            # the log is appended to across restarts; only what this run writes counts
            log_offset = log.tell()
            env = dict(os.environ)
            env.pop("WUSHE_NEO4J_INITIAL_PASSWORD", None)
            if self.password:
                env["WUSHE_NEO4J_INITIAL_PASSWORD"] = self.password
            self._proc = subprocess.Popen(
                cmd,
                cwd=self.data_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # own session/process group: a Ctrl-C in the terminal does not hit the
                # server, stop() can signal the whole group, and the CLI can detach it
                start_new_session=True,
            )
        try:
            self._wait_ready(t0 + timeout, log_offset)
        except BaseException:
            self._kill_quietly()
            raise
        self.start_seconds = time.monotonic() - t0

    def _wait_ready(self, deadline: float, log_offset: int) -> None:
        assert self._proc is not None
        saw_marker = False
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise Neo4jServerError(self._failure(f"exited with code {code}", log_offset))
            if not saw_marker:
                saw_marker = READY_MARKER in _tail_file(self.log_path, 200, log_offset)
            # the marker says the database answered in-process; the Bolt check says
            # clients can reach it (port bound, protocol handshake works)
            if saw_marker and _port_open(self.port) and self._bolt_ok():
                return
            time.sleep(0.2)
        raise Neo4jServerError(self._failure("was not ready in time", log_offset))

    def _bolt_ok(self) -> bool:
        try:
            import neo4j  # optional: a TCP connect alone already passed
        except ImportError:
            return True
        try:
            auth = ("neo4j", self.password) if self.password else None
            with neo4j.GraphDatabase.driver(self.uri, auth=auth,
                                            connection_timeout=5.0) as driver:
                driver.verify_connectivity()
            return True
        except Exception:  # any failure here just means "not yet"
            return False

    def _failure(self, what: str, log_offset: int) -> str:
        msg = [f"Neo4j at {self.uri} (data {self.data_dir}) {what}."]
        out = _tail_file(self.log_path, 40, log_offset)
        msg.append(f"--- {self.log_path} (tail) ---\n{out or '(empty)'}")
        debug = _tail_file(self.data_dir / "logs" / "debug.log", 20)
        if debug:
            msg.append(f"--- {self.data_dir / 'logs' / 'debug.log'} (tail) ---\n{debug}")
        return "\n".join(msg)

    def _kill_quietly(self) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=10)
        self._proc = None

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (clean shutdown via the JVM's hook), then SIGKILL after ``timeout`` s."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self._proc = None

    def detach(self) -> int:
        """Forget the process without stopping it (the CLI's daemon mode); return its pid."""
        if self._proc is None:
            raise Neo4jServerError("not started")
        pid = self._proc.pid
        # mark the Popen as finished so its finalizer does not warn about a live child
        self._proc.returncode = 0
        self._proc = None
        return pid

    def __enter__(self) -> LocalNeo4j:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"pid {self.pid}" if self.running else "stopped"
        return f"LocalNeo4j({str(self.data_dir)!r}, {self.uri}, {state})"


# --------------------------------------------------------------------------- CLI


def _read_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / _PID_NAME).read_text().strip())
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class RunningServer:
    """A server that ``start`` detached: its pid, URI and the settings it runs with."""

    data_dir: Path
    pid: int
    uri: str
    #: ``heap``, ``pagecache`` and ``port`` as on its command line (to restart it alike)
    settings: dict[str, Any]

    def forget(self) -> None:
        """Remove the pid and URI files (after the server was stopped)."""
        for name in (_PID_NAME, _URI_NAME):
            (self.data_dir / name).unlink(missing_ok=True)


def running_server(data_dir: Path) -> RunningServer | None:
    """The detached server of ``data_dir`` when it is running, else None."""
    data_dir = Path(data_dir).resolve()
    pid = _read_pid(data_dir)
    if pid is None or not _pid_alive(pid) or not _is_our_server(pid):
        return None
    try:
        uri = (data_dir / _URI_NAME).read_text().strip()
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return None
    settings: dict[str, Any] = {"heap": "512m", "pagecache": "256m",
                                "port": int(uri.rsplit(":", 1)[-1])}
    for a in args:
        if a.startswith("-Xmx"):
            settings["heap"] = a[4:]
        elif a.startswith("-Dwushe.neo4j.pagecache="):
            settings["pagecache"] = a.split("=", 1)[1]
    return RunningServer(data_dir, pid, uri, settings)


def detach(server: LocalNeo4j) -> int:
    """Leave ``server`` running after this process ends; write its pid and URI files."""
    pid = server.detach()
    (server.data_dir / _PID_NAME).write_text(f"{pid}\n")
    (server.data_dir / _URI_NAME).write_text(f"{server.uri}\n")
    return pid


def _cmd_start(args: argparse.Namespace) -> int:
    data_dir = Path(args.data).resolve()
    running = running_server(data_dir)
    if running is not None:
        # idempotent: a second 'start' reports the running server instead of failing
        print(running.uri)
        return 0
    server = LocalNeo4j(data_dir, port=args.port, heap=args.heap, pagecache=args.pagecache)
    server.start(timeout=args.timeout)
    pid = detach(server)
    print(server.uri)
    print(
        f"started in {server.start_seconds:.1f}s (pid {pid}, log {server.log_path})",
        file=sys.stderr,
    )
    return 0


def _cmd_stop(args: argparse.Namespace) -> int:
    data_dir = Path(args.data).resolve()
    pid = _read_pid(data_dir)
    if pid is None or not _pid_alive(pid) or not _is_our_server(pid):
        print(f"no local Neo4j running for {data_dir}", file=sys.stderr)
    else:
        clean = stop_pid(pid, timeout=args.timeout)
        if not clean:
            print(f"pid {pid} did not stop within {args.timeout}s; killed", file=sys.stderr)
    for name in (_PID_NAME, _URI_NAME):
        (data_dir / name).unlink(missing_ok=True)
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    target = build(force=args.force)
    print(f"{target} ({time.monotonic() - t0:.1f}s)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m wushe.graph.backends.neo4j_local {build,start,stop}``."""
    parser = argparse.ArgumentParser(
        prog="python -m wushe.graph.backends.neo4j_local",
        description="Local Neo4j Community server (Maven Central build) for wushe.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build neo4j-local/ with Maven (no-op when up to date)")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_cmd_build)
    p = sub.add_parser("start", help="start a detached server; prints its bolt:// URI")
    p.add_argument("--data", required=True, help="server home: store, logs, pid and uri files")
    p.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
    p.add_argument("--heap", default="512m")
    p.add_argument("--pagecache", default="256m")
    p.add_argument("--timeout", type=float, default=120.0)
    p.set_defaults(func=_cmd_start)
    p = sub.add_parser("stop", help="stop the server started with --data DIR")
    p.add_argument("--data", required=True)
    p.add_argument("--timeout", type=float, default=30.0)
    p.set_defaults(func=_cmd_stop)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Neo4jServerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
