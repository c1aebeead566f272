-- Operability (issue 15 §6): the trace context an event was staged under, and indexes that
-- let the retention job find old rows without scanning whole tables.

-- W3C traceparent of the request that staged the event (NULL when tracing was off); the
-- relay sends it as a Kafka header so consumers continue the same trace.
ALTER TABLE outbox ADD COLUMN trace_context text;

CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
