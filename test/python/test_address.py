import json
from pathlib import Path

import pytest

from addon.address import AddressError, normalize_server

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "test/fixtures/address-cases.json").read_text())
# the codes the settings page has words for (ADDRESS_WORDS in web/src/ui/settings/words.ts)
PAGE_WORDS = (ROOT / "web/src/ui/settings/words.ts").read_text()


@pytest.mark.parametrize("case", CASES, ids=lambda c: repr(c["input"]))
def test_same_address_rules_as_the_page(case: dict) -> None:
    if case["ok"]:
        assert normalize_server(case["input"]) == case["url"]
    else:
        with pytest.raises(AddressError) as refused:
            normalize_server(case["input"])
        # a code, never a sentence: the page words it
        assert f"  {refused.value.code}: " in PAGE_WORDS
