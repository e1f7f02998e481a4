"""The candidate's receipt code (shared by client and server, in ``pixdesk.chain``)."""

from __future__ import annotations

import base64
import hashlib
import re

from pixdesk.chain import receipt_code


def test_receipt_code_is_ten_base32_characters_of_the_domain_separated_hash() -> None:
    head = "ab" * 32
    code = receipt_code("att-1", head)
    digest = hashlib.sha256(b"pixdesk-receipt-v1|att-1|" + head.encode()).digest()
    expected = base64.b32encode(digest).decode()[:10]
    assert re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", code)
    assert code.replace("-", "") == expected


def test_receipt_code_changes_with_the_attempt_and_with_the_head() -> None:
    head = "ab" * 32
    assert receipt_code("att-1", head) != receipt_code("att-2", head)
    assert receipt_code("att-1", head) != receipt_code("att-1", "ac" + "ab" * 31)
