"""Billing's HTTP routes: none yet beyond /healthz, /readyz and /metrics (common.runtime)."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1")
