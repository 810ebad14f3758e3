"""The app's defaults: this machine only, no traceback shown to users."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from wushe.app.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_checkout_config_binds_locally_and_hides_error_details():
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert conf["server"]["address"] == "127.0.0.1"
    assert conf["client"]["showErrorDetails"] == "none"


def _app_command(monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> list[str]:
    seen: list[list[str]] = []
    for k in ("STREAMLIT_SERVER_ADDRESS", "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("WUSHE_AUTOLOAD_SAMPLE", "0")  # `wushe app` sets it: restored after
    monkeypatch.setattr("os.execv", lambda exe, cmd: seen.append(cmd))
    result = CliRunner().invoke(cli, ["app", *args])
    assert result.exit_code == 0, result.output
    return seen[0]


def _flag(cmd: list[str], name: str) -> str:
    return cmd[cmd.index(name) + 1]


def test_wushe_app_listens_on_localhost_unless_told_otherwise(monkeypatch):
    cmd = _app_command(monkeypatch)
    assert _flag(cmd, "--server.address") == "127.0.0.1"
    assert _flag(cmd, "--client.showErrorDetails") == "none"
    assert _flag(_app_command(monkeypatch, "--address", "0.0.0.0"),
                 "--server.address") == "0.0.0.0"
    assert _flag(_app_command(monkeypatch, STREAMLIT_SERVER_ADDRESS="10.0.0.5"),
                 "--server.address") == "10.0.0.5"
