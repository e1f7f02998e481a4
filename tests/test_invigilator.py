"""The invigilator password: ≥ 55 bits, forgiving to type, and a wait between wrong tries
that survives a restart of the app."""

from __future__ import annotations

import math
import re
from pathlib import Path

from pixdesk import crypto, invigilator
from pixdesk.invigilator import WrongTries, delay_after, seconds_left
from pixdesk.session import Session


def test_a_drawn_password_has_at_least_55_bits_grouped_for_reading() -> None:
    drawn = {invigilator.new_password() for _ in range(200)}
    assert len(drawn) == 200
    for password in drawn:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}",
                            password)
        assert invigilator.is_strong(password)
    assert len(set(invigilator.ALPHABET)) == 32 and not set("ILOU") & set(invigilator.ALPHABET)
    assert invigilator.SYMBOLS * math.log2(len(invigilator.ALPHABET)) >= 55


def test_typing_ignores_case_separators_and_misread_symbols() -> None:
    assert invigilator.normalise(" k7m2-pq4x 9tr ") == "K7M2PQ4X9TR"
    assert invigilator.normalise("AbO1-Il0.0") == "AB011100"
    assert invigilator.normalise("oil") == "011"


def test_short_or_foreign_passwords_are_not_strong() -> None:
    for weak in ("SURV26", "K7M2PQ", "K7M2-PQ4X-9T", "K7M2-PQ4X-9TÉ", "K7M2-PQ4X-9T!"):
        assert not invigilator.is_strong(weak)
    assert invigilator.is_strong("k7m2 pq4x 9tr")


def test_the_session_accepts_the_password_however_it_is_typed() -> None:
    stored = crypto.hash_secret(invigilator.normalise("K7M2-PQ4X-9TR"), n=2**4)
    session = Session("1", "C", "C", "2027-03-02", "B12", "", stored, "v", "p", ())
    for typed in ("K7M2-PQ4X-9TR", "k7m2pq4x9tr", "K7M2 PQ4X 9TR"):
        assert session.check_invigilator_password(typed)
    assert not session.check_invigilator_password("K7M2-PQ4X-9TS")


def test_the_production_scrypt_cost_is_64_mib() -> None:
    stored = crypto.hash_secret("X")
    assert stored.split("$")[1:4] == [str(2**16), "8", "1"]
    assert crypto.verify_secret("X", stored)


def test_the_wait_doubles_up_to_a_minute() -> None:
    assert [delay_after(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_wrong_tries_survive_a_reopen_of_the_store(tmp_path: Path) -> None:
    first = WrongTries(tmp_path)
    for at in (1_000, 2_000, 3_000, 4_000):
        first.record_failure("invigilator", at)
    del first
    reopened = WrongTries(tmp_path).load("invigilator")
    assert (reopened.failures, reopened.last_ms) == (4, 4_000)
    assert seconds_left(reopened.failures, reopened.last_ms, 4_500) == 8
    assert seconds_left(reopened.failures, reopened.last_ms, 9_000) == 3
    assert seconds_left(reopened.failures, reopened.last_ms, 20_000) == 0
    assert WrongTries(tmp_path).load("opening").failures == 0


def test_a_clock_set_back_does_not_shorten_the_wait() -> None:
    assert seconds_left(4, 10_000, 1_000) == 8


def test_the_right_password_resets_the_count_but_keeps_the_log(tmp_path: Path) -> None:
    tries = WrongTries(tmp_path)
    tries.record_failure("invigilator", 1_000)
    tries.record_failure("invigilator", 5_000)
    tries.reset("invigilator")
    assert WrongTries(tmp_path).load("invigilator").failures == 0
    assert WrongTries(tmp_path).refusals("invigilator") == [(1_000, 1), (5_000, 2)]
