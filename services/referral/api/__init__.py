"""Referral's HTTP routers. /healthz, /readyz and /metrics come from common.runtime."""

from fastapi import APIRouter

from services.referral.api import facilities, partners, queue, queue_desk, referrals

ROUTERS: list[APIRouter] = [
    facilities.router,
    partners.router,
    referrals.members,
    referrals.partners,
    queue.router,
    queue_desk.router,
]
