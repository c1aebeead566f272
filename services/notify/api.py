"""Notify's HTTP routes: none yet beyond /healthz, /readyz and /metrics (common.runtime).

The member's inbox and preferences will be routes here, each calling a handler.
"""

from fastapi import APIRouter

router = APIRouter(prefix="/v1")
