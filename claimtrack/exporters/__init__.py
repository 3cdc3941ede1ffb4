"""Export formats: each module declares NAMES and an `export(store, where, out, options)` function.

The registry is built from the modules, so adding a format is adding one module to FORMAT_MODULES.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from claimtrack.errors import ClaimtrackError

FORMAT_MODULES = ("jsonl", "json_array", "csv_table", "claimreview", "csl_json")


def registry() -> dict[str, ModuleType]:
    """Every export format by each of its names."""
    formats: dict[str, ModuleType] = {}
    for module_name in FORMAT_MODULES:
        module = importlib.import_module(f"claimtrack.exporters.{module_name}")
        for name in module.NAMES:
            formats[name] = module
    return formats


def exporter(name: str) -> ModuleType:
    """The module for format NAME, or an error listing the formats."""
    formats = registry()
    if name not in formats:
        raise ClaimtrackError(f"'{name}' is not an export format. Use one of: {', '.join(formats)}.", exit_code=2)
    return formats[name]
