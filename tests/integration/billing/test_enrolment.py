"""Billing's projection from membership's events, each test in a rolled-back transaction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts import events
from services.billing.handlers import enrolment
from tests.integration.billing.conftest import NOW, enrol, envelope, family, member, staged

pytestmark = pytest.mark.integration
SERVICE = "billing"


async def test_a_family_in_arrears_gets_its_payer_va_members_and_opening_bills(uow) -> None:
    head = member("PBPU", 3)
    e = family(head, member("PBPU", 3, "child"), arrears=2, coverage="non_active")
    await enrol(uow, e)

    payer = await uow.fetchrow("SELECT * FROM payers WHERE payer_kind = 'family'"
                               " AND payer_id = $1", e.family_id)
    assert payer["va"] == "88888" + head["card_number"][-11:]
    assert payer["va_mandiri"] == "89888" + head["card_number"][-11:]
    assert (payer["coverage"], payer["coverage_since"], payer["arrears_months"]) == (
        "non_active", e.as_of, 2)
    members = await uow.fetch("SELECT payer_kind, payer_id FROM members WHERE family_id = $1",
                              e.family_id)
    assert {(m["payer_kind"], m["payer_id"]) for m in members} == {("family", e.family_id)}
    bills = await uow.fetch(
        "SELECT period, amount, due_date, opening, (SELECT sum(amount) FROM bill_lines l"
        " WHERE l.bill_id = b.bill_id) AS lines FROM bills b WHERE payer_id = $1"
        " ORDER BY period", e.family_id)
    # Two members at class III's member share; the subsidy is not the family's to pay.
    assert [tuple(b) for b in bills] == [
        ("2026-09", 70_000, date(2026, 9, 10), True, 70_000),
        ("2026-10", 70_000, date(2026, 10, 10), True, 70_000)]
    [va] = await staged(uow, "VirtualAccountOpened")
    assert va == {"family_id": e.family_id, "va": payer["va"], "va_mandiri": payer["va_mandiri"]}
    assert await staged(uow, "PremiumArrearsChanged") == [
        {"family_id": e.family_id, "unpaid_months": 2}]


async def test_redelivery_and_re_enrolment_are_upserts(uow) -> None:
    e = family(member("PBPU", 2), arrears=1)
    await enrol(uow, e)
    await enrol(uow, e)  # the same facts again (a replay from a dead-letter topic)
    changed = e.model_copy(update={"members": [
        e.members[0].model_copy(update={"care_class": 1, "fktp_code": "18710099"})],
        "arrears_months": 3})
    await enrol(uow, changed, occurred_at=NOW + timedelta(hours=1))

    m = await uow.fetchrow("SELECT care_class, fktp_code FROM members WHERE family_id = $1",
                           e.family_id)
    assert tuple(m) == (1, "18710099")
    # Opening bills already made stay as they are; the months the re-enrolment adds are new.
    bills = await uow.fetch("SELECT period, amount FROM bills WHERE payer_id = $1 ORDER BY 1",
                            e.family_id)
    assert [tuple(b) for b in bills] == [("2026-08", 150_000), ("2026-09", 150_000),
                                         ("2026-10", 100_000)]
    assert len(await staged(uow, "VirtualAccountOpened")) == 1
    assert len(await staged(uow, "PremiumArrearsChanged")) == 1  # the arrival; then refresh's
    # An older event overtaken by a newer one changes nothing.
    await enrol(uow, e, occurred_at=NOW - timedelta(days=1))
    assert await uow.fetchval("SELECT care_class FROM members WHERE family_id = $1",
                              e.family_id) == 1


async def test_workers_and_pbi_members_are_billed_to_their_employer_and_budget(uow) -> None:
    ppu = family(member("PPU_BU", 2, payer_id="BU-0001", wage=4_000_000,
                        minimum_wage=3_491_889), member("PPU_BU", 2, "spouse",
                                                        payer_id="BU-0001"))
    pbi = family(member("PBI_APBD", 3, payer_id="APBD-1871"), arrears=2)
    await enrol(uow, ppu)
    await enrol(uow, pbi)

    payers = {(r["payer_kind"], r["payer_id"]) for r in await uow.fetch(
        "SELECT payer_kind, payer_id FROM payers")}
    assert {("employer", "BU-0001"), ("government", "APBD-1871"), ("family", ppu.family_id),
            ("family", pbi.family_id)} <= payers
    payer_of = {r["member_id"]: (r["payer_kind"], r["payer_id"]) for r in await uow.fetch(
        "SELECT member_id, payer_kind, payer_id FROM members")}
    assert payer_of[ppu.members[1].member_id] == ("employer", "BU-0001")
    assert payer_of[pbi.members[0].member_id] == ("government", "APBD-1871")
    # Carried arrears of a family someone else pays for are not the family's bills.
    assert await uow.fetchval("SELECT count(*) FROM bills") == 0


async def test_a_new_pbpu_family_gets_its_first_bill_due_on_day_30(uow) -> None:
    registered = date(2026, 11, 1)
    e = family(member("PBPU", 2, registered_on=registered),
               member("PBPU", 2, "child", registered_on=registered), as_of=registered)
    await enrol(uow, e)

    bill = await uow.fetchrow("SELECT bill_id, period, amount, due_date, opening FROM bills"
                              " WHERE payer_id = $1", e.family_id)
    assert tuple(bill)[1:] == ("2026-11", 200_000, date(2026, 12, 1), False)
    [issued] = await staged(uow, "BillIssued")
    assert issued["bill_id"] == str(bill["bill_id"])
    assert (issued["amount"], issued["amount_due"], issued["due_date"], issued["va"]) == (
        200_000, 200_000, "2026-12-01", "88888" + e.head_card_number[-11:])
    assert issued["member_id"] == str(e.head_member_id)


async def test_a_newborn_class_and_faskes_change_reach_the_projection(uow) -> None:
    e = family(member("PBPU", 2), member("PBPU", 2, "spouse"))
    await enrol(uow, e)
    baby = member("PBPU", 2, "child")
    added = events.MemberAdded(family_id=e.family_id, member_id=baby["member_id"],
                               card_number=baby["card_number"], segment="PBPU", care_class=2,
                               effective_date=date(2026, 11, 5), fktp_code="18710077")
    later = NOW + timedelta(days=4)
    await enrolment.add_member(uow, envelope(added, later), added, later)
    moved = events.ClassChanged(family_id=e.family_id,
                                member_ids=[m.member_id for m in e.members] + [added.member_id],
                                from_class=2, to_class=1, effective_date=date(2026, 12, 1))
    await enrolment.change_class(uow, envelope(moved, later + timedelta(days=1)), moved, later)
    fktp = events.FaskesChanged(member_id=e.members[1].member_id, from_code="18710001",
                                to_code="18710042", effective_date=date(2026, 12, 1))
    await enrolment.change_faskes(uow, envelope(fktp, later + timedelta(days=1)), fktp, later)

    rows = {r["member_id"]: r for r in await uow.fetch(
        "SELECT member_id, relationship, care_class, fktp_code, payer_kind, payer_id,"
        " registered_on FROM members WHERE family_id = $1", e.family_id)}
    assert len(rows) == 3
    assert {r["care_class"] for r in rows.values()} == {1}
    newborn = rows[added.member_id]
    assert (newborn["relationship"], newborn["payer_kind"], newborn["payer_id"],
            newborn["registered_on"], newborn["fktp_code"]) == (
        "child", "family", e.family_id, date(2026, 11, 5), "18710077")
    assert rows[e.members[1].member_id]["fktp_code"] == "18710042"
