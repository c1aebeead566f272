-- The facility search prefilters on a lat/lon box: a range on lat, then lon checked in the index.

CREATE INDEX facilities_location_idx ON facilities (lat, lon);
