"""Unified social credit code (统一社会信用代码) check character, GB 32100-2015.

A code has 18 characters from the 31-character set ``0-9 A-H J-N P-R T-U W-Y`` (no I, O,
Z, S, V). Characters 1-17 carry the registration authority, type, division code and the
organization's body code; character 18 is a check character computed modulo 31.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "CHARSET",
    "WEIGHTS",
    "check_character",
    "check_characters",
    "is_valid_credit_code",
    "make_credit_code",
    "valid_credit_codes",
]

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_VALUE = {c: i for i, c in enumerate(CHARSET)}
# Byte -> character value, -1 for bytes outside the charset (used by the vectorised check).
_LOOKUP = np.full(256, -1, dtype=np.int64)
for _c, _i in _VALUE.items():
    _LOOKUP[ord(_c)] = _i


def check_character(prefix17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a code.

    Parameters
    ----------
    prefix17 : str
        The first 17 characters, upper case, from :data:`CHARSET`.

    Returns
    -------
    str
        The 18th character.

    Raises
    ------
    ValueError
        If ``prefix17`` is not 17 characters from the charset.

    Notes
    -----
    check = 31 - (sum of value(c_i) * w_i) mod 31, where 31 becomes 0 and values index
    :data:`CHARSET`. Worked example for ``91350100M000100Y4`` (the standard's sample):
    9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8
    + 0·24 + 0·10 + Y(30)·30 + 4·28 = 9+3+27+135+26+420+8+900+112 = 1640;
    1640 mod 31 = 28; 31 - 28 = 3, so the check character is ``3``.

    Examples
    --------
    >>> check_character("91350100M000100Y4")
    '3'
    """
    if len(prefix17) != 17 or any(c not in _VALUE for c in prefix17):
        raise ValueError(f"need 17 characters from {CHARSET}, got {prefix17!r}")
    total = sum(_VALUE[c] * w for c, w in zip(prefix17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Whether ``code`` is an 18-character code with a correct check character.

    Lower-case letters are accepted (the loader stores codes upper-cased).

    Examples
    --------
    >>> is_valid_credit_code("91350100M000100Y43")
    True
    >>> is_valid_credit_code("91350100M000100Y44")
    False
    >>> is_valid_credit_code("91350100M000100Y4")
    False
    """
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _VALUE for c in code):
        return False
    return check_character(code[:17]) == code[17]


def make_credit_code(prefix17: str) -> str:
    """Complete ``prefix17`` with its check character (used by the synthetic generator).

    Examples
    --------
    >>> make_credit_code("51330106MJ0000001")
    '51330106MJ0000001T'
    """
    return prefix17 + check_character(prefix17)


def _check_values(values: np.ndarray) -> np.ndarray:
    """Check-character values of an (n, ≥17) array of character values (first 17 used)."""
    total = (values[:, :17] * np.array(WEIGHTS, dtype=np.int64)).sum(axis=1)
    return (31 - total % 31) % 31


def check_characters(prefix17: Sequence[str]) -> np.ndarray:
    """Vectorised :func:`check_character`: the check character of each 17-character prefix.

    Parameters
    ----------
    prefix17 : sequence of str
        First 17 characters of each code, upper case, from :data:`CHARSET`.

    Returns
    -------
    numpy.ndarray
        One check character (``str``) per prefix.

    Raises
    ------
    ValueError
        If a prefix is not 17 characters from the charset.

    Examples
    --------
    >>> check_characters(["91350100M000100Y4", "51330106MJ0000001"]).tolist()
    ['3', 'T']
    """
    prefixes = list(prefix17)
    # Checked before the fixed-width conversion, which would truncate longer strings.
    if any(len(p) != 17 or not p.isascii() for p in prefixes):
        raise ValueError(f"need 17 characters from {CHARSET} in every prefix")
    raw = np.array(prefixes, dtype="S17").view(np.uint8).reshape(len(prefixes), 17)
    values = _LOOKUP[raw]
    if (values < 0).any():
        raise ValueError(f"need 17 characters from {CHARSET} in every prefix")
    return np.array(list(CHARSET))[_check_values(values)]


def valid_credit_codes(codes: pd.Series) -> np.ndarray:
    """Vectorised :func:`is_valid_credit_code` over upper-cased, stripped strings.

    Returns a boolean array aligned with ``codes``.

    Examples
    --------
    >>> valid_credit_codes(pd.Series(["91350100M000100Y43", "X", "91350100M000100Y44"])).tolist()
    [True, False, False]
    """
    out = np.zeros(len(codes), dtype=bool)
    lengths = codes.str.len().to_numpy(dtype=np.int64, na_value=0)
    ascii_ = codes.str.isascii().to_numpy(dtype=bool, na_value=False)
    idx = np.flatnonzero((lengths == 18) & ascii_)
    if len(idx) == 0:
        return out
    raw = np.array(codes.iloc[idx].tolist(), dtype="S18").view(np.uint8).reshape(-1, 18)
    values = _LOOKUP[raw]
    in_set = (values >= 0).all(axis=1)
    out[idx] = in_set & (_check_values(values) == values[:, 17])
    return out
