"""Test prerequisites beyond PyPI, installed by ``make test`` before pytest runs.

Nothing here is optional: a missing prerequisite fails the run loudly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def npm_packages() -> None:
    """The OpenID Connect provider the auth tests run (npm's oidc-provider)."""
    folder = ROOT / "tests" / "support" / "oidc_provider"
    if not (folder / "package.json").exists():
        return
    if (folder / "node_modules").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("make test needs Node.js and npm (for the test OpenID provider)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=folder, check=True)


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium() -> None:
    """Debian's Chromium for the browser tests (Playwright's own download is
    not available everywhere, and we do not want a second browser build)."""
    if any(Path(p).exists() for p in CHROMIUM_CANDIDATES):
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        sys.exit(
            "make test needs Chromium for the browser tests: install Debian's 'chromium' "
            "package (or set PARLEY_CHROMIUM to a Chromium binary)"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=True, env=env)
    subprocess.run(
        [apt, "install", "-y", "-qq", "--no-install-recommends", "chromium"], check=True, env=env
    )


def main() -> None:
    npm_packages()
    if not os.environ.get("PARLEY_CHROMIUM"):
        chromium()


if __name__ == "__main__":
    main()
