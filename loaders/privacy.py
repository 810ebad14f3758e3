"""Personal data on import: masked person names, salted hashes for phone and ID numbers.

The policy data (志愿者、社会工作者) is about people, so the loader keeps only what analysis
needs. Properties with the schema check ``person_name`` are masked (张*明) unless the
deployment is authorised to show full names (``WUSHE_SHOW_FULL_NAMES=1``); properties with
the check ``sensitive`` are never stored in clear but as ``sha256:<hex>`` of a secret salt
plus the normalised value, so two records with the same phone number still match.

The salt comes from the environment variable ``WUSHE_SALT`` or, failing that, from the
file ``salt`` in the user's configuration folder (``$WUSHE_CONFIG_DIR``, else
``$XDG_CONFIG_HOME/wushe``, else ``~/.config/wushe``; created with a random value and mode
0600 on first use). It is never kept in the store folder: a store folder is copied, backed
up and handed around, and whoever holds both the hashes and the salt can recover a phone
number from its hash by trying all of them. Keep the salt secret and keep it stable: a new
salt makes new hashes that no longer match the old ones.

Stores made before this rule kept ``salt`` in their folder. The first load or query that
resolves the salt moves that file to the configuration folder when there is none there yet;
if the configuration folder already holds a different salt, the store's own salt is used for
that store (its hashes stay valid) until it is moved by hand (docs/security.md, migration).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "HASH_PREFIX",
    "CONFIG_ENV",
    "SALT_ENV",
    "SALT_FILE",
    "config_dir",
    "SHOW_NAMES_ENV",
    "hash_sensitive",
    "hash_series",
    "mask_name",
    "mask_names",
    "resolve_salt",
    "show_full_names",
]

SALT_ENV = "WUSHE_SALT"
CONFIG_ENV = "WUSHE_CONFIG_DIR"
SHOW_NAMES_ENV = "WUSHE_SHOW_FULL_NAMES"
SALT_FILE = "salt"
HASH_PREFIX = "sha256:"

_HASHED = re.compile(r"^sha256:[0-9a-f]{64}$")
_DROP = re.compile(r"[\s\-()]")
# A random salt for callers that give neither WUSHE_SALT nor a store folder: hashes are
# then stable within this process only.
_PROCESS_SALT = secrets.token_hex(32).encode()


def show_full_names() -> bool:
    """Whether ``WUSHE_SHOW_FULL_NAMES=1`` asks to keep person names unmasked."""
    return os.environ.get(SHOW_NAMES_ENV, "").strip().lower() in {"1", "true", "yes"}


def config_dir() -> Path:
    """The user's wushe configuration folder (``$WUSHE_CONFIG_DIR``, XDG, ``~/.config``)."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base).expanduser() / "wushe"


def resolve_salt(store_folder: str | Path | None = None) -> bytes:
    """Return the salt for :func:`hash_sensitive`.

    Parameters
    ----------
    store_folder : str or Path, optional
        The store's folder: only looked at for a salt file left there by an older wushe,
        which is moved out (see the module docstring).

    Returns
    -------
    bytes
        ``WUSHE_SALT`` if set; else the configuration folder's salt (created, mode 600, on
        first use); without a store folder and with no salt file yet, a salt that lives as
        long as this process.
    """
    env = os.environ.get(SALT_ENV, "")
    if env:
        return env.encode()
    user = config_dir() / SALT_FILE
    legacy = Path(store_folder) / SALT_FILE if store_folder is not None else None
    if legacy is not None and legacy.is_file():
        return _adopt_legacy(legacy, user)
    if store_folder is None and not user.is_file():
        return _PROCESS_SALT
    return _read_or_create(user)


