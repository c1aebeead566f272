"""The family VA: 88888 (89888 for Mandiri) + the last 11 digits of the head's card number."""

from __future__ import annotations

import pytest

from common.errors import InvalidInput, NotFound
from services.billing.domain.virtual_account import (
    ParsedVa,
    parse_virtual_account,
    virtual_account,
)

CARD = "0001944358911"


def test_the_programme_example() -> None:
    assert virtual_account(CARD) == "8888801944358911"


@pytest.mark.parametrize(("channel", "va"), [("mandiri", "8988801944358911"),
                                             ("MANDIRI", "8988801944358911"),
                                             (" Mandiri ", "8988801944358911"),
                                             ("default", "8888801944358911")])
def test_channels(channel: str, va: str) -> None:
    assert virtual_account(CARD, channel) == va
    assert len(va) == 16


@pytest.mark.parametrize("card", ["000194435891", "00019443589111", "000194435891a", "",
                                  "0001 944358911", "000194435891١", "０００1944358911", None])
def test_card_number_must_be_13_digits(card: str) -> None:
    with pytest.raises(InvalidInput) as e:
        virtual_account(card)
    assert e.value.fields == ("card_number",)
    assert str(card) not in str(e.value) or not card  # never echoes the number


@pytest.mark.parametrize("channel", ["bri2", "", "qris", None])
def test_unknown_channel(channel: str) -> None:
    with pytest.raises(InvalidInput) as e:
        virtual_account(CARD, channel)
    assert e.value.fields == ("channel",)


@pytest.mark.parametrize("channel", ["default", "mandiri"])
def test_parse_round_trip(channel: str) -> None:
    assert parse_virtual_account(virtual_account(CARD, channel)) == ParsedVa(
        channel, "01944358911")


@pytest.mark.parametrize("va", ["7888801944358911", "888880194435891", "88888019443589111",
                                "888880194435891x", "", "8888801944358911 ", None])
def test_parse_refuses_with_not_found(va: str) -> None:
    with pytest.raises(NotFound) as e:
        parse_virtual_account(va)
    assert e.value.fields == ("va",)
