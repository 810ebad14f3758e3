"""Optional login for the app, and the analyst role for the console and data upload.

Configuration (none of it is needed for a local, single-user app):

- one shared password: environment ``WUSHE_APP_PASSWORD`` or ``st.secrets["auth"]["password"]``
  (whoever knows it is an analyst);
- named users: ``[auth.users.NAME]`` tables in ``.streamlit/secrets.toml`` with ``password``
  and ``role`` (``"viewer"`` or ``"analyst"``);
- single sign-on (OIDC): an ``[auth]`` section with Streamlit's ``st.login`` settings
  (``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
  ``server_metadata_url``, or ``[auth.PROVIDER]`` subsections); ``auth.analysts`` lists the
  e-mail addresses that get the analyst role, everybody else is a viewer;
- ``WUSHE_RESTRICT_ANALYST=1`` limits the Cypher console and data upload to analysts (a
  deployment without any login then has no analyst, so both are off).

Passwords may be stored hashed: a value starting with ``$argon2`` (make one with
``wushe password-hash``) is verified with argon2-cffi; any other value is a plain-text
password, compared with :func:`hmac.compare_digest`. Nothing typed into the login form is
rendered, logged or kept in session state (after a login only the user name and role are;
after a failed one, nothing).

Use in a page::

    from wushe.app.views import _auth
    if not _auth.login_required():
        st.stop()
    _auth.require_role("analyst")   # console / data upload
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from wushe.app.views._i18n import tr

__all__ = [
    "PASSWORD_ENV",
    "RESTRICT_ENV",
    "ROLES",
    "current_user",
    "analyst_restricted",
    "current_role",
    "login_required",
    "logout",
    "require_role",
]

PASSWORD_ENV = "WUSHE_APP_PASSWORD"
RESTRICT_ENV = "WUSHE_RESTRICT_ANALYST"
ROLES = ("viewer", "analyst")
_KEY = "_wushe_login"  # session state: {"user": str, "role": str}
_OIDC_KEYS = {"client_id", "server_metadata_url", "redirect_uri"}


def _auth_secrets() -> Mapping[str, Any]:
    """``st.secrets["auth"]``, or an empty mapping when there are no secrets."""
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return {}
    return section if isinstance(section, Mapping) else {}


def _uses_oidc(auth: Mapping[str, Any]) -> bool:
    if _OIDC_KEYS & set(auth):
        return True
    return any(isinstance(v, Mapping) and "client_id" in v for k, v in auth.items()
               if k != "users")


def _users(auth: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """name -> (password, role) from ``[auth.users.NAME]``."""
    out = {}
    for name, entry in dict(auth.get("users", {}) or {}).items():
        if isinstance(entry, Mapping) and entry.get("password"):
            role = str(entry.get("role", "viewer"))
            out[str(name)] = (str(entry["password"]), role if role in ROLES else "viewer")
    return out


def _shared_password(auth: Mapping[str, Any]) -> str | None:
    return os.environ.get(PASSWORD_ENV) or (str(auth["password"]) if auth.get("password")
                                           else None)


def _logged_in() -> bool:
    """Whether single sign-on has a user (``st.user`` lacks the key when auth is off)."""
    return bool(st.user.get("is_logged_in", False))


def _same(given: str, expected: str) -> bool:
    """Whether ``given`` is the password ``expected`` holds (an argon2 hash or plain text)."""
    if expected.startswith("$argon2"):
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return PasswordHasher().verify(expected, given)
        except (VerificationError, InvalidHashError):
            return False
    return hmac.compare_digest(given.encode(), expected.encode())


def analyst_restricted() -> bool:
    """Whether ``WUSHE_RESTRICT_ANALYST=1`` limits console and upload to analysts."""
    return os.environ.get(RESTRICT_ENV, "").strip().lower() in {"1", "true", "yes"}


def login_required() -> bool:
    """Show the login when one is configured; True when the visitor may see the app.

    Returns
    -------
    bool
        True without any login configured, or once logged in; False while the login
        form (or the single sign-on button) is shown — the caller then calls ``st.stop()``.
    """
    auth = _auth_secrets()
    if _uses_oidc(auth):
        if _logged_in():
            return True
        st.info(tr("请登录后使用。", "Please log in to continue."))
        if st.button(tr("单点登录", "Log in (single sign-on)"), key="_wushe_sso"):
            st.login()
        return False
    users, shared = _users(auth), _shared_password(auth)
    if not users and not shared:
        return True
    if st.session_state.get(_KEY):
        return True
    # clear_on_submit: the browser and session state drop what was typed after each try
    with st.form("_wushe_login_form", clear_on_submit=True):
        st.subheader(tr("登录", "Log in"))
        name = st.text_input(tr("用户名", "User name"), key="_wushe_user") if users else ""
        password = st.text_input(tr("密码", "Password"), type="password", key="_wushe_pw")
        submitted = st.form_submit_button(tr("登录", "Log in"))
    if not submitted:
        return False
    for key in ("_wushe_pw", "_wushe_user"):  # nothing typed stays, whatever the outcome
        st.session_state.pop(key, None)
    entry = users.get(name.strip()) if users else None
    if entry is not None and _same(password, entry[0]):
        st.session_state[_KEY] = {"user": name.strip(), "role": entry[1]}
    elif shared is not None and (not users or not name.strip()) and _same(password, shared):
        st.session_state[_KEY] = {"user": "", "role": "analyst"}
    else:
        del password, name
        st.error(tr("用户名或密码不正确。", "Wrong user name or password."))
        return False
    st.rerun()
    return True  # pragma: no cover - st.rerun() does not return


def current_role() -> str:
    """``"analyst"`` or ``"viewer"`` for the current visitor.

    Without any login configured everybody is an analyst, unless
    ``WUSHE_RESTRICT_ANALYST=1`` (then nobody is).
    """
    auth = _auth_secrets()
    if _uses_oidc(auth):
        if not _logged_in():
            return "viewer"
        email = str(st.user.get("email") or "").lower()
        analysts = {str(a).lower() for a in auth.get("analysts", []) or []}
        return "analyst" if email and email in analysts else "viewer"
    login = st.session_state.get(_KEY)
    if login:
        return str(login["role"])
    if _users(auth) or _shared_password(auth):
        return "viewer"
    return "viewer" if analyst_restricted() else "analyst"


def require_role(role: str = "analyst") -> None:
    """Stop the page with a bilingual refusal unless the visitor has ``role``.

    The analyst role is only enforced when ``WUSHE_RESTRICT_ANALYST=1`` or a login is
    configured; an open single-user app lets everyone use the console.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if ROLES.index(current_role()) >= ROLES.index(role):
        return
    st.error(tr("此功能仅限分析员角色使用。如需使用,请联系管理员。",
                "This part of the app is limited to the analyst role; ask your "
                "administrator for access."))
    st.stop()


def logout() -> None:
    """Forget the login (password mode) or log out of single sign-on."""
    st.session_state.pop(_KEY, None)
    if _uses_oidc(_auth_secrets()) and _logged_in():
        st.logout()


def current_user() -> str:
    """The logged-in user's name or e-mail ("" without a login): recorded with each load."""
    if _uses_oidc(_auth_secrets()) and _logged_in():
        return str(st.user.get("email") or st.user.get("name") or "")
    login = st.session_state.get(_KEY)
    return str(login.get("user") or "") if login else ""
