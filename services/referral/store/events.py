"""Referral's integration events into the outbox, in the caller's transaction."""

from common.outbox import Stager

STAGER = Stager("referral")
stage = STAGER.stage
stage_many = STAGER.stage_many
