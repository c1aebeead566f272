"""Deterministic synthetic master data for Kota Bandar Lampung: facilities and participants.

Place names are real (public); every person and facility name is invented.
"""

from synthetic.facilities import Facility, facilities
from synthetic.population import DEMO_PEOPLE, Person, population

__all__ = ["DEMO_PEOPLE", "Facility", "Person", "facilities", "population"]
