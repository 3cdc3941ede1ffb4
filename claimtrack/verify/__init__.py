"""Checking a quote against its source: the passage it comes from and how its words differ.

The public face is `verify_quote` (a quote and a source's text to a `Verification`) and `classify_drift`
(two versions of one quote compared whole); pure functions, with no database and no network.
"""

from __future__ import annotations


def __getattr__(name):
    # The package stays light to import: its modules (and rapidfuzz) load when their names are first used.
    if name in ("verify_quote", "classify_drift", "Verification", "RESULTS", "FOUND_AT"):
        from claimtrack.verify import classify

        return getattr(classify, name)
    raise AttributeError(name)


__all__ = ["FOUND_AT", "RESULTS", "Verification", "classify_drift", "verify_quote"]
