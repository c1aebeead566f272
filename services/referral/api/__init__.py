"""Referral's HTTP routers. /healthz, /readyz and /metrics come from common.runtime."""

from fastapi import APIRouter

from services.referral.api import facilities, partners, queue, queue_desk

ROUTERS: list[APIRouter] = [facilities.router, partners.router, queue.router, queue_desk.router]
