"""`wushe app` is the Streamlit server itself: stopping it stops the server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from browser_util import free_port

pytestmark = pytest.mark.slow


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_to_wushe_app_leaves_no_server(tmp_path: Path):
    port = free_port()
    wushe = shutil.which("wushe", path=str(Path(sys.executable).parent)) or shutil.which("wushe")
    assert wushe, "the wushe console script is installed with the package"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "STREAMLIT_SERVER_HEADLESS": "true"}
    proc = subprocess.Popen([wushe, "app", "--port", str(port), "--no-sample",
                             "--store", str(tmp_path / "store")], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert proc.poll() is None, "wushe app exited before serving"
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.3)
        # The process we started is the server (exec), so it is what holds the port.
        family = {psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)}
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        gone, alive = psutil.wait_procs(list(family), timeout=10)
        assert alive == []
        assert not _listening(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
