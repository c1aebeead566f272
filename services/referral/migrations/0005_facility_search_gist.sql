-- The facility search at national size (issue 18: ~27,000 facilities). The (lat, lon) btree can
-- only range-scan latitude, so a 5 km box in Java's latitude band reads every facility from
-- Sumatra to Bali; a GiST index on the point answers the whole box (both ranges) directly.
-- Only contracted facilities are ever searched, so only they are indexed.

CREATE INDEX facilities_point_idx ON facilities USING gist (point(lon, lat)) WHERE active;
-- The search no longer reads the btree (0002): it would only cost every write.
DROP INDEX facilities_location_idx;
