-- Partner keys rotate with an overlap (issue 19, common.partner_keys): a partner holds up to two
-- secrets at once (the current one and the next), each valid from a time until a time (NULL:
-- for good), sealed under JKN_SEAL_KEY (common.sealing), never in clear. Rows are kept after
-- they expire, so a key id in partner_calls always names one secret; ids are never reused.
CREATE TABLE partner_keys (
    cons_id       text NOT NULL REFERENCES partners (cons_id),
    key_id        text NOT NULL CHECK (key_id ~ '^k[0-9]{1,9}$'),
    secret_sealed text NOT NULL,
    valid_from    timestamptz NOT NULL,
    valid_until   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cons_id, key_id),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

-- Each partner's one secret becomes its first key, valid since the partner was added.
INSERT INTO partner_keys (cons_id, key_id, secret_sealed, valid_from)
    SELECT cons_id, 'k1', secret_sealed, created_at FROM partners;
ALTER TABLE partners DROP COLUMN secret_sealed;

-- Which key signed each call (its id, never the secret); NULL for a call refused unsigned.
ALTER TABLE partner_calls ADD COLUMN key_id text;
