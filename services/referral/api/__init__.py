"""Referral's HTTP routers. /healthz, /readyz and /metrics come from common.runtime."""

from fastapi import APIRouter

from services.referral.api import facilities

ROUTERS: list[APIRouter] = [facilities.router]
