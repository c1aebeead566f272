"""Referral's SQL, in one place. Every function runs on the caller's connection."""

from __future__ import annotations

import asyncpg

from services.referral.domain.facilities import Facility, FacilityType
from services.referral.domain.geo import EARTH_RADIUS_KM, bounding_box

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool

# The box ($4-$7) lets the GiST index on point(lon, lat) (migration 0005) skip the far rows in
# both directions; the haversine ($1, $2, $10) then keeps only the circle. `least(1, ...)`
# guards asin against float rounding just above 1.
NEARBY_SQL = """
SELECT * FROM (
    SELECT code, facility_type, kind, name, address, district, lat, lon, accepts_new_members,
           2 * $10::float8 * asin(sqrt(least(1.0,
               sin(radians(lat - $1::float8) / 2) ^ 2
               + cos(radians($1::float8)) * cos(radians(lat))
                 * sin(radians(lon - $2::float8) / 2) ^ 2
           ))) AS distance_km
    FROM facilities
    WHERE active
      AND point(lon, lat) <@ box(point($6::float8, $4::float8), point($7::float8, $5::float8))
      AND ($8::text IS NULL OR facility_type = $8::text)
) AS near
WHERE distance_km <= $3::float8
ORDER BY distance_km, code
LIMIT $9::int
"""


def nearby_args(
    lat: float, lon: float, radius_km: float, facility_type: FacilityType | None, limit: int
) -> tuple:
    """NEARBY_SQL's parameters (also what EXPLAIN ANALYZE runs with)."""
    box = bounding_box(lat, lon, radius_km)
    return (
        lat,
        lon,
        radius_km,
        box.min_lat,
        box.max_lat,
        box.min_lon,
        box.max_lon,
        facility_type,
        limit,
        EARTH_RADIUS_KM,
    )


async def nearby(
    conn: Executor,
    *,
    lat: float,
    lon: float,
    radius_km: float,
    facility_type: FacilityType | None = None,
    limit: int = 50,
) -> list[Row]:
    """Active facilities within radius_km of (lat, lon), nearest first, with `distance_km`."""
    return await conn.fetch(NEARBY_SQL, *nearby_args(lat, lon, radius_km, facility_type, limit))


async def facility(conn: Executor, code: str) -> Row | None:
    """One facility by code, active or not."""
    return await conn.fetchrow(
        "SELECT code, facility_type, kind, name, address, regency, district, lat, lon,"
        " accepts_new_members, active FROM facilities WHERE code = $1",
        code,
    )


_FIELDS = (
    "code",
    "facility_type",
    "kind",
    "name",
    "address",
    "regency",
    "district",
    "lat",
    "lon",
    "capacity",
    "accepts_new_members",
    "active",
)
_SET = _FIELDS[1:]
UPSERT_SQL = (
    f"INSERT INTO facilities ({', '.join(_FIELDS)}) VALUES"
    f" ({', '.join(f'${i}' for i in range(1, len(_FIELDS) + 1))})"
    " ON CONFLICT (code) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _SET)
    + ", updated_at = now() WHERE ("
    + ", ".join(f"facilities.{c}" for c in _SET)
    + ") IS DISTINCT FROM ("
    + ", ".join(f"EXCLUDED.{c}" for c in _SET)
    + ") RETURNING true"
)


async def upsert_facility(conn: asyncpg.Connection, f: Facility) -> bool:
    """Insert or update one facility; True when something changed (an unchanged row is kept)."""
    return bool(await conn.fetchval(UPSERT_SQL, *(getattr(f, c) for c in _FIELDS)))

