"""Format registries: each format is a module that declares its NAMES; the registry is built from them."""

from __future__ import annotations

import importlib
from types import ModuleType

from claimtrack.errors import ClaimtrackError


def build(package: str, modules: tuple[str, ...]) -> dict[str, ModuleType]:
    """Every format module of PACKAGE by each of the names it declares."""
    formats: dict[str, ModuleType] = {}
    for module_name in modules:
        module = importlib.import_module(f"{package}.{module_name}")
        for name in module.NAMES:
            formats[name] = module
    return formats


def find(formats: dict[str, ModuleType], name: str, what: str) -> ModuleType:
    """The module for format NAME, or an error (exit 2) listing the formats there are."""
    if name not in formats:
        raise ClaimtrackError(f"'{name}' is not an {what} format. Use one of: {', '.join(formats)}.", exit_code=2)
    return formats[name]
