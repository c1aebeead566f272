"""Referral's HTTP routes: the facility search and one facility. Parse, call a handler, map."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from common.runtime import RuntimeDep
from common.text import path_text
from services.referral.domain.facilities import (
    DEFAULT_LIMIT,
    DEFAULT_RADIUS_KM,
    MAX_LIMIT,
    MAX_RADIUS_KM,
    FacilityType,
    FindFaskesNearby,
    GetFaskes,
)
from services.referral.handlers import facilities as handlers

router = APIRouter(prefix="/v1")


class FaskesNearby(BaseModel):
    code: str
    type: FacilityType
    kind: str
    name: str
    address: str
    district: str
    lat: float
    lon: float
    distance_km: float
    accepts_new_members: bool


class FaskesList(BaseModel):
    items: list[FaskesNearby]
    count: int


class SessionPublic(BaseModel):
    """One weekly practice session: the doctor, day code (1 Monday .. 7 Sunday, 8 holiday),
    WIB hours, JKN and non-JKN quotas, minutes per patient."""

    doctor_id: str
    doctor_name: str
    day_code: int
    hours: str
    quota_jkn: int
    quota_non_jkn: int
    service_minutes: int


class PoliPublic(BaseModel):
    poli_code: str
    name_id: str
    name_en: str
    schedules: list[SessionPublic]


class FaskesPublic(BaseModel):
    code: str
    type: FacilityType
    kind: str
    name: str
    address: str
    regency: str
    district: str
    lat: float
    lon: float
    accepts_new_members: bool
    active: bool
    polis: list[PoliPublic]


Lat = Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, description="degrees")]
Lon = Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, description="degrees")]
RadiusKm = Annotated[float, Query(gt=0, le=MAX_RADIUS_KM, allow_inf_nan=False)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Code = path_text(32)


@router.get("/faskes", response_model=FaskesList, tags=["faskes"])
async def search(
    rt: RuntimeDep,
    lat: Lat,
    lon: Lon,
    radius_km: RadiusKm = DEFAULT_RADIUS_KM,
    type: Annotated[FacilityType | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> FaskesList:
    """Active facilities within radius_km of (lat, lon), nearest first."""
    query = FindFaskesNearby(lat, lon, radius_km, type, limit)
    rows = await handlers.find_nearby(rt.pool, query)
    items = [FaskesNearby(**r, type=r["facility_type"]) for r in rows]
    return FaskesList(items=items, count=len(items))


@router.get("/faskes/{code}", response_model=FaskesPublic, tags=["faskes"])
async def get_faskes(code: Code, rt: RuntimeDep) -> FaskesPublic:
    """One facility by code, including whether it is still contracted (active), its polis
    and their weekly schedules."""
    row = await handlers.get_facility(rt.pool, GetFaskes(code))
    return FaskesPublic(**row, type=row["facility_type"])
