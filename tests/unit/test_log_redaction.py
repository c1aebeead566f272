"""Log lines carry no personal values: driver errors told without text, patterns masked, once."""

from __future__ import annotations

import io
import json
import logging

import asyncpg
import pytest
from pydantic import BaseModel

from common import logs
from common.redaction import describe, redact

NIK = "1871091203840001"


def _unique_violation() -> asyncpg.UniqueViolationError:
    return asyncpg.exceptions.PostgresError.new({
        "S": "ERROR", "C": "23505", "n": "accounts_nik_key", "t": "accounts",
        "M": 'duplicate key value violates unique constraint "accounts_nik_key"',
        "D": f"Key (nik)=({NIK}) already exists.",
    })


@pytest.fixture
def captured() -> io.StringIO:
    """Root logging as a service configures it, into a buffer."""
    out = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logs.configure("test")
    root.handlers[0].setStream(out)  # type: ignore[attr-defined]
    yield out
    root.handlers[:], root.level = saved[0], saved[1]


@pytest.mark.parametrize("text, masked", [
    (f"nik {NIK} here", "nik [nik] here"),
    ("card 0001234567890", "card [card]"),
    ("call 081234567890 or 0812 3456 7890", "call [phone] or [phone]"),
    ("+6281234567890, 6281234567890", "[phone], [phone]"),
    ("0812-3456-7890", "[phone]"),
    ("mail hendra.s+jkn@contoh.co.id now", "mail [email] now"),
    ("Kode Anda: 482913.", "Kode Anda: [code]."),
    ('{"code": "482913"} code=482913', '{"code": "[code]"} code=[code]'),
])
def test_personal_shapes_are_masked(text: str, masked: str) -> None:
    assert redact(text) == masked


@pytest.mark.parametrize("text", [
    "event 6f1c2a9e-4b7d-4c1e-9a3b-2d5e8f0a1b3c offset 42",
    "request 0a123456-7b2c-4d5e-8f90-1a2b3c456789 and ab123456cd0ef",
    "2026-12-01T22:15:05.123+00:00 took 1234.5 ms",
    "port 54321 pid 4242 partition 3 status 409",
    "rows 20000 in 1.234567 s",
])
def test_ids_times_and_counts_survive(text: str) -> None:
    assert redact(text) == text


def test_driver_error_is_told_by_sqlstate_and_constraint_not_text() -> None:
    told = describe(_unique_violation())
    assert NIK not in told and "DETAIL" not in told
    assert "UniqueViolationError" in told and "sqlstate=23505" in told
    assert "constraint=accounts_nik_key" in told


def test_validation_error_is_told_without_input() -> None:
    class M(BaseModel):
        nik: int

    with pytest.raises(Exception) as info:
        M(nik=f"x{NIK}")
    told = describe(info.value)
    assert NIK not in told and "nik: int_parsing" in told


def test_a_traceback_of_a_driver_error_has_frames_but_no_value(captured: io.StringIO) -> None:
    try:
        try:
            raise _unique_violation()
        except asyncpg.PostgresError as exc:
            raise RuntimeError(f"register failed for {NIK}") from exc
    except RuntimeError:
        logging.getLogger("x").error("unhandled error for %s", "0812 3456 7890", exc_info=True)
    text = captured.getvalue()
    assert NIK not in text and "3456" not in text
    line = json.loads(text)
    assert line["msg"] == "unhandled error for [phone]"
    assert "Traceback (most recent call last)" in line["exc"]
    assert "test_a_traceback_of_a_driver_error" in line["exc"]  # frames are kept
    assert "sqlstate=23505 constraint=accounts_nik_key" in line["exc"]
    assert "direct cause" in line["exc"] and "register failed for [nik]" in line["exc"]


def test_fields_are_scrubbed_numbers_kept(captured: io.StringIO) -> None:
    logging.getLogger("x").info("sent", extra={"fields": {"to": "a@b.id", "offset": 123456,
                                                          "ids": [NIK]}})
    line = json.loads(captured.getvalue())
    assert (line["to"], line["offset"], line["ids"]) == ("[email]", 123456, ["[nik]"])


def test_each_exception_is_logged_once(captured: io.StringIO) -> None:
    # What Starlette and uvicorn do: our handler logs the 500, then the server logs it again.
    exc = ValueError("boom")
    logging.getLogger("common.problems").error("unhandled error", exc_info=exc)
    logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)
    logging.getLogger("x").error("another failure", exc_info=ValueError("other"))
    lines = [json.loads(x) for x in captured.getvalue().splitlines()]
    assert [x["msg"] for x in lines] == ["unhandled error", "another failure"]
