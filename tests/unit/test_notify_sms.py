"""SMS segment counting: GSM-7 and its extension, UCS-2 in UTF-16 units, parts never split."""

from __future__ import annotations

import random

import pytest

from services.notify.domain.sms import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    LIMITS,
    encoding,
    length,
    segments,
    split,
)


def utf16_units(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def width(part: str, enc: str) -> int:
    """A part's size in its message's encoding (a part of a UCS-2 text may be all GSM-7)."""
    if enc == "gsm7":
        return len(part) + sum(c in GSM7_EXTENSION for c in part)
    return utf16_units(part)


def test_the_alphabets_are_the_gsm_0338_tables():
    assert len(GSM7_BASIC) == 127  # 128 positions less the escape
    assert GSM7_EXTENSION == set("\f^{}\\[~]|€")
    assert not GSM7_BASIC & GSM7_EXTENSION
    assert "\x1b" not in GSM7_BASIC | GSM7_EXTENSION
    assert LIMITS == {"gsm7": (160, 153), "ucs2": (70, 67)}


@pytest.mark.parametrize(
    ("n", "parts"),
    [(1, 1), (159, 1), (160, 1), (161, 2), (305, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_is_160_alone_then_153_a_part(n, parts):
    assert segments("a" * n) == ("gsm7", parts)


@pytest.mark.parametrize(
    ("n", "parts"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_ucs2_is_70_alone_then_67_a_part(n, parts):
    assert segments("ж" * n) == ("ucs2", parts)


@pytest.mark.parametrize("c", sorted(GSM7_EXTENSION))
def test_each_extension_character_costs_two_septets(c):
    assert length(c) == 2
    assert segments(c * 80) == ("gsm7", 1)
    assert segments(c * 80 + "a") == ("gsm7", 2)
    assert segments("a" * 159 + c) == ("gsm7", 2)


def test_extension_characters_keep_the_text_in_gsm7():
    assert encoding("Harga {100} [Rp] ~ € ^ | \\") == "gsm7"


@pytest.mark.parametrize("c", ["ç", "’", "“", "\t", "ā", "ж", "中", "😀"])
def test_one_character_outside_gsm7_makes_it_all_ucs2(c):
    assert encoding("a" * 50 + c) == "ucs2"
    assert segments("a" * (70 - utf16_units(c)) + c) == ("ucs2", 1)
    assert segments("a" * (71 - utf16_units(c)) + c) == ("ucs2", 2)


def test_the_gsm7_letters_with_accents_stay_gsm7():
    assert encoding("èéùìòÇØøÅåÆæßÉÄÖÑÜäöñüà¡¿§£¥¤ΔΦΓΛΩΠΨΣΘΞ@$_\r\n") == "gsm7"


def test_an_emoji_is_two_utf16_units():
    assert length("😀") == 2
    assert segments("😀" * 35) == ("ucs2", 1)
    assert segments("😀" * 35 + "a") == ("ucs2", 2)
    assert segments("a" * 68 + "😀") == ("ucs2", 1)  # 70 units


def test_a_surrogate_pair_moves_whole_to_the_next_part():
    text = "a" * 66 + "😀" + "a" * 10
    enc, parts = split(text)
    assert enc == "ucs2"
    assert parts == ["a" * 66, "😀" + "a" * 10]
    for part in parts:  # re-encodable alone: no lone surrogate at a join
        part.encode("utf-16-le")


def test_an_escaped_character_moves_whole_to_the_next_part():
    enc, parts = split("a" * 152 + "€" + "a" * 10)
    assert (enc, parts) == ("gsm7", ["a" * 152, "€" + "a" * 10])


def test_unsplittable_pairs_can_cost_an_extra_part():
    # 306 septets would be two full parts, but 153 is odd: each part holds 76 euro signs.
    assert length("€" * 153) == 306
    assert segments("€" * 153) == ("gsm7", 3)
    assert segments("😀" * 67) == ("ucs2", 3)


def test_an_empty_text_is_one_segment():
    assert segments("") == ("gsm7", 1)
    assert split("") == ("gsm7", [""])


def test_parts_rejoin_to_the_text_and_never_exceed_a_part():
    rng = random.Random(17)
    alphabet = "ab €[😀ж\n"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
        enc, parts = split(text)
        assert "".join(parts) == text
        single, per_part = LIMITS[enc]
        if len(parts) > 1:
            assert all(0 < width(p, enc) <= per_part for p in parts)
        else:
            assert length(text) <= single
        assert segments(text) == (enc, len(parts))
