import json
from pathlib import Path

import pytest

from addon.address import AddressError, normalize_server

CASES = json.loads((Path(__file__).resolve().parents[2] / "test/fixtures/address-cases.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: repr(c["input"]))
def test_same_address_rules_as_the_page(case: dict) -> None:
    if case["ok"]:
        assert normalize_server(case["input"]) == case["url"]
    else:
        with pytest.raises(AddressError):
            normalize_server(case["input"])
