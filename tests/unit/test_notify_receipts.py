"""Provider receipts move a message's status forward only, whatever order they arrive in."""

from __future__ import annotations

import itertools

import pytest

from services.notify.domain.receipts import Status, Transition, apply_receipt

Q, S, D, R, F = Status.QUEUED, Status.SENT, Status.DELIVERED, Status.READ, Status.FAILED

# current -> {receipt: status after}
EXPECTED = {
    Q: {Q: Q, S: S, D: D, R: R, F: F},
    S: {Q: S, S: S, D: D, R: R, F: F},
    D: {Q: D, S: D, D: D, R: R, F: D},
    R: {Q: R, S: R, D: R, R: R, F: R},
    F: {Q: F, S: F, D: D, R: R, F: F},
}


@pytest.mark.parametrize(("current", "receipt"), list(itertools.product(Status, Status)))
def test_every_receipt_against_every_status(current, receipt):
    after = EXPECTED[current][receipt]
    assert apply_receipt(current, receipt) == Transition(after, after != current)


def test_delivered_after_read_stays_read():
    assert apply_receipt(R, D) == Transition(R, False)


def test_a_duplicate_receipt_changes_nothing():
    assert all(not apply_receipt(s, s).changed for s in Status)


@pytest.mark.parametrize("order", list(itertools.permutations([S, D, R])))
def test_any_order_of_sent_delivered_read_ends_read(order):
    status = Q
    for receipt in order:
        status = apply_receipt(status, receipt).status
    assert status is R


def test_a_failure_before_delivery_fails_and_a_late_delivery_overrules_it():
    assert apply_receipt(S, F) == Transition(F, True)
    assert apply_receipt(F, D) == Transition(D, True)
    assert apply_receipt(D, F) == Transition(D, False)
