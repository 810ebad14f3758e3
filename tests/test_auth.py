"""Optional app login (password, named users with roles, OIDC), the analyst role, and
Neo4j credentials kept out of messages, logs and the page."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from wushe.graph.errors import WusheError

SECRET = "S3cr3t-pa55-xyz"


def _app() -> None:
    import streamlit as st

    from wushe.app.views import _auth

    if not _auth.login_required():
        st.stop()
    st.markdown(f"dashboard for role {_auth.current_role()}")
    _auth.require_role("analyst")
    st.markdown("console here")


def _texts(at: AppTest) -> str:
    """Everything the page renders (markdown, alerts, labels, widget values)."""
    return repr(at._tree)


def _run(monkeypatch, secrets: dict | None = None, **env: str) -> AppTest:
    for k in ("WUSHE_APP_PASSWORD", "WUSHE_RESTRICT_ANALYST"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    at = AppTest.from_function(_app, default_timeout=30)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    return at.run()


def _markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_without_login_config_everyone_is_an_analyst(monkeypatch):
    at = _run(monkeypatch)
    assert not at.exception
    assert _markdown(at) == ["dashboard for role analyst", "console here"]


def test_restrict_analyst_without_login_turns_the_console_off(monkeypatch):
    at = _run(monkeypatch, WUSHE_RESTRICT_ANALYST="1")
    assert _markdown(at) == ["dashboard for role viewer"]
    assert "仅限分析员" in at.error[0].value


def test_shared_password_from_env_gates_the_app(monkeypatch):
    at = _run(monkeypatch, WUSHE_APP_PASSWORD=SECRET)
    assert _markdown(at) == [] and len(at.text_input) == 1
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert _markdown(at) == [] and "不正确" in at.error[0].value
    at.text_input[0].input(SECRET)
    at.button[0].click().run()
    assert not at.exception
    assert _markdown(at) == ["dashboard for role analyst", "console here"]
    assert SECRET not in _texts(at)
    assert SECRET not in repr(at.session_state)


def test_named_users_get_their_roles_and_viewers_are_refused_the_console(monkeypatch):
    users = {"users": {"alice": {"password": "a-pass", "role": "analyst"},
                       "bob": {"password": "b-pass", "role": "viewer"}}}
    at = _run(monkeypatch, secrets={"auth": users}, WUSHE_RESTRICT_ANALYST="1")
    at.text_input[0].input("bob")
    at.text_input[1].input("b-pass")
    at.button[0].click().run()
    assert _markdown(at) == ["dashboard for role viewer"]
    assert "analyst" in at.error[0].value or "分析员" in at.error[0].value
    at2 = _run(monkeypatch, secrets={"auth": users})
    at2.text_input[0].input("alice")
    at2.text_input[1].input("b-pass")  # another user's password does not work
    at2.button[0].click().run()
    assert _markdown(at2) == []
    at2.text_input[0].input("alice")  # a failed login keeps nothing typed: type it again
    at2.text_input[1].input("a-pass")
    at2.button[0].click().run()
    assert _markdown(at2) == ["dashboard for role analyst", "console here"]
    assert "a-pass" not in _texts(at2)


def test_oidc_config_shows_single_sign_on_instead_of_the_app(monkeypatch):
    oidc = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c",
            "client_id": "wushe", "client_secret": "x",
            "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration"}
    at = _run(monkeypatch, secrets={"auth": oidc})
    assert _markdown(at) == []
    assert [b.label for b in at.button] == ["单点登录"]
    assert "x" not in [t.value for t in at.text_input]


# -- Neo4j credentials ------------------------------------------------------------------


@pytest.mark.store
def test_neo4j_password_never_appears_in_errors_or_logs(monkeypatch, caplog):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    monkeypatch.setenv("WUSHE_NEO4J_USER", "neo4j")
    monkeypatch.setenv("WUSHE_NEO4J_PASSWORD", SECRET)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(WusheError) as info:
        Neo4jStore.from_env("neo4j://127.0.0.1:9")  # nothing listens on port 9
    assert SECRET not in info.value.en and SECRET not in info.value.zh
    assert SECRET not in str(info.value) and SECRET not in caplog.text
    with pytest.raises(WusheError) as info:
        Neo4jStore.from_env(f"neo4j://neo4j:{SECRET}@127.0.0.1:9")
    assert SECRET not in info.value.en and SECRET not in info.value.zh
    assert "127.0.0.1:9" in info.value.en


@pytest.mark.neo4j
def test_neo4j_wrong_password_message_names_the_variables_not_the_value(neo4j_server,
                                                                       monkeypatch, caplog):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("WUSHE_NEO4J_PASSWORD", SECRET)
    try:
        store = Neo4jStore.from_env(neo4j_server.uri)  # the test server has auth off
    except WusheError as e:
        assert SECRET not in e.en and SECRET not in e.zh
    else:
        assert SECRET not in store.backend_id
        store.close()
    assert SECRET not in caplog.text


def _session_values(at: AppTest) -> str:
    """Every value held in session state, as text."""
    return repr({k: at.session_state[k] for k in at.session_state})


def test_a_failed_login_leaves_nothing_typed_in_session_state(monkeypatch):
    users = {"users": {"alice": {"password": "a-pass", "role": "analyst"}}}
    at = _run(monkeypatch, secrets={"auth": users})
    at.text_input[0].input("mallory-typed-name")
    at.text_input[1].input("typed-guess-123")
    at.button[0].click().run()
    assert "不正确" in at.error[0].value
    held = _session_values(at)
    assert "typed-guess-123" not in held and "mallory-typed-name" not in held
    assert "typed-guess-123" not in _texts(at)


def test_a_hashed_password_in_secrets_logs_in(monkeypatch):
    from argon2 import PasswordHasher

    hashed = PasswordHasher().hash(SECRET)
    users = {"users": {"alice": {"password": hashed, "role": "analyst"}}}
    at = _run(monkeypatch, secrets={"auth": users})
    at.text_input[0].input("alice")
    at.text_input[1].input(hashed)  # the hash itself is not the password
    at.button[0].click().run()
    assert "不正确" in at.error[0].value
    at.text_input[0].input("alice")
    at.text_input[1].input(SECRET)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert _markdown(at) == ["dashboard for role analyst", "console here"], (
        [e.value for e in at.error], _session_values(at))
    assert SECRET not in _session_values(at)
