"""Great-circle distance and search boxes on a spherical Earth. Pure functions, no I/O.

A sphere is within 0.5 % of the ellipsoid everywhere, which is plenty for "which faskes is
near me"; store.py computes the same haversine in SQL with the same radius.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# IUGG mean Earth radius (km); one value for Python and SQL so both agree on every distance.
EARTH_RADIUS_KM = 6371.0088
# Float rounding must never cut a point that lies exactly on the circle: pad the box by ~1 cm.
_PAD_DEG = 1e-7


def haversine_km(
    lat1: float, lon1: float, lat2: float, lon2: float, radius_km: float = EARTH_RADIUS_KM
) -> float:
    """The great-circle distance between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * radius_km * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A lat/lon rectangle in degrees; `min_lon <= max_lon` always (no wrap-around)."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """A box holding every point within radius_km of (lat, lon), for an index prefilter.

    The longitude half-width is the cap's true extent, asin(sin r / cos lat) (J. P. Matuschek,
    "Finding Points Within a Distance of a Latitude/Longitude Using Bounding Coordinates"),
    not r / cos lat, which is too narrow away from the equator. A circle that reaches a pole
    covers every longitude. A circle that crosses the antimeridian also gets the full longitude
    range: a shortcut that keeps the SQL one BETWEEN; the exact answer is two longitude ranges,
    only worth it if a registry ever lives near 180° (Indonesia is nowhere near).
    """
    r = radius_km / EARTH_RADIUS_KM
    phi = math.radians(lat)
    lo_phi, hi_phi = phi - r, phi + r
    if lo_phi <= -math.pi / 2 or hi_phi >= math.pi / 2:
        return BoundingBox(
            max(-90.0, math.degrees(lo_phi) - _PAD_DEG),
            min(90.0, math.degrees(hi_phi) + _PAD_DEG),
            -180.0,
            180.0,
        )
    # |phi| + r < pi/2 here, so cos(phi) > sin(r) and the asin argument is below 1.
    dlon = math.degrees(math.asin(math.sin(r) / math.cos(phi))) + _PAD_DEG
    min_lon, max_lon = lon - dlon, lon + dlon
    if min_lon < -180.0 or max_lon > 180.0:
        min_lon, max_lon = -180.0, 180.0
    return BoundingBox(
        math.degrees(lo_phi) - _PAD_DEG, math.degrees(hi_phi) + _PAD_DEG, min_lon, max_lon
    )
