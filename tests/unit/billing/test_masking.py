"""Masked names for the bank inquiry: recognisable, never the full name."""

from __future__ import annotations

import pytest

from services.billing.domain.masking import MASK, mask_name, mask_word


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("HENDRA SAPUTRA", "HE**** SA*****"),
        ("Hendra Saputra", "HE**** SA*****"),
        ("  rina   marlina ", "RI** MA*****"),
        ("Suparman", "SU******"),
        ("M. Yusuf", "M* YU***"),
        ("Nur Aini", "N** AI**"),
        ("I Gede Made", "* GE** MA**"),
        ("Ani", "A**"),
        ("Ma'ruf", "MA****"),
        ("Dévi", "DÉ**"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize("length", range(1, 20))
def test_no_word_is_ever_shown_whole(length: int) -> None:
    word = "ABCDEFGHIJKLMNOPQRS"[:length]
    masked = mask_word(word)
    assert len(masked) == length
    shown = masked.rstrip(MASK)
    assert word.startswith(shown)
    assert len(shown) <= min(2, length // 2)
    assert masked != word


def test_combining_marks_count_as_one_letter() -> None:
    assert mask_name("De\u0301vi") == mask_name("Dévi")
