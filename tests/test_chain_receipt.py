"""The candidate's receipt code: the format agreed with the server, byte for byte."""

from __future__ import annotations

import base64
import hashlib
import re

from pixdesk.chain import receipt_code


def test_the_receipt_is_base32_of_the_domain_separated_digest_grouped_by_five() -> None:
    head = "ab" * 32
    digest = hashlib.sha256(b"pixdesk-receipt-v1|att-1|" + head.encode()).digest()
    expected = base64.b32encode(digest).decode()[:10]
    code = receipt_code("att-1", head)
    assert code == f"{expected[:5]}-{expected[5:]}"
    assert re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", code)


def test_the_receipt_changes_with_the_attempt_and_with_the_head() -> None:
    head = "ab" * 32
    assert receipt_code("att-1", head) != receipt_code("att-2", head)
    assert receipt_code("att-1", head) != receipt_code("att-1", "ac" + head[2:])
