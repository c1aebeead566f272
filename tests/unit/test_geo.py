"""Haversine distances and the search box: pure geometry, no I/O."""

from __future__ import annotations

import math

import pytest

from services.referral.domain.geo import EARTH_RADIUS_KM, bounding_box, haversine_km

ONE_DEGREE_KM = EARTH_RADIUS_KM * math.pi / 180  # 111.195 km of arc


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point km away on the given initial bearing (spherical direct problem)."""
    d, theta = km / EARTH_RADIUS_KM, math.radians(bearing_deg)
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi1),
        math.cos(d) - math.sin(phi1) * math.sin(phi2),
    )
    lon2 = (math.degrees(lmb2) + 540) % 360 - 180  # back into [-180, 180)
    return math.degrees(phi2), lon2


def circle(lat: float, lon: float, km: float, n: int = 720) -> list[tuple[float, float]]:
    return [destination(lat, lon, 360 * i / n, km) for i in range(n)]


def test_rosetta_code_nashville_to_los_angeles():
    # The published haversine example (Rosetta Code) uses R = 6372.8 km.
    assert haversine_km(36.12, -86.67, 33.94, -118.40, radius_km=6372.8) == pytest.approx(
        2887.2599506071106, rel=1e-12
    )


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((0, 0), (0, 0), 0.0),
        ((0, 0), (1, 0), ONE_DEGREE_KM),
        ((0, 0), (0, 1), ONE_DEGREE_KM),  # a degree of longitude on the equator
        ((0, 0), (90, 0), EARTH_RADIUS_KM * math.pi / 2),  # equator to pole
        ((0, 0), (0, 180), EARTH_RADIUS_KM * math.pi),  # antipodes
        ((-33.0, 20.0), (33.0, -160.0), EARTH_RADIUS_KM * math.pi),  # antipodes again
        ((0, 179.5), (0, -179.5), ONE_DEGREE_KM),  # across the antimeridian, not around
        ((89.5, 0), (89.5, 180), ONE_DEGREE_KM),  # across the pole
        ((-89.5, -90), (-89.5, 90), ONE_DEGREE_KM),
    ],
)
def test_known_distances(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, abs=1e-9)
    assert haversine_km(*b, *a) == pytest.approx(km, abs=1e-9)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude():
    # Along a parallel the great circle is slightly shorter than the parallel itself.
    assert haversine_km(60, 10, 60, 10.01) == pytest.approx(0.01 * ONE_DEGREE_KM / 2, rel=1e-6)


def test_the_destination_helper_agrees_with_haversine():
    for bearing in range(0, 360, 15):
        lat, lon = destination(-5.43, 105.26, bearing, 7.5)
        assert haversine_km(-5.43, 105.26, lat, lon) == pytest.approx(7.5, abs=1e-9)


CENTRES = [
    (-5.43, 105.26),  # Bandar Lampung
    (0.0, 0.0),
    (45.0, -120.0),
    (-60.0, 30.0),
    (80.0, 10.0),
    (89.99, 45.0),  # the circle covers the north pole
    (-89.5, -170.0),  # and the south pole
    (-17.7, 179.99),  # Fiji: the circle crosses the antimeridian
    (65.0, -179.95),
    (0.0, 180.0),
    (90.0, 0.0),
    (-90.0, 0.0),
]


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("radius", [0.01, 1, 5, 37.5, 100])
def test_the_box_holds_the_whole_circle_and_the_disc(centre, radius):
    box = bounding_box(*centre, radius)
    assert -90 <= box.min_lat <= box.max_lat <= 90
    assert -180 <= box.min_lon <= box.max_lon <= 180
    assert box.contains(*centre)
    for fraction in (1.0, 0.5, 0.01):
        for lat, lon in circle(*centre, radius * fraction):
            assert box.contains(lat, lon), (lat, lon)


@pytest.mark.parametrize("centre", [(-5.43, 105.26), (0.0, 0.0), (45.0, -120.0), (-70.0, 60.0)])
def test_away_from_poles_and_antimeridian_the_box_is_tight(centre):
    radius = 5.0
    box = bounding_box(*centre, radius)
    lats, lons = zip(*circle(*centre, radius, n=7200), strict=True)
    tolerance = 1e-4  # degrees; a sampled circle falls just short of its tangent points
    assert box.max_lat - max(lats) < tolerance and min(lats) - box.min_lat < tolerance
    assert box.max_lon - max(lons) < tolerance and min(lons) - box.min_lon < tolerance


def test_near_the_pole_every_longitude_is_in_the_box():
    box = bounding_box(89.99, 45.0, 5)
    assert (box.min_lon, box.max_lon, box.max_lat) == (-180.0, 180.0, 90.0)
    # The far side of the pole is 2.2 km away although its longitude differs by 180°.
    assert haversine_km(89.99, 45.0, 89.99, -135.0) < 5 and box.contains(89.99, -135.0)


def test_across_the_antimeridian_the_box_takes_every_longitude():
    box = bounding_box(-17.7, 179.99, 5)
    assert (box.min_lon, box.max_lon) == (-180.0, 180.0)
    assert haversine_km(-17.7, 179.99, -17.7, -179.99) < 5 and box.contains(-17.7, -179.99)
    assert box.max_lat - box.min_lat == pytest.approx(10 / ONE_DEGREE_KM, abs=1e-6)
