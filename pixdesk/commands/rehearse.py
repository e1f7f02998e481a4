"""``pixdesk rehearse``: a full exam without the GUI, through the real engine and journal.

IT runs it as a health check; the crash tests kill it and resume it. Each answer is
printed only once the journal has made it durable. ``--version v2`` rehearses the legacy
profile-based certification with a demo candidate whose profile is certifiable.
"""

from __future__ import annotations

import argparse
import functools
import logging
import random
import time
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pixdesk.bundle import ExamBundle
    from pixdesk.exam import LiveAttempt
    from pixdesk.session import Candidate
    from pixdesk.store.journal import Journal

NAME = "rehearse"
HELP = "passer un examen complet sans interface / run a full exam without the GUI"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--answers", choices=("random", "correct"), default="random")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--resume", action="store_true", help="continue the unfinished attempt")
    parser.add_argument("--delay-ms", type=int, default=0, help="wait between answers")
    parser.add_argument("--data-dir", help="where the journal is kept")
    parser.add_argument("--candidate", help="demo candidate id (default: the first who can "
                        "sit the chosen version)")
    parser.add_argument("--version", help="certification version id in the demo package, or "
                        "an algorithm (v2, v3); default: the session's")
    parser.add_argument("--session-config", action="store_true", help="the session and package "
                        "named in pixdesk.toml instead of the demo (IT's dry run before an exam)")


def run(args: argparse.Namespace) -> int:
    from pixdesk import paths
    from pixdesk.demo import load_demo
    from pixdesk.engine.attempt import Phase
    from pixdesk.engine.review import model_answer, wrong_answer
    from pixdesk.errors import UsageError
    from pixdesk.exam import LiveAttempt
    from pixdesk.store.journal import Journal

    if args.session_config:
        from pixdesk.bundle import load_configured
        from pixdesk.commands._machine import machine_settings

        data_dir, config = machine_settings(args)
        demo = load_configured(config, data_dir)
        version_id = _version_id(demo, args.version)
        journal = Journal.open(data_dir, allow_file_key=config.allow_file_key)
    else:
        demo = load_demo()
        version_id = _version_id(demo, args.version)
        journal = Journal.open(paths.data_dir(args.data_dir), demo=True)
    try:
        if args.resume:
            attempt_id = _unfinished(journal)
            if attempt_id is None:
                raise UsageError(
                    "rehearse.nothing_to_resume",
                    "Aucune épreuve en cours à reprendre.",
                    "No unfinished attempt to resume.",
                )
            live = LiveAttempt.reopen(journal, demo.content, attempt_id)
            _authorise_again(live)
            item = live.attempt.current_item
            print(f"reprise attempt={attempt_id} item={item.id if item else '-'} "
                  f"remaining_ms={live.remaining_ms()}", flush=True)
        else:
            seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
            candidate = _candidate(demo, version_id, args.candidate)
            attempt_id = f"rehearse-{uuid.uuid4()}"
            live = LiveAttempt.check_in(
                journal, demo.content, demo.session, candidate, attempt_id=attempt_id, seed=seed,
                version_id=version_id,
            )
            live.act(live.attempt.authorise)
            live.act(live.attempt.begin)
            print(f"début attempt={attempt_id} seed={seed} version={version_id} "
                  f"candidate={candidate.id} questions={live.attempt.test_length}", flush=True)
        chooser = random.Random(args.seed)
        while live.phase is Phase.RUNNING:
            _wait(live, args.delay_ms)
            item = live.attempt.current_item
            if live.phase is not Phase.RUNNING or item is None:
                break
            if not live.attempt.item_started:
                live.act(live.attempt.start_timed_item)
            right = args.answers == "correct" or chooser.random() < 0.5
            answer = model_answer(item) if right else wrong_answer(item)
            stored = live.act(functools.partial(live.attempt.submit, answer))
            submitted = stored[0]
            following = live.attempt.current_item
            print(f"seq={submitted.seq} item={item.id} status={submitted.payload['status']} "
                  f"remaining_ms={live.remaining_ms()} next={following.id if following else '-'}",
                  flush=True)
        result = live.result() or {}
        print(f"fin attempt={attempt_id} reason={live.attempt.state.end_reason} "
              f"status={result.get('status')} score={result.get('score')} "
              f"level={result.get('level_name') or '-'}{_v2_details(result)} "
              f"receipt={live.receipt() or '-'}", flush=True)
        logging.getLogger(__name__).info(
            "rehearsal %s ended (%s)", attempt_id, live.attempt.state.end_reason
        )
        return 0
    finally:
        journal.close()


def _v2_details(result: dict[str, object]) -> str:
    """v2 has no global level: show the reproducibility rate and the certified levels."""
    if "reproducibility_rate" not in result:
        return ""
    levels = result.get("competence_levels")
    shown = " ".join(f"{c}:{lv}" for c, lv in levels.items()) if isinstance(levels, dict) else ""
    return f" rate={result['reproducibility_rate']} competences={shown or '-'}"


def _version_id(demo: ExamBundle, wanted: str | None) -> str:
    """An exact version id, or the first version of the package running that algorithm."""
    from pixdesk.errors import UsageError

    versions = demo.content.versions
    if wanted is None:
        return demo.session.version_id
    if wanted in versions:
        return wanted
    for version in versions.values():
        if version.algorithm == wanted:
            return version.id
    raise UsageError(
        "rehearse.unknown_version",
        f"Version inconnue : {wanted} (disponibles : {', '.join(versions)}).",
        f"Unknown version: {wanted} (available: {', '.join(versions)}).",
    )


def _candidate(demo: ExamBundle, version_id: str, wanted: str | None) -> Candidate:
    """The named demo candidate, or the first one the version accepts (for v2, the first
    with a certifiable profile)."""
    from pixdesk.engine.legacy_v2 import refusal
    from pixdesk.errors import UsageError

    session = demo.session
    if wanted is not None:
        try:
            return session.candidate(wanted)
        except KeyError:
            raise UsageError(
                "rehearse.unknown_candidate",
                f"Candidat de démonstration inconnu : {wanted}.",
                f"Unknown demo candidate: {wanted}.",
            ) from None
    version = demo.content.versions[version_id]
    for candidate in session.candidates:
        if version.algorithm != "v2" or refusal(candidate.v2_profile, version.legacy_v2) is None:
            return candidate
    raise UsageError(
        "rehearse.no_candidate",
        f"Aucun candidat de démonstration ne peut passer la version {version_id}.",
        f"No demo candidate can sit version {version_id}.",
    )


def _unfinished(journal: Journal) -> str | None:
    for info in reversed(journal.attempts()):
        events = journal.events(info.attempt_id)
        if events and events[-1].kind != "ended":
            return info.attempt_id
    return None


def _authorise_again(live: LiveAttempt) -> None:
    """In rehearsal the invigilator is simulated: lift the lock and resume after a restart."""
    from pixdesk.engine.attempt import Phase

    if live.phase is Phase.LOCKED:
        live.act(live.attempt.unlock)
    if live.phase is Phase.PAUSED:
        live.act(live.attempt.resume)
    if live.phase is Phase.AUTHORISED:
        live.act(live.attempt.begin)


def _wait(live: LiveAttempt, delay_ms: int) -> None:
    """Let time pass like a candidate thinking, ticking every second (heartbeats)."""
    deadline = time.monotonic() + delay_ms / 1000
    while True:
        live.act(live.attempt.tick)
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(1.0, left))
