"""Finds personal values in log files: the end-to-end suite's last check.

It knows the NIKs, KK numbers, card numbers, phones and emails a run used and reports the file
and line of each one found in a log, by kind, never the value itself (the report is a log too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d)*")  # phones are written with spaces or dashes too
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _kind_of_digits(digits: str) -> tuple[str, str] | None:
    """(kind, the digits to look for) for a NIK/KK, a card or a phone; None for anything else."""
    if len(digits) == 16:
        return "nik", digits
    if len(digits) == 13 and digits.startswith("000"):
        return "card", digits
    # A phone is matched by its national number (after +62, 62 or 0), in any of its forms.
    national = digits[2:] if digits.startswith("62") else digits[1:] if digits[:1] == "0" else ""
    if national.startswith("8") and 9 <= len(national) <= 12:
        return "phone", national
    return None


@dataclass
class Personal:
    """The personal values a run used, normalised for matching."""

    digits: dict[str, str] = field(default_factory=dict)  # digits -> kind
    emails: set[str] = field(default_factory=set)

    def add(self, value: object) -> None:
        """Remember value if it is shaped like a personal value; nested JSON is walked."""
        if isinstance(value, dict):
            for v in value.values():
                self.add(v)
        elif isinstance(value, list | tuple):
            for v in value:
                self.add(v)
        elif isinstance(value, str):
            if _EMAIL.fullmatch(value.strip()):
                self.emails.add(value.strip().lower())
            elif re.fullmatch(r"\+?[\d -]+", value.strip()):
                if kind := _kind_of_digits(re.sub(r"\D", "", value)):
                    self.digits[kind[1]] = kind[0]

    def find(self, line: str) -> list[str]:
        """The kinds of the values that occur in one line."""
        kinds = []
        lengths = {len(d) for d in self.digits}
        for run in _DIGIT_RUN.finditer(line):
            digits = re.sub(r"\D", "", run.group())
            for n in lengths:
                for i in range(len(digits) - n + 1):
                    if (kind := self.digits.get(digits[i:i + n])) is not None:
                        kinds.append(kind)
        kinds += ["email" for e in _EMAIL.findall(line) if e.lower() in self.emails]
        return kinds


def scan(files: Iterable[Path], personal: Personal) -> list[str]:
    """`path:line: kinds` for every line of every file that holds a personal value."""
    findings = []
    for path in files:
        try:
            with open(path, errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if kinds := personal.find(line):
                        findings.append(f"{path}:{number}: {', '.join(sorted(set(kinds)))}")
        except FileNotFoundError:
            continue
    return findings


def log_files(*places: Path | None) -> list[Path]:
    """Every *.log file in the given directories, and the given files themselves."""
    out: list[Path] = []
    for place in places:
        if place is None:
            continue
        out += sorted(place.glob("*.log")) if place.is_dir() else [place]
    return out
