"""Debian's Chromium and its WebDriver, for the dashboard's browser test (tests/e2e/)."""

from __future__ import annotations

import shutil
from pathlib import Path

from devstack.apt import apt_install

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def ensure_chromium_installed() -> tuple[str, str]:
    """The chromium and chromedriver binaries, installing chromium-driver (which brings
    chromium) with apt when either is missing. Selenium is pointed at these: it downloads
    nothing."""
    found = [shutil.which(name) or (path if Path(path).is_file() else None)
             for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER))]
    if all(found):
        return found[0], found[1]
    apt_install("chromium-driver", "Chromium and its WebDriver", "selenium/standalone-chromium")
    return CHROMIUM, CHROMEDRIVER
