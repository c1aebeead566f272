"""Referral's search bounds and distance display: pure rules, no I/O."""

from __future__ import annotations

import math

import pytest

from common.errors import InvalidInput
from services.referral.domain.facilities import (
    DEFAULT_LIMIT,
    DEFAULT_RADIUS_KM,
    MAX_LIMIT,
    MAX_RADIUS_KM,
    FindFaskesNearby,
    shown_distance,
)


def test_defaults_are_the_readme_contract():
    q = FindFaskesNearby(-5.43, 105.26)
    assert (q.radius_km, q.facility_type, q.limit) == (DEFAULT_RADIUS_KM, None, DEFAULT_LIMIT)
    assert (DEFAULT_RADIUS_KM, MAX_RADIUS_KM, DEFAULT_LIMIT, MAX_LIMIT) == (5, 100, 50, 200)


@pytest.mark.parametrize(
    "edge",
    [
        {"lat": -90.0}, {"lat": 90.0}, {"lon": -180.0}, {"lon": 180.0},
        {"radius_km": MAX_RADIUS_KM}, {"radius_km": 1e-9}, {"limit": 1}, {"limit": MAX_LIMIT},
        {"facility_type": "fktp"}, {"facility_type": "fkrtl"},
    ],
)
def test_the_bounds_themselves_are_allowed(edge):
    FindFaskesNearby(**{"lat": 0.0, "lon": 0.0, **edge})


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"lat": 90.0001}, "lat"), ({"lat": -91.0}, "lat"), ({"lat": math.nan}, "lat"),
        ({"lon": 180.5}, "lon"), ({"lon": -math.inf}, "lon"),
        ({"radius_km": 0.0}, "radius_km"), ({"radius_km": -1.0}, "radius_km"),
        ({"radius_km": MAX_RADIUS_KM + 0.001}, "radius_km"), ({"radius_km": math.inf}, "radius_km"),
        ({"limit": 0}, "limit"), ({"limit": MAX_LIMIT + 1}, "limit"),
        ({"facility_type": "hospital"}, "type"),
    ],
)
def test_out_of_bounds_is_invalid_input_naming_the_field(bad, field):
    with pytest.raises(InvalidInput) as caught:
        FindFaskesNearby(**{"lat": 0.0, "lon": 0.0, **bad})
    assert caught.value.fields == (field,)
    assert caught.value.code == "invalid_search"
    assert caught.value.detail_id  # Indonesian too


@pytest.mark.parametrize(
    ("km", "shown"), [(0.0, 0.0), (0.004, 0.0), (0.006, 0.01), (2.345678, 2.35), (99.999, 100.0)]
)
def test_distances_are_shown_to_ten_metres(km, shown):
    assert shown_distance(km) == shown
