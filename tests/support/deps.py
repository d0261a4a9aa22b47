"""Test prerequisites beyond PyPI, installed by ``make test`` before pytest runs.

Nothing here is optional: a missing prerequisite fails the run loudly.
"""

from __future__ import annotations

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


def main() -> None:
    npm_packages()


if __name__ == "__main__":
    main()
