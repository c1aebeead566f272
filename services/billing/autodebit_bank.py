"""The bank that collects autodebit mandates: a real one over HTTP when BILLING_AUTODEBIT_URL is
set, otherwise a built-in simulator whose answers depend only on the account number.

Built once by the worker task (settings decide which); handlers receive it and never know.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

import httpx

# ISO 8583-style response codes, as Indonesian banks' host-to-host APIs answer them.
APPROVED = "00"
INSUFFICIENT_FUNDS = "51"


@dataclass(frozen=True)
class BankAnswer:
    succeeded: bool
    code: str
    message: str


class Bank(Protocol):
    async def collect(self, collection_id: uuid.UUID, bank: str, account_number: str,
                      amount: int) -> BankAnswer: ...


class SimulatedBank:
    """Deterministic: an account number ending in 9 has insufficient funds; any other pays.
    Tests and the local stack choose the outcome by the account they register."""

    async def collect(self, collection_id: uuid.UUID, bank: str, account_number: str,
                      amount: int) -> BankAnswer:
        if account_number.endswith("9"):
            return BankAnswer(False, INSUFFICIENT_FUNDS, "insufficient funds")
        return BankAnswer(True, APPROVED, "approved")


class HttpBank:
    """POST {collection_id, bank, account_number, amount} to the bank; `code` "00" is paid.

    The collection id is the bank's idempotency reference: asking again after a crash
    cannot debit twice.
    """

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url, self.timeout = url, timeout

    async def collect(self, collection_id: uuid.UUID, bank: str, account_number: str,
                      amount: int) -> BankAnswer:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            r = await client.post(self.url, json={
                "collection_id": str(collection_id), "bank": bank,
                "account_number": account_number, "amount": amount})
        r.raise_for_status()
        data = r.json()
        code = str(data.get("code", ""))
        return BankAnswer(code == APPROVED, code, str(data.get("message", ""))[:200])


def bank_for(url: str | None) -> Bank:
    """The configured bank: HTTP when a URL is given, else the simulator."""
    return HttpBank(url) if url else SimulatedBank()
