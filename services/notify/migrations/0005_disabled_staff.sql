-- Staff accounts membership disabled (StaffDisabled): their tokens are refused on notify's
-- staff routes at once, not when they expire (common.revocation reads the recent ones).
CREATE TABLE disabled_staff (
    username    text PRIMARY KEY,
    disabled_at timestamptz NOT NULL
);
CREATE INDEX disabled_staff_at ON disabled_staff (disabled_at);
