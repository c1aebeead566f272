-- The facility registry: primary care (FKTP) and hospitals (FKRTL).

CREATE TABLE facilities (
    code                text PRIMARY KEY,
    facility_type       text NOT NULL CHECK (facility_type IN ('fktp', 'fkrtl')),
    kind                text NOT NULL,
    name                text NOT NULL,
    address             text NOT NULL,
    regency             text NOT NULL,
    district            text NOT NULL,
    lat                 double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon                 double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    capacity            integer NOT NULL CHECK (capacity >= 0),
    accepts_new_members boolean NOT NULL,
    active              boolean NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
