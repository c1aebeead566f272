"""Local development stack: Kafka, PostgreSQL, provider sinks and a process supervisor."""
