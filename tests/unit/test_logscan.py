"""The end-to-end suite's log check finds every form of a used value, and tells no value."""

from __future__ import annotations

from pathlib import Path

from tests.logscan import Personal, log_files, scan

NIK, CARD, EMAIL = "1871091203840001", "0001234567890", "0001234567890@example.org"


def _used() -> Personal:
    used = Personal()
    used.add({"nik": NIK, "phone": "0812 3456 7890", "email": EMAIL, "password": "rahasia2024",
              "members": [{"nik": "1871095509860001"}], "card": CARD, "full_name": "Rina"})
    return used


def test_it_remembers_only_personal_shapes() -> None:
    used = _used()
    assert used.digits == {NIK: "nik", "1871095509860001": "nik", CARD: "card",
                           "81234567890": "phone"}
    assert used.emails == {EMAIL.lower()}


def test_it_finds_each_value_in_any_form_and_reports_without_the_value(tmp_path: Path) -> None:
    (tmp_path / "membership.log").write_text(
        '{"msg": "request", "route": "/v1/me", "status": 200}\n'
        f'{{"exc": "Key (nik)=({NIK}) already exists."}}\n'
        "phone +6281234567890 and 0812-3456-7890 too\n"
        "nothing here: 2026-12-01 22:15:05.123 pid 4242 offset 81234\n"
        f"mail to {EMAIL.upper()}\n")
    (tmp_path / "server.txt").write_text(f"DETAIL:  Failing row contains ({CARD}, x).\n")
    (tmp_path / "kafka-data.bin").write_text(NIK)  # not a *.log: data, not a log
    findings = scan(log_files(tmp_path, tmp_path / "server.txt", tmp_path / "gone.log"), _used())
    assert findings == [
        f"{tmp_path}/membership.log:2: nik",
        f"{tmp_path}/membership.log:3: phone",
        f"{tmp_path}/membership.log:5: card, email",  # this email is made of a card number
        f"{tmp_path}/server.txt:1: card",
    ]
    assert not any(v in "".join(findings) for v in (NIK, CARD, "3456", EMAIL))


def test_a_clean_log_has_no_findings(tmp_path: Path) -> None:
    (tmp_path / "notify.log").write_text('{"msg": "sent", "to": "[phone]", "ms": 81234567.8}\n')
    assert scan(log_files(tmp_path), _used()) == []
