"""Infrastructure written once: settings, logs, database, Kafka, outbox, consumers, errors."""