def _read_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        # O_EXCL: two concurrent first loads must not write two different salts.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def _adopt_legacy(legacy: Path, user: Path) -> bytes:
    """Move a salt kept in a store folder (older wushe) to the configuration folder."""
    salt = legacy.read_bytes().strip()
    if not user.is_file():
        user.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(user, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(salt + b"\n")
    if user.is_file() and user.read_bytes().strip() == salt:
        legacy.unlink(missing_ok=True)
        return salt
    # A different salt is already configured: this store's hashes were made with its own.
    return salt


def _normalise_sensitive(value: str) -> str:
    """NFKC, drop spaces, dashes and brackets, upper-case (ID numbers end in X or x)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", value)).upper()


def hash_sensitive(value: str, salt: bytes | str) -> str:
    """Return ``sha256:<hex>`` of ``salt`` + the normalised ``value``.

    Values that already are such hashes are returned unchanged, so re-importing an export
    does not hash twice.

    Parameters
    ----------
    value : str
        A phone number, ID number or other sensitive text.
    salt : bytes or str
        The deployment's secret salt (see :func:`resolve_salt`).

    Examples
    --------
    >>> hash_sensitive("138 0000 0000", b"s") == hash_sensitive("13800000000", b"s")
    True
    >>> hash_sensitive("13800000000", b"s")[:15]
    'sha256:8a70119f'
    >>> h = hash_sensitive("13800000000", b"s"); hash_sensitive(h, b"other") == h
    True
    """
    if _HASHED.match(value):
        return value
    if isinstance(salt, str):
        salt = salt.encode()
    digest = hashlib.sha256(salt + _normalise_sensitive(value).encode()).hexdigest()
    return HASH_PREFIX + digest


def hash_series(values: pd.Series, salt: bytes | str) -> pd.Series:
    """:func:`hash_sensitive` over the non-empty entries of ``values`` (others unchanged)."""
    if isinstance(salt, str):
        salt = salt.encode()
    base = hashlib.sha256(salt)
    s = values.astype("str")
    todo = (s.notna() & (s != "") & ~s.str.match(_HASHED.pattern).astype(bool)).to_numpy()
    if not todo.any():
        return s
    # Normalise vectorised (NFKC only where non-ASCII); only the hashing loops in Python.
    t = s[todo]
    non_ascii = ~t.str.isascii().to_numpy(dtype=bool)
    if non_ascii.any():
        t = t.copy()
        t[non_ascii] = [unicodedata.normalize("NFKC", v) for v in t[non_ascii].tolist()]
    t = t.str.replace(_DROP.pattern, "", regex=True).str.upper()
    hashed = []
    for v in t.tolist():
        h = base.copy()
        h.update(v.encode())
        hashed.append(HASH_PREFIX + h.hexdigest())
    # Combine by alignment: assigning into a masked Arrow-backed column is slow.
    hashed_s = pd.Series(hashed, index=t.index, dtype="str")
    if todo.all():
        return hashed_s
    pos = pd.RangeIndex(len(s))
    full = pd.Series(hashed, index=pos[todo], dtype="str").reindex(pos)
    return pd.Series(np.where(todo, full.to_numpy(dtype=object), s.to_numpy(dtype=object)),
                     index=s.index, dtype="str")


def mask_name(name: str) -> str:
    """Mask a person's name: keep the first and last character.

    Examples
    --------
    >>> [mask_name(n) for n in ["张", "张明", "张小明", "欧阳晓明", "张*明"]]
    ['*', '张*', '张*明', '欧**明', '张*明']
    """
    return mask_names(pd.Series([name], dtype=object)).iloc[0]


def mask_names(names: pd.Series) -> pd.Series:
    """Vectorised :func:`mask_name`; empty and missing entries stay as they are.

    Masking is idempotent: a masked name masks to itself.
    """
    s = names.astype("str")
    n = s.str.len().fillna(0).to_numpy(dtype=np.int64)
    if len(n) == 0:
        return s
    stars = np.array(["*" * k for k in range(int(n.max()) + 1)], dtype=object)
    middle = pd.Series(stars[np.clip(n - 2, 0, None)], index=s.index, dtype="str")
    long_ = s.str[:1] + middle + s.str[-1:]
    two = s.str[:1] + "*"
    out = long_.where(n >= 3, two.where(n == 2, s.where(n != 1, "*")))
    return out.astype("str")


