-- The ops dashboard's arrears by segment (GET /v1/ops/billing/arrears) reads only payers in
-- arrears: a small share of all payers.
CREATE INDEX payers_in_arrears ON payers (payer_kind, payer_id) WHERE arrears_months > 0;
