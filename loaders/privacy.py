"""Personal data on import: masked person names, salted hashes for phone and ID numbers.

The policy data (志愿者、社会工作者) is about people, so the loader keeps only what analysis
needs. Properties with the schema check ``person_name`` are masked (张*明) unless the
deployment is authorised to show full names (``WUSHE_SHOW_FULL_NAMES=1``); properties with
the check ``sensitive`` are never stored in clear but as ``sha256:<hex>`` of a secret salt
plus the normalised value, so two records with the same phone number still match.

The salt comes from the environment variable ``WUSHE_SALT`` or, failing that, from a file
``salt`` in the store folder (created with a random value on first use). Keep it secret and
keep it stable: a new salt makes new hashes that no longer match the old ones.
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
    "SALT_ENV",
    "SALT_FILE",
    "SHOW_NAMES_ENV",
    "hash_sensitive",
    "hash_series",
    "mask_name",
    "mask_names",
    "resolve_salt",
    "show_full_names",
]

SALT_ENV = "WUSHE_SALT"
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


def resolve_salt(store_folder: str | Path | None = None) -> bytes:
    """Return the salt for :func:`hash_sensitive`.

    Parameters
    ----------
    store_folder : str or Path, optional
        The embedded store's folder. Without ``WUSHE_SALT`` the salt is kept in
        ``store_folder/salt`` (created, mode 600, on first use).

    Returns
    -------
    bytes
        ``WUSHE_SALT`` if set; else the store folder's salt; else a salt that lives as long
        as this process (hashes then match only within one run).
    """
    env = os.environ.get(SALT_ENV, "")
    if env:
        return env.encode()
    if store_folder is None:
        return _PROCESS_SALT
    folder = Path(store_folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SALT_FILE
    try:
        # O_EXCL: two concurrent first loads must not write two different salts.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_bytes().strip()


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


