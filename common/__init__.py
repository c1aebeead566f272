"""Infrastructure written once: settings, logging, database, Kafka, outbox, consumers, HTTP errors."""
