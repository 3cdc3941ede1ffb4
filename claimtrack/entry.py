"""The console script: `claimtrack --version` answers before the command line is even built."""

from __future__ import annotations

import sys


def main() -> None:
    """Run claimtrack; the version alone needs nothing but the package."""
    if sys.argv[1:] == ["--version"]:
        from claimtrack import __version__

        sys.stdout.write(f"claimtrack {__version__}\n")
        return
    from claimtrack.cli import main as run

    run()
