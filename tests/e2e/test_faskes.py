"""Finding a faskes near me, through the gateway, over the seeded Bandar Lampung registry."""

from __future__ import annotations

import pytest

from services.referral.domain.geo import haversine_km
from synthetic.facilities import facilities

pytestmark = pytest.mark.e2e

CITY_CENTRE = (-5.43, 105.26)
REGISTRY = facilities()  # what `python -m services.referral seed` loaded


def expected_near(lat: float, lon: float, radius_km: float, facility_type: str | None):
    """The registry's active facilities in the circle, nearest first: (distance, code)."""
    return sorted(
        (haversine_km(lat, lon, f.lat, f.lon), f.code)
        for f in REGISTRY
        if f.active
        and (facility_type is None or f.type == facility_type)
        and haversine_km(lat, lon, f.lat, f.lon) <= radius_km
    )


def search(platform, **params):
    r = platform.get("/v1/faskes", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["items"])
    return body["items"]


def test_nearest_fktp_to_the_city_centre(platform):
    lat, lon = CITY_CENTRE
    items = search(platform, lat=lat, lon=lon, radius_km=5, type="fktp", limit=200)
    expected = expected_near(lat, lon, 5, "fktp")
    assert len(expected) >= 10  # the centre of a city has plenty of primary care
    assert [i["code"] for i in items] == [code for _, code in expected]
    assert [i["distance_km"] for i in items] == [round(d, 2) for d, _ in expected]
    distances = [i["distance_km"] for i in items]
    assert distances == sorted(distances) and all(d <= 5 for d in distances)
    nearest = next(f for f in REGISTRY if f.code == items[0]["code"])
    assert items[0] == {
        "code": nearest.code,
        "type": "fktp",
        "kind": nearest.kind,
        "name": nearest.name,
        "address": nearest.address,
        "district": nearest.district,
        "lat": nearest.lat,
        "lon": nearest.lon,
        "distance_km": round(expected[0][0], 2),
        "accepts_new_members": nearest.accepts_new_members,
    }


def test_default_radius_and_limit(platform):
    lat, lon = CITY_CENTRE
    items = search(platform, lat=lat, lon=lon)  # 5 km, both types, at most 50
    expected = expected_near(lat, lon, 5, None)
    assert len(expected) > 50
    assert [i["code"] for i in items] == [code for _, code in expected[:50]]
    few = search(platform, lat=lat, lon=lon, radius_km=2.5, limit=3)
    assert [i["code"] for i in few] == [code for _, code in expected_near(lat, lon, 2.5, None)[:3]]


def test_type_fkrtl_returns_only_hospitals(platform):
    lat, lon = CITY_CENTRE
    items = search(platform, lat=lat, lon=lon, radius_km=20, type="fkrtl", limit=200)
    hospitals = {f.code for f in REGISTRY if f.type == "fkrtl" and f.active}
    assert items and {i["code"] for i in items} == hospitals  # the whole city is within 20 km
    assert all(i["type"] == "fkrtl" and i["kind"].startswith("rs_") for i in items)


def test_inactive_facilities_are_not_offered_but_can_be_looked_up(platform):
    gone = next(f for f in REGISTRY if not f.active)
    items = search(platform, lat=gone.lat, lon=gone.lon, radius_km=1, limit=200)
    assert gone.code not in {i["code"] for i in items}
    r = platform.get(f"/v1/faskes/{gone.code}")
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False and r.json()["name"] == gone.name


def test_one_facility_by_code(platform):
    f = next(f for f in REGISTRY if f.type == "fkrtl" and f.active)
    r = platform.get(f"/v1/faskes/{f.code}")
    assert r.status_code == 200, r.text
    body = r.json()
    # Its polis and their weekly schedules (issue 18), each poli by its programme code.
    polis = body.pop("polis")
    assert polis and all(len(p["poli_code"]) == 3 and "schedules" in p for p in polis)
    assert body == {
        "code": f.code,
        "type": "fkrtl",
        "kind": f.kind,
        "name": f.name,
        "address": f.address,
        "regency": f.regency,
        "district": f.district,
        "lat": f.lat,
        "lon": f.lon,
        "accepts_new_members": f.accepts_new_members,
        "active": True,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 100, "lon": 105.26}, "lat"),
        ({"lat": -5.43, "lon": -180.5}, "lon"),
        ({"lon": 105.26}, "lat"),
        ({"lat": "nan", "lon": 105.26}, "lat"),
        ({"lat": -5.43, "lon": 105.26, "radius_km": 0}, "radius_km"),
        ({"lat": -5.43, "lon": 105.26, "radius_km": 100.5}, "radius_km"),
        ({"lat": -5.43, "lon": 105.26, "type": "rumah_sakit"}, "type"),
        ({"lat": -5.43, "lon": 105.26, "limit": 201}, "limit"),
        ({"lat": -5.43, "lon": 105.26, "limit": 0}, "limit"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(platform, params, field):
    r = platform.get("/v1/faskes", params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "validation_failed"
    assert [e["field"] for e in body["errors"]] == [field]


def test_unknown_code_is_a_404_problem(platform):
    r = platform.get("/v1/faskes/1871X999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 404 and body["code"] == "faskes_not_found"
    assert "1871X999" in body["detail"] and "tidak ditemukan" in body["detail_id"]
