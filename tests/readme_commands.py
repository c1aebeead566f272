"""The README's bank partner commands as the tests run them: the three shell blocks under
"Bills and the bank partner API", verbatim but for the one line that names the door, the
partner and the VA. So the README cannot drift from what the platform accepts."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "### Bills and the bank partner API"
# The setup block's first line, as published for the local default.
PUBLISHED = "G=http://127.0.0.1:8000 CONS=1001 SECRET=demo-bank-secret-local VA=8888809900000011"


def section() -> str:
    text = README.read_text()
    assert SECTION in text, f"README.md has no {SECTION!r}"
    return re.split(r"\n#{2,3} ", text.split(SECTION, 1)[1], maxsplit=1)[0]


def blocks() -> tuple[str, str, str]:
    """(setup, inquiry, payment), each a shell block of the section."""
    found = re.findall(r"```sh\n(.*?)```", section(), re.S)
    assert len(found) == 3, "the section has the setup, inquiry and payment blocks"
    assert found[0].startswith(PUBLISHED + "\n"), "the setup block names the local default"
    return found[0], found[1], found[2]


def run(block: str, *, gateway: str, cons_id: str, secret: str, va: str,
        before: str = "") -> str:
    """Run the setup block (with these values) then `block` in bash; its standard output."""
    setup = blocks()[0]
    ours = " ".join(f"{k}={shlex.quote(v)}" for k, v in
                    (("G", gateway), ("CONS", cons_id), ("SECRET", secret), ("VA", va)))
    script = setup.replace(PUBLISHED, ours, 1) + before + block
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout
