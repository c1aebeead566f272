"""The partner API (domain.md §4 bridging): a bank's VA inquiry and payment, a facility's
penalty question. Every call is signed and audited (api/partner_auth.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from common.partner_docs import body_doc, query_doc
from services.billing.api.deps import BankPartner, Db, FacilityPartner, Now, SettingsDep
from services.billing.api.partner_auth import parsed, partner_call
from services.billing.api.schemas import BankPaymentCreate, PenaltyQuery
from services.billing.domain.payments import BankPayment
from services.billing.handlers import commands, payments, queries

router = APIRouter(prefix="/v1/partners", tags=["partners"])


@router.get("/bank/va/{va}")
async def va_inquiry(va: str, request: Request, partner: BankPartner, db: Db, now: Now):
    """The VA's holder (masked) and `amount_due`; an unknown VA is the bridging not-found."""
    return await partner_call(request, partner, db,
                              lambda conn: queries.inquire_va(conn, va, now=now))


@router.post("/bank/payments", openapi_extra=body_doc(BankPaymentCreate, {
    "va": "8888800012345678", "amount": 35000, "paid_at": "2026-12-01T09:30:00+07:00",
    "bank_reference": "BRI-20261201-000123", "channel": "bri"}))
async def bank_payment(request: Request, partner: BankPartner, db: Db, now: Now,
                       s: SettingsDep) -> Response:
    """Settle money paid into a VA, once per bank_reference: a copy gets the first answer."""
    body = await parsed(request, BankPaymentCreate, await request.body(), partner)
    cmd = commands.ReceiveBankPayment(partner.cons_id, BankPayment(**body.model_dump()))
    key = s.seal_key.get_secret_value().encode()
    answer = await partner_call(
        request, partner, db,
        lambda conn: payments.receive_bank_payment(conn, cmd, now=now, fingerprint_key=key),
        lambda a: "replayed" if a.replayed else "settled")
    return Response(answer.text, 200, media_type="application/json")


@router.get("/facility/penalty", openapi_extra=query_doc(PenaltyQuery, {
    "card_number": "0009900000055", "admission_date": "2026-12-01",
    "inpatient_cost": 12500000}))
async def facility_penalty(request: Request, partner: FacilityPartner, db: Db):
    """The reactivation penalty for an inpatient admission (0 outside the 45 days)."""
    q = await parsed(request, PenaltyQuery, dict(request.query_params), partner)
    return await partner_call(request, partner, db, lambda conn: queries.facility_penalty(
        conn, q.card_number, q.admission_date, q.inpatient_cost))
