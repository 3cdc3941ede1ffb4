"""Export formats: each module declares NAMES and an `export(store, where, out, options)` function.

Adding a format is adding one module and its name to FORMAT_MODULES.
"""

from __future__ import annotations

from types import ModuleType

from claimtrack import registry

FORMAT_MODULES = ("jsonl", "json_array", "csv_table", "claimreview", "csl_json")


def exporter(name: str) -> ModuleType:
    """The module for export format NAME."""
    return registry.find(registry.build(__name__, FORMAT_MODULES), name, "export")
