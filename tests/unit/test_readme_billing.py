"""The README's billing section tells the truth about the local default: the demo partner it
prints is the one `make up` seeds, its VA is the demo family's, and its shell signs exactly as
billing verifies (common.bridging). The end-to-end test runs the same blocks against a platform."""

from __future__ import annotations

from common.bridging import signature
from devstack.platform import LOCAL_DEMO_PARTNERS, demo_partner_lines
from services.billing.domain.virtual_account import virtual_account
from synthetic.population import DEMO_PEOPLE
from tests import readme_commands


def test_the_published_demo_bank_partner_is_the_one_make_up_seeds() -> None:
    line = "demo bank partner: cons-id 1001, secret demo-bank-secret-local"
    assert f"\n{line}\n" in readme_commands.section()
    assert demo_partner_lines(LOCAL_DEMO_PARTNERS)[0] == line


def test_the_commands_name_the_demo_family_s_va() -> None:
    head = next(p for p in DEMO_PEOPLE if p.family_id == "1871092005100003"
                and p.relationship == "head")
    assert f"VA={virtual_account(head.card_number)}" in readme_commands.PUBLISHED


def test_the_shell_signs_as_billing_verifies() -> None:
    # `date` pinned, so the signature can be compared; the sign function is the README's.
    out = readme_commands.run('echo "$TS $SIG"\n', gateway="http://x", cons_id="1001",
                              secret="demo-bank-secret-local", va="1",
                              before="date() { echo 1767225600; }\nsign\n")
    assert out.split() == ["1767225600", signature("1001", "1767225600",
                                                   "demo-bank-secret-local")]


def test_the_commands_need_no_python() -> None:
    for block in readme_commands.blocks():
        assert "python" not in block
        assert "jq" not in block.split()
