"""Masking of person names and salted hashing of sensitive values."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from wushe.loaders.privacy import (
    SALT_FILE,
    hash_sensitive,
    hash_series,
    mask_name,
    mask_names,
    resolve_salt,
)


@pytest.mark.parametrize(("name", "masked"), [
    ("张明", "张*"), ("张小明", "张*明"), ("欧阳晓明", "欧**明"), ("司马相如君", "司***君"),
    ("张", "*"), ("张*明", "张*明"), ("", ""),
])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_names_keeps_missing_and_index() -> None:
    out = mask_names(pd.Series(["李华", None], index=[7, 9], dtype="str"))
    assert out.index.tolist() == [7, 9]
    assert out.iloc[0] == "李*" and pd.isna(out.iloc[1])


def test_hash_is_salted_sha256_of_normalised_value() -> None:
    want = "sha256:" + hashlib.sha256(b"salt" + b"13800000000").hexdigest()
    assert hash_sensitive("138-0000-0000", b"salt") == want
    assert hash_sensitive("１３８00000000", "salt") == want  # full-width digits folded
    assert hash_sensitive("13800000000", b"pepper") != want
    # ID numbers ending in x and X are the same number.
    assert hash_sensitive("33010619900101123x", b"s") == hash_sensitive("33010619900101123X",
                                                                        b"s")


def test_hash_series_matches_scalar_and_skips_empty() -> None:
    s = pd.Series(["13800000000", "", None, hash_sensitive("1", b"s")], dtype="str")
    out = hash_series(s, b"s")
    assert out.iloc[0] == hash_sensitive("13800000000", b"s")
    assert out.iloc[1] == "" and pd.isna(out.iloc[2])
    assert out.iloc[3] == hash_sensitive("1", b"s")  # already hashed: unchanged


def test_salt_from_env_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUSHE_SALT", "from-env")
    assert resolve_salt(tmp_path) == b"from-env"
    assert not (tmp_path / SALT_FILE).exists()


def test_salt_lives_outside_the_store_created_once_and_private(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WUSHE_SALT", raising=False)
    monkeypatch.setenv("WUSHE_CONFIG_DIR", str(tmp_path / "config"))
    first = resolve_salt(tmp_path / "store")
    assert len(first) == 64
    assert resolve_salt(tmp_path / "store") == first
    assert not (tmp_path / "store" / SALT_FILE).exists()
    assert (tmp_path / "config" / SALT_FILE).read_bytes().strip() == first
    assert os.stat(tmp_path / "config" / SALT_FILE).st_mode & 0o777 == 0o600
    assert resolve_salt(tmp_path / "other") == first  # one salt per user, not per store


def test_a_salt_left_in_a_store_folder_moves_out_and_keeps_its_hashes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WUSHE_SALT", raising=False)
    monkeypatch.setenv("WUSHE_CONFIG_DIR", str(tmp_path / "config"))
    old = tmp_path / "old-store"
    old.mkdir()
    (old / SALT_FILE).write_text("legacy-salt")
    assert resolve_salt(old) == b"legacy-salt"
    assert not (old / SALT_FILE).exists()
    assert (tmp_path / "config" / SALT_FILE).read_bytes().strip() == b"legacy-salt"
    assert os.stat(tmp_path / "config" / SALT_FILE).st_mode & 0o777 == 0o600
    # a second old store with another salt keeps using its own (its hashes stay valid)
    other = tmp_path / "other-store"
    other.mkdir()
    (other / SALT_FILE).write_text("other-salt")
    assert resolve_salt(other) == b"other-salt"
    assert resolve_salt(tmp_path / "new-store") == b"legacy-salt"
