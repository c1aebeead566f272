"""Notify: turns events into email and SMS, with durable retries and a record of every attempt."""
