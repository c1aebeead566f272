"""Referral's HTTP routes: the facility search and one facility. Parse, query, map."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from common.problems import Problem
from common.runtime import RuntimeDep
from services.referral import store
from services.referral.store import FacilityType

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


Lat = Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, description="degrees")]
Lon = Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, description="degrees")]
RadiusKm = Annotated[float, Query(gt=0, le=100, allow_inf_nan=False)]
Limit = Annotated[int, Query(ge=1, le=200)]
Code = Annotated[str, Path(min_length=1, max_length=32)]


@router.get("/faskes", response_model=FaskesList, tags=["faskes"])
async def search(
    rt: RuntimeDep,
    lat: Lat,
    lon: Lon,
    radius_km: RadiusKm = 5,
    type: Annotated[FacilityType | None, Query()] = None,
    limit: Limit = 50,
) -> FaskesList:
    """Active facilities within radius_km of (lat, lon), nearest first."""
    rows = await store.nearby(
        rt.pool, lat=lat, lon=lon, radius_km=radius_km, facility_type=type, limit=limit
    )
    items = [
        FaskesNearby(
            **{**dict(r), "type": r["facility_type"], "distance_km": round(r["distance_km"], 2)}
        )
        for r in rows
    ]
    return FaskesList(items=items, count=len(items))


@router.get("/faskes/{code}", response_model=FaskesPublic, tags=["faskes"])
async def get_faskes(code: Code, rt: RuntimeDep) -> FaskesPublic:
    """One facility by code, including whether it is still contracted (active)."""
    row = await store.facility(rt.pool, code)
    if row is None:
        raise Problem(
            404,
            "faskes_not_found",
            f"No facility has code {code}.",
            detail_id=f"Faskes dengan kode {code} tidak ditemukan.",
        )
    return FaskesPublic(**{**dict(row), "type": row["facility_type"]})
