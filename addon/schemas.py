"""Checks data against JSON Schema with the jsonschema package Anki ships.

jsonschema is imported by the first check, never when the add-on loads: its import takes
longer than the add-on's whole start. Only what jsonschema 4.1 already had is used (older
Anki bundles pin it), so no references between documents.
"""

from __future__ import annotations

import functools
import math
from typing import Any


def _is_integer(_checker: Any, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(_checker: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache needs Python 3.9
def _validator_class() -> Any:
    # here, not at the top: see the module's docstring (Anki ships no type stubs for it)
    import jsonschema  # type: ignore[import-untyped]

    # JSON has no NaN or Infinity and tells 1 from 1.0 and from true; jsonschema's defaults do not
    checker = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number})
    return jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=checker)


class Schema:
    """A JSON Schema, and its validator once the first check needs one."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._validator: Any = None

    def errors(self, data: Any) -> list[Any]:
        """Every way `data` does not fit (jsonschema's ValidationError); [] when it fits."""
        if self._validator is None:
            self._validator = _validator_class()(self.schema)
        return list(self._validator.iter_errors(data))


def check_schema(schema: dict[str, Any]) -> None:
    """Raises when `schema` is not valid JSON Schema (2020-12)."""
    _validator_class().check_schema(schema)
