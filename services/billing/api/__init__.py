"""Billing's HTTP routers: the member's bills and payments, the bank and facility partner APIs,
and the ops read endpoints. /healthz, /readyz and /metrics come from common.runtime."""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
