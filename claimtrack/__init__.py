"""claimtrack: record attributed quotes and claims, and find them again."""

__version__ = "0.1.0"
