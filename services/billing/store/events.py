"""Integration events into the outbox, in the caller's transaction (the relay publishes them)."""

from common.outbox import Stager

STAGER = Stager("billing")
stage = STAGER.stage  # one event, keyed by family or payer id
stage_many = STAGER.stage_many  # a bill run's chunk in one round trip
