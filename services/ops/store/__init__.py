"""Where the ops service's state lives: the faust tables' names and topics, and the committed
changelogs the figures API reads (Kafka, not PostgreSQL: the worker's tables are its store)."""
