"""GB 32100-2015 unified social credit code check character."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wushe.loaders.credit_code import (
    CHARSET,
    check_character,
    check_characters,
    is_valid_credit_code,
    make_credit_code,
    valid_credit_codes,
)


def test_standard_sample_checks_by_hand() -> None:
    # Sum of value*weight for 91350100M000100Y4 is 1640 (see the docstring);
    # 1640 mod 31 = 28 and 31 - 28 = 3.
    assert check_character("91350100M000100Y4") == "3"
    assert is_valid_credit_code("91350100M000100Y43")


def test_remainder_zero_gives_check_zero() -> None:
    # All zeros: sum 0, 31 - 0 = 31, which the standard maps to 0.
    assert make_credit_code("0" * 17) == "0" * 18


@pytest.mark.parametrize("code", [
    "91350100M000100Y44",   # wrong check character
    "91350100M000100Y4",    # 17 characters
    "91350100M000100Y430",  # 19 characters
    "91350100I000100Y43",   # I is not in the charset
    "",
])
def test_invalid_codes(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_lower_case_is_accepted() -> None:
    assert is_valid_credit_code("91350100m000100y43")


def test_bad_prefix_raises() -> None:
    with pytest.raises(ValueError, match="17 characters"):
        check_character("9135O100M000100Y4")


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_made_codes_validate_scalar_and_vectorised(prefix: str) -> None:
    code = make_credit_code(prefix)
    assert is_valid_credit_code(code)
    wrong = code[:17] + CHARSET[(CHARSET.index(code[17]) + 1) % 31]
    assert valid_credit_codes(pd.Series([code, wrong, "短"], dtype="str")).tolist() == [
        True, False, False]


@given(st.lists(st.text(alphabet=CHARSET, min_size=17, max_size=17), max_size=20))
def test_vectorised_check_characters_match_the_scalar_one(prefixes: list[str]) -> None:
    assert check_characters(prefixes).tolist() == [check_character(p) for p in prefixes]


@pytest.mark.parametrize("bad", ["91350100M000100Y", "91350100M000100Y44", "91350100I000100Y4",
                                 "9135010０M000100Y4"])
def test_vectorised_check_characters_reject_wrong_prefixes(bad: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        check_characters(["91350100M000100Y4", bad])
