"""Billing's HTTP routers: the member's bills and payments, the bank and facility partner APIs,
and the ops read endpoints. /healthz, /readyz and /metrics come from common.runtime."""

from fastapi import APIRouter

from services.billing.api import me, ops, partners

ROUTERS: list[APIRouter] = [me.router, partners.router, ops.router]
