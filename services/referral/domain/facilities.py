"""A facility of the registry, and the queries and commands referral answers. Pure, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from common.errors import InvalidInput

FacilityType = Literal["fktp", "fkrtl"]
FACILITY_TYPES: tuple[FacilityType, ...] = ("fktp", "fkrtl")

# The search's bounds (README's FindFaskesNearby): a phone's "near me", not a regional scan.
DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 100.0
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Facility:
    """A primary (FKTP) or referral (FKRTL) facility as the registry keeps it."""

    code: str
    facility_type: FacilityType
    kind: str
    name: str
    address: str
    regency: str
    district: str
    lat: float
    lon: float
    capacity: int
    accepts_new_members: bool
    active: bool  # still contracted: found by code always, offered by the search only if True


def _refuse(field: str, en: str, id_: str) -> InvalidInput:
    return InvalidInput("invalid_search", en, id_, field=field)


@dataclass(frozen=True, slots=True)
class FindFaskesNearby:
    """Active facilities within radius_km of (lat, lon), nearest first (ties by code)."""

    lat: float
    lon: float
    radius_km: float = DEFAULT_RADIUS_KM
    facility_type: FacilityType | None = None
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        # The API's query types check the same bounds first; this keeps every other caller
        # (a worker, a script) inside them too.
        if not (math.isfinite(self.lat) and -90 <= self.lat <= 90):
            raise _refuse("lat", "lat must be in [-90, 90].", "lat harus di antara -90 dan 90.")
        if not (math.isfinite(self.lon) and -180 <= self.lon <= 180):
            raise _refuse(
                "lon", "lon must be in [-180, 180].", "lon harus di antara -180 dan 180."
            )
        if not (math.isfinite(self.radius_km) and 0 < self.radius_km <= MAX_RADIUS_KM):
            raise _refuse(
                "radius_km",
                f"radius_km must be above 0 and at most {MAX_RADIUS_KM:g}.",
                f"radius_km harus di atas 0 dan paling besar {MAX_RADIUS_KM:g}.",
            )
        if self.facility_type is not None and self.facility_type not in FACILITY_TYPES:
            raise _refuse("type", "type must be fktp or fkrtl.", "type harus fktp atau fkrtl.")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise _refuse(
                "limit",
                f"limit must be 1 to {MAX_LIMIT}.",
                f"limit harus 1 sampai {MAX_LIMIT}.",
            )


@dataclass(frozen=True, slots=True)
class GetFaskes:
    """One facility by code, active or not."""

    code: str


@dataclass(frozen=True, slots=True)
class RegisterFacility:
    """Add a facility to the registry or update it; a change is announced, a no-op is not."""

    facility: Facility
    correlation_id: str


def shown_distance(km: float) -> float:
    """A distance as the search shows it: to 0.01 km (the README's contract)."""
    return round(km, 2)
