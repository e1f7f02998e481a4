"""The attempt state machine: intents in, events out; events are the only truth.

Every intent (``submit``, ``pause``, ``lock``…) is a *decision*: it reads the current state
and returns the events to journal, without changing anything. The caller makes them durable
and only then calls ``apply``; replaying the journal through ``apply`` rebuilds exactly the
same state. The clock is passed in as an ``Instant`` so the machine stays deterministic.

Phases: checked_in → authorised → running ⇄ paused / locked → ended.

The same machine runs both certification algorithms. v3 chooses each next item adaptively;
v2 (``legacy_v2``) draws its whole test at check-in, records it in ``attempt_started`` and
serves it in order, with no replacement for a neutralised question.

``attempt_started`` records the engine's rule version (``rules``, see ``version.RULES``);
answer checking, the reported error and v2 scoring follow the version the attempt started
under, so a replay or a server re-score of an old attempt gives its old result.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import numpy as np

from pixdesk.engine.bank import Answer, Bank, Item
from pixdesk.engine.irt import Estimator, EstimatorState, start_theta
from pixdesk.engine.legacy_v2 import V2Test, generate_test, score_test
from pixdesk.engine.matching import check
from pixdesk.engine.scoring import CertificationResult, final_result, reported_error
from pixdesk.engine.selection import select_next, sympson_hetter_lottery
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.timer import (
    CLOCK_ANOMALY_THRESHOLD_MS,
    ExamTimer,
    Instant,
    limit_ms,
    scaled_item_timer_ms,
)
from pixdesk.engine.version import KNOWN_RULES, RULES, CertificationVersion
from pixdesk.errors import AttemptError

HEARTBEAT_MS = 5_000

ALERT_CATEGORIES = ("image", "embedded", "link", "other")
"""What a candidate may report on a question, as Pix's "Signaler un problème" offers it."""
KIOSK_ALERT = "kiosk:"
"""Prefix of an alert the kiosk guard raises (``kiosk:focus_lost``…): acknowledged only."""
ALERT_VALIDATED = "validated"
ALERT_DISMISSED = "dismissed"
_KIOSK_WHAT = re.compile(r"^[a-z_]{1,40}$")
Proof = Mapping[str, Any] | None
"""A room console command's proof (``pixdesk.room.commands``) journaled with the invigilator
action it caused, for the server to check at re-scoring; None for an action typed at the PC
without one."""


class Kind(StrEnum):
    ATTEMPT_STARTED = "attempt_started"
    AUTHORISED = "authorised"
    BEGAN = "began"
    CHALLENGE_ASSIGNED = "challenge_assigned"
    TIMED_ITEM_STARTED = "timed_item_started"
    ANSWER_SUBMITTED = "answer_submitted"
    PAUSED = "paused"
    RESUMED = "resumed"
    FOCUS_LOST = "focus_lost"
    LOCK_ENGAGED = "lock_engaged"
    UNLOCKED = "unlocked"
    ITEM_NEUTRALISED = "item_neutralised"
    TIME_EXTENDED = "time_extended"
    INCIDENT_REPORTED = "incident_reported"
    HEARTBEAT = "heartbeat"
    CLOCK_ANOMALY = "clock_anomaly"
    SECURITY_EVENT = "security_event"
    APP_RESTARTED = "app_restarted"
    ENDED = "ended"
    ALERT_RAISED = "alert_raised"
    ALERT_CLOSED = "alert_closed"


class Phase(StrEnum):
    NEW = "new"
    CHECKED_IN = "checked_in"
    AUTHORISED = "authorised"
    RUNNING = "running"
    PAUSED = "paused"
    LOCKED = "locked"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Event:
    """One journal entry as the engine sees it; ``used_ms`` is exam time used at that point."""

    kind: Kind
    payload: Mapping[str, Any]
    used_ms: int
    wall_ms: int


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    row: int
    item_id: str
    status: AnswerStatus
    time_spent_ms: int
    counted: bool = True
    neutralised: bool = False


@dataclass(frozen=True, slots=True)
class Alert:
    """A live alert: raised by the candidate on a question (or by the kiosk guard), open
    until the invigilator validates or dismisses it (``outcome``)."""

    alert_id: str
    category: str
    item_id: str
    raised_used_ms: int
    outcome: str | None = None
    time_back_ms: int = 0
    """Exam time given back when validated."""

    @property
    def kiosk(self) -> bool:
        return self.category.startswith(KIOSK_ALERT)


@dataclass(slots=True)
class AttemptState:
    """Everything derived from the events so far. Read it; never write it from outside."""

    phase: Phase = Phase.NEW
    locked_from: Phase | None = None
    lock_reason: str = ""
    """Why the attempt is locked (``lock_engaged``'s reason) while it is; empty otherwise."""
    facts: dict[str, Any] = field(default_factory=dict)
    timer: ExamTimer = field(default_factory=lambda: ExamTimer(limit_ms=0))
    current_row: int | None = None
    current_assigned_ms: int = 0
    current_started_ms: int | None = None
    """Exam time at which the candidate started the current timed item (None: not yet)."""
    current_focus_lost: bool = False
    assignments: int = 0
    answers: list[AnswerRecord] = field(default_factory=list)
    excluded: set[int] = field(default_factory=set)
    theta: float = 0.0
    sd: float = 0.0
    last_event_used_ms: int = 0
    end_reason: EndReason | None = None
    result: dict[str, Any] | None = None
    fraud: bool = False
    history: list[tuple[Kind, int]] = field(default_factory=list)
    alerts: dict[str, Alert] = field(default_factory=dict)
    """Every alert of the attempt by id, in the order raised, open or closed."""

    @property
    def counted_answers(self) -> list[AnswerRecord]:
        return [a for a in self.answers if a.counted and not a.neutralised]

    @property
    def open_alerts(self) -> tuple[Alert, ...]:
        """Alerts awaiting the invigilator; none once the attempt has ended (nobody can
        close them any more, the journal keeps them)."""
        if self.phase is Phase.ENDED:
            return ()
        return tuple(a for a in self.alerts.values() if a.outcome is None)


def _check_phase(state: AttemptState, allowed: Iterable[Phase], action: str) -> None:
    if state.phase not in set(allowed):
        raise AttemptError(
            "attempt.invalid_state",
            f"Action impossible ({action}) : l'épreuve est dans l'état « {state.phase} ».",
            f"Cannot {action}: the attempt is {state.phase}.",
        )


class Attempt:
    """One candidate's certification test, rebuilt from and advanced by events."""

    def __init__(
        self, version: CertificationVersion, bank: Bank, estimator: Estimator | None = None
    ) -> None:
        self.version = version
        self.bank = bank
        self.estimator = estimator or Estimator(version.estimation, bank)
        self.state = AttemptState()
        self._posterior: EstimatorState | None = None
        self._v2_test: V2Test | None = None
        self.rules = RULES
        """The rule version of this attempt, read back from ``attempt_started``."""

    # --- reading -----------------------------------------------------------------------

    @property
    def current_item(self) -> Item | None:
        row = self.state.current_row
        return None if row is None else self.bank.items[row]

    @property
    def v2_test(self) -> V2Test | None:
        """The fixed test of a v2 attempt once checked in; None for v3."""
        return self._v2_test

    @property
    def test_length(self) -> int:
        """Questions the candidate will answer in all: v3's fixed count, or the v2 test's
        items minus those neutralised before being answered."""
        test = self._v2_test
        if test is None:
            return self.version.length
        answered = {a.row for a in self.state.answers}
        return sum(
            1
            for item_id in test.items
            if (row := self.bank.row(item_id)) in answered or row not in self.state.excluded
        )

    @property
    def question_number(self) -> int:
        """1-based position of the question on screen (answers kept + the current one)."""
        return len(self.state.counted_answers) + 1

    def remaining_ms(self, now: Instant) -> int:
        return self.state.timer.remaining_at(now)

    @property
    def item_started(self) -> bool:
        """Whether the current question may be answered: untimed, or a timed one whose
        notice the candidate has passed (``start_timed_item``)."""
        item = self.current_item
        return item is None or item.timer is None or self.state.current_started_ms is not None

    def item_remaining_ms(self, now: Instant) -> int | None:
        """Time left on a timed question, in exam time; None when the item has no timer.
        Its own clock waits for the candidate to start it: until then the whole time is left."""
        item = self.current_item
        if item is None or item.timer is None:
            return None
        if not self.item_started:
            return self._item_limit_ms(item)
        spent = self.state.timer.used_at(now) - self._item_clock_from_ms()
        return max(0, self._item_limit_ms(item) - spent)

    # --- decisions ---------------------------------------------------------------------

    def check_in(
        self,
        *,
        attempt_id: str,
        candidate_id: str,
        session_id: str,
        package_id: str,
        extra_time_percentage: float,
        accessible_only: bool,
        seed: int,
        now: Instant,
        v2_profile: Mapping[str, int] | None = None,
        v2_pix_scores: Mapping[str, int] | None = None,
        seen: Collection[str] = (),
    ) -> list[Event]:
        """Start the attempt under the current rules. A v2 version draws its test here from
        ``v2_profile`` (levels) and ``v2_pix_scores`` (the Pix behind them), avoiding the
        ``seen`` item ids, and refuses a profile that is not certifiable or lacks its Pix."""
        _check_phase(self.state, [Phase.NEW], "check in")
        rng = np.random.default_rng([seed, 0])
        payload = {
            "attempt_id": attempt_id,
            "candidate_id": candidate_id,
            "session_id": session_id,
            "package_id": package_id,
            "version_id": self.version.id,
            "extra_time_percentage": extra_time_percentage,
            "accessible_only": accessible_only,
            "seed": seed,
            "start_theta": start_theta(self.version.estimation, rng),
            "limit_ms": limit_ms(self.version.duration_minutes, extra_time_percentage),
            "rules": RULES,
        }
        if self.version.algorithm == "v2":
            test = generate_test(
                self.bank,
                v2_profile,
                self.version.legacy_v2,
                np.random.default_rng([seed, 0, 1]),
                pix_scores=v2_pix_scores,
                seen=seen,
                accessible_only=accessible_only,
            )
            payload["v2_test"] = test.to_payload()
        return [Event(Kind.ATTEMPT_STARTED, payload, 0, now.wall_ms)]

    def authorise(self, now: Instant, *, proof: Proof = None) -> list[Event]:
        _check_phase(self.state, [Phase.CHECKED_IN], "authorise")
        return [self._event(Kind.AUTHORISED, _proven({}, proof), now)]

    def begin(self, now: Instant) -> list[Event]:
        _check_phase(self.state, [Phase.AUTHORISED], "begin")
        return [self._event(Kind.BEGAN, {}, now), *self._next_or_end([], now)]

    def start_timed_item(self, now: Instant) -> list[Event]:
        """The candidate has read the notice of a timed question and starts it, as in Pix:
        its own time counts from here (the exam's overall time never stopped)."""
        item = self._answerable(started=False)
        if item.timer is None:
            raise AttemptError(
                "attempt.item_not_timed",
                "Cette question n'est pas chronométrée.",
                "This question is not timed.",
            )
        if self.state.current_started_ms is not None:
            raise AttemptError(
                "attempt.item_already_started",
                "Cette question chronométrée est déjà commencée.",
                "This timed question has already been started.",
            )
        return [self._event(Kind.TIMED_ITEM_STARTED, {"item_id": item.id}, now)]

    def submit(self, answer: Answer, now: Instant) -> list[Event]:
        """Check the answer, record it, then serve the next item or end the test."""
        item = self._answerable()
        status = check(item, answer, matching=self.version.matching, rules=self.rules)
        return self._record(item, answer, status, now)

    def skip(self, now: Instant) -> list[Event]:
        item = self._answerable()
        return self._record(item, None, AnswerStatus.SKIPPED, now)

    def time_out(self, answer: Answer | None, now: Instant) -> list[Event]:
        """A timed question whose own time is up ends itself, as in Pix: whatever was
        entered is kept but the outcome is ``timedout`` (a wrong answer), and the test
        moves on. Refused while the question still has time."""
        item = self._answerable()
        remaining = self.item_remaining_ms(now)
        if remaining is None or remaining > 0:
            raise AttemptError(
                "attempt.item_time_left",
                "Cette question n'est pas chronométrée ou son temps n'est pas écoulé.",
                "This question is not timed or its time is not up.",
            )
        return self._record(item, answer, AnswerStatus.TIMED_OUT, now)

    def focus_lost(self, now: Instant) -> list[Event]:
        _check_phase(self.state, [Phase.RUNNING, Phase.PAUSED, Phase.LOCKED], "lose focus")
        item = self.current_item
        return [self._event(Kind.FOCUS_LOST, {"item_id": item.id if item else None}, now)]

    def lock(self, reason: str, now: Instant) -> list[Event]:
        _check_phase(
            self.state, [Phase.AUTHORISED, Phase.RUNNING, Phase.PAUSED, Phase.LOCKED], "lock"
        )
        return [self._event(Kind.LOCK_ENGAGED, {"reason": reason}, now)]

    def unlock(self, now: Instant, *, proof: Proof = None) -> list[Event]:
        _check_phase(self.state, [Phase.LOCKED], "unlock")
        return [self._event(Kind.UNLOCKED, _proven({}, proof), now)]

    def pause(self, now: Instant, *, proof: Proof = None) -> list[Event]:
        _check_phase(self.state, [Phase.RUNNING, Phase.AUTHORISED], "pause")
        return [self._event(Kind.PAUSED, _proven({}, proof), now)]

    def resume(self, now: Instant, *, proof: Proof = None) -> list[Event]:
        _check_phase(self.state, [Phase.PAUSED], "resume")
        return [self._event(Kind.RESUMED, _proven({}, proof), now)]

    def neutralise(self, item_id: str, now: Instant, *, proof: Proof = None) -> list[Event]:
        """The invigilator validates a problem on a question: it leaves the score and the
        pool with every item of its skill; the current question is replaced at once (v3) or
        the test moves on to its next question (v2, whose test is fixed)."""
        _check_phase(self.state, [Phase.RUNNING, Phase.PAUSED, Phase.LOCKED], "neutralise")
        if item_id not in self.bank:
            raise AttemptError(
                "attempt.unknown_item",
                f"Question inconnue : {item_id}.",
                f"Unknown question: {item_id}.",
            )
        row = self.bank.row(item_id)
        answered = any(a.row == row and not a.neutralised for a in self.state.answers)
        if row != self.state.current_row and not answered:
            raise AttemptError(
                "attempt.item_not_served",
                "Cette question n'a pas été posée à ce candidat.",
                "This question was not served to this candidate.",
            )
        events = [self._event(Kind.ITEM_NEUTRALISED, _proven({"item_id": item_id}, proof), now)]
        if row == self.state.current_row:
            excluded = self.state.excluded | self._skill_rows(row)
            events += self._next_or_end([], now, excluded=excluded)
        return events

    def extend_time(self, minutes: int, now: Instant, *, proof: Proof = None) -> list[Event]:
        if minutes <= 0:
            raise AttemptError(
                "attempt.bad_extension",
                "Le temps ajouté doit être positif.",
                "Added time must be positive.",
            )
        _check_phase(
            self.state,
            [Phase.CHECKED_IN, Phase.AUTHORISED, Phase.RUNNING, Phase.PAUSED, Phase.LOCKED],
            "extend time",
        )
        return [self._event(Kind.TIME_EXTENDED, _proven({"minutes": minutes}, proof), now)]

    def report_incident(
        self, category: str, text: str, now: Instant, *, proof: Proof = None
    ) -> list[Event]:
        _check_phase(
            self.state, [p for p in Phase if p is not Phase.NEW], "report an incident"
        )
        payload = _proven({"category": category, "text": text}, proof)
        return [self._event(Kind.INCIDENT_REPORTED, payload, now)]

    def security_event(self, what: str, detail: Mapping[str, Any], now: Instant) -> list[Event]:
        """A fact from the kiosk guard (blocked key, warning, screen change) kept with the
        attempt as evidence; it changes nothing in the test itself."""
        _check_phase(
            self.state, [p for p in Phase if p not in (Phase.NEW, Phase.ENDED)], "record"
        )
        return [self._event(Kind.SECURITY_EVENT, {"what": what, **detail}, now)]

    def end(
        self, reason: EndReason, now: Instant, *, fraud: bool = False, proof: Proof = None
    ) -> list[Event]:
        _check_phase(
            self.state,
            [Phase.CHECKED_IN, Phase.AUTHORISED, Phase.RUNNING, Phase.PAUSED, Phase.LOCKED],
            "end",
        )
        ended = self._ended(reason, now, [], fraud=fraud)
        return [Event(ended.kind, _proven(ended.payload, proof), ended.used_ms, ended.wall_ms)]

    def tick(self, now: Instant) -> list[Event]:
        """Called regularly by the caller: time up, clock anomalies, heartbeats."""
        state = self.state
        if state.phase is Phase.ENDED:
            return []
        events: list[Event] = []
        jump = state.timer.wall_jump_ms(now)
        if abs(jump) > CLOCK_ANOMALY_THRESHOLD_MS:
            events.append(self._event(Kind.CLOCK_ANOMALY, {"wall_jump_ms": jump}, now))
        if state.phase is Phase.RUNNING and state.timer.expired_at(now):
            events.append(self._ended(EndReason.TIME_UP, now, []))
        elif (
            state.phase is Phase.RUNNING
            and state.timer.used_at(now) - state.last_event_used_ms >= HEARTBEAT_MS
        ):
            events.append(self._event(Kind.HEARTBEAT, {}, now))
        return events

    def restart(self, gap_wall_ms: int, now: Instant) -> list[Event]:
        """After the application restarts: log the gap (never counted) and wait for the
        invigilator if the test was under way."""
        if self.state.phase in (Phase.NEW, Phase.ENDED):
            return []
        return [self._event(Kind.APP_RESTARTED, {"gap_wall_ms": gap_wall_ms}, now)]

    # --- live alerts --------------------------------------------------------------------------

    def raise_alert(self, category: str, now: Instant) -> list[Event]:
        """The candidate reports a problem with the question on screen (Pix's "Signaler un
        problème"), or the kiosk guard reports what it saw (``kiosk:<what>``). The test goes
        on: the candidate may keep answering while the invigilator decides. One alert at a
        time per question (per kind of kiosk alert), so a flood of clicks is one alert."""
        kiosk = category.startswith(KIOSK_ALERT)
        if not (category in ALERT_CATEGORIES
                or (kiosk and _KIOSK_WHAT.match(category[len(KIOSK_ALERT):]))):
            raise AttemptError(
                "attempt.alert_bad_category",
                f"Catégorie de signalement inconnue : {category[:40]}.",
                f"Unknown alert category: {category[:40]}.",
            )
        _check_phase(self.state, [Phase.RUNNING], "raise an alert")
        item = self.current_item
        if item is None and not kiosk:
            raise AttemptError(
                "attempt.no_question",
                "Aucune question n'est en cours.",
                "No question is being asked.",
            )
        item_id = item.id if item is not None else ""
        for alert in self.state.open_alerts:
            if (alert.category == category) if kiosk else (
                not alert.kiosk and alert.item_id == item_id
            ):
                raise AttemptError(
                    "attempt.alert_already_open",
                    "Un signalement est déjà en attente du surveillant pour cette question.",
                    "An alert is already waiting for the invigilator on this question.",
                )
        alert_id = f"a{len(self.state.alerts) + 1}"
        payload = {"alert_id": alert_id, "category": category, "item_id": item_id}
        return [self._event(Kind.ALERT_RAISED, payload, now)]

    def validate_alert(
        self, alert_id: str, now: Instant, *, proof: Proof = None
    ) -> list[Event]:
        """The invigilator agrees there is a problem: the question is neutralised and
        replaced exactly as by ``neutralise``, and the exam time the candidate spent on it
        is given back (``time_back_ms``, added to the limit as extra time is). The command
        proof goes on ``alert_closed``; the ``item_neutralised`` it causes names the alert
        (``alert_id``), which is how the server holds it to that proof."""
        alert = self._open_alert(alert_id, "validate an alert")
        if alert.kiosk:
            raise AttemptError(
                "attempt.alert_not_validatable",
                "Une alerte du poste sécurisé se lève seulement (Refuser) : il n'y a pas de "
                "question à remplacer.",
                "A kiosk alert can only be acknowledged (Dismiss): there is no question to "
                "replace.",
            )
        s = self.state
        current = self.current_item
        answered = [a for a in s.answers if a.item_id == alert.item_id and not a.neutralised]
        if current is not None and current.id == alert.item_id:
            spent = s.timer.used_at(now) - s.current_assigned_ms
        elif answered:
            spent = answered[-1].time_spent_ms
        else:
            raise AttemptError(
                "attempt.alert_item_neutralised",
                "La question de ce signalement est déjà neutralisée : refusez le signalement "
                "pour le clore.",
                "The question of this alert is already neutralised: dismiss the alert to "
                "close it.",
            )
        payload = {
            "alert_id": alert_id,
            "outcome": ALERT_VALIDATED,
            "item_id": alert.item_id,
            "time_back_ms": max(0, spent),
        }
        neutralised, *replaced = self.neutralise(alert.item_id, now)
        by_alert = {**neutralised.payload, "alert_id": alert_id}
        return [
            self._event(Kind.ALERT_CLOSED, _proven(payload, proof), now),
            Event(neutralised.kind, by_alert, neutralised.used_ms, neutralised.wall_ms),
            *replaced,
        ]

    def dismiss_alert(
        self, alert_id: str, now: Instant, *, proof: Proof = None
    ) -> list[Event]:
        """The invigilator keeps the question (or acknowledges a kiosk alert)."""
        self._open_alert(alert_id, "dismiss an alert")
        payload = {"alert_id": alert_id, "outcome": ALERT_DISMISSED}
        return [self._event(Kind.ALERT_CLOSED, _proven(payload, proof), now)]

    def _open_alert(self, alert_id: str, action: str) -> Alert:
        _check_phase(self.state, [Phase.RUNNING, Phase.PAUSED, Phase.LOCKED], action)
        alert = self.state.alerts.get(alert_id)
        if alert is None:
            raise AttemptError(
                "attempt.unknown_alert",
                f"Signalement inconnu : {alert_id[:40]}.",
                f"Unknown alert: {alert_id[:40]}.",
            )
        if alert.outcome is not None:
            raise AttemptError(
                "attempt.alert_closed",
                "Ce signalement a déjà été traité.",
                "This alert has already been dealt with.",
            )
        return alert

    # --- applying events -------------------------------------------------------------------

    def replay(self, events: Iterable[Event]) -> None:
        """Rebuild the state from the journal. The timer is left unanchored (not counting)."""
        for event in events:
            self.apply(event, None)

    def apply(self, event: Event, now: Instant | None) -> None:
        """The only mutator. ``now`` is the decision's instant (None when replaying)."""
        s = self.state
        p = event.payload
        s.timer = s.timer.settle(event.used_ms, now)
        s.last_event_used_ms = event.used_ms
        s.history.append((event.kind, event.used_ms))
        match event.kind:
            case Kind.ATTEMPT_STARTED:
                self.rules = _rules_of(p)
                s.facts = dict(p)
                s.timer = ExamTimer(limit_ms=int(p["limit_ms"]))
                s.phase = Phase.CHECKED_IN
                if "v2_test" in p:
                    self._v2_test = V2Test.from_payload(p["v2_test"])
                self._posterior = self.estimator.start(float(p["start_theta"]))
                self._sync_theta()
            case Kind.AUTHORISED:
                s.phase = Phase.AUTHORISED
            case Kind.BEGAN | Kind.RESUMED:
                self._run(now)
            case Kind.PAUSED:
                s.phase = Phase.PAUSED
                s.timer = s.timer.stop(now or _REPLAY)
            case Kind.LOCK_ENGAGED:
                if s.phase is not Phase.LOCKED:
                    s.locked_from = s.phase
                s.phase = Phase.LOCKED
                s.lock_reason = str(p.get("reason", ""))
                s.timer = s.timer.stop(now or _REPLAY)
            case Kind.UNLOCKED:
                previous, s.locked_from, s.lock_reason = s.locked_from, None, ""
                if previous is Phase.RUNNING:
                    self._run(now)
                else:
                    s.phase = previous or Phase.PAUSED
            case Kind.APP_RESTARTED:
                s.timer = s.timer.stop(now or _REPLAY)
                if s.phase is Phase.RUNNING:
                    s.phase = Phase.PAUSED
                elif s.phase is Phase.LOCKED and s.locked_from is Phase.RUNNING:
                    s.locked_from = Phase.PAUSED
            case Kind.CHALLENGE_ASSIGNED:
                s.current_row = self.bank.row(str(p["item_id"]))
                s.current_assigned_ms = event.used_ms
                s.current_started_ms = None
                s.current_focus_lost = False
                s.assignments += 1
            case Kind.TIMED_ITEM_STARTED:
                s.current_started_ms = event.used_ms
            case Kind.ANSWER_SUBMITTED:
                self._apply_answer(p, event.used_ms)
            case Kind.FOCUS_LOST:
                if p.get("item_id") is not None and s.current_row is not None:
                    s.current_focus_lost = True
            case Kind.ITEM_NEUTRALISED:
                self._apply_neutralised(str(p["item_id"]))
            case Kind.TIME_EXTENDED:
                s.timer = s.timer.extend(int(p["minutes"]) * 60_000)
            case Kind.ENDED:
                s.phase = Phase.ENDED
                s.timer = s.timer.stop(now or _REPLAY)
                s.current_row = None
                s.end_reason = EndReason(str(p["reason"]))
                s.result = dict(p["result"])
                s.fraud = bool(p.get("fraud", False))
            case Kind.HEARTBEAT | Kind.INCIDENT_REPORTED | Kind.CLOCK_ANOMALY | Kind.SECURITY_EVENT:
                pass
            case Kind.ALERT_RAISED:
                alert_id = str(p["alert_id"])
                s.alerts[alert_id] = Alert(
                    alert_id, str(p["category"]), str(p.get("item_id") or ""), event.used_ms
                )
            case Kind.ALERT_CLOSED:
                alert_id = str(p["alert_id"])
                back = int(p.get("time_back_ms", 0)) if p["outcome"] == ALERT_VALIDATED else 0
                s.alerts[alert_id] = replace(
                    s.alerts[alert_id], outcome=str(p["outcome"]), time_back_ms=back
                )
                s.timer = s.timer.extend(back)

    # --- internals --------------------------------------------------------------------------

    def _run(self, now: Instant | None) -> None:
        self.state.phase = Phase.RUNNING
        if now is not None:
            self.state.timer = self.state.timer.run(now)

    def _apply_answer(self, p: Mapping[str, Any], used_ms: int) -> None:
        s = self.state
        row = self.bank.row(str(p["item_id"]))
        status = AnswerStatus(str(p["status"]))
        record = AnswerRecord(
            row, str(p["item_id"]), status, int(p["time_spent_ms"]), bool(p.get("counted", True))
        )
        s.answers.append(record)
        s.current_row = None
        if record.counted and self._posterior is not None:
            self._posterior = self.estimator.update(self._posterior, row, status.correct)
            self._sync_theta()

    def _apply_neutralised(self, item_id: str) -> None:
        s = self.state
        row = self.bank.row(item_id)
        s.excluded |= self._skill_rows(row)
        s.answers = [
            AnswerRecord(a.row, a.item_id, a.status, a.time_spent_ms, a.counted, True)
            if a.row == row
            else a
            for a in s.answers
        ]
        if s.current_row == row:
            s.current_row = None
        posterior = self.estimator.start(float(s.facts["start_theta"]))
        for a in s.counted_answers:
            posterior = self.estimator.update(posterior, a.row, a.status.correct)
        self._posterior = posterior
        self._sync_theta()

    def _sync_theta(self) -> None:
        assert self._posterior is not None
        self.state.theta = self._posterior.theta
        self.state.sd = reported_error(self._posterior, self.rules)

    def _skill_rows(self, row: int) -> set[int]:
        skill = self.bank.skill[row]
        return {int(r) for r in np.flatnonzero(self.bank.skill == skill)}

    def _item_limit_ms(self, item: Item) -> int:
        assert item.timer is not None
        return scaled_item_timer_ms(item.timer, float(self.state.facts["extra_time_percentage"]))

    def _item_clock_from_ms(self) -> int:
        """Where the current item's own clock starts: when the candidate started it, or,
        in journals written before ``timed_item_started`` existed, when it was served."""
        started = self.state.current_started_ms
        return self.state.current_assigned_ms if started is None else started

    def _answerable(self, *, started: bool = True) -> Item:
        _check_phase(self.state, [Phase.RUNNING], "answer")
        item = self.current_item
        if item is None:
            raise AttemptError(
                "attempt.no_question",
                "Aucune question n'est en cours.",
                "No question is being asked.",
            )
        if started and not self.item_started:
            raise AttemptError(
                "attempt.item_not_started",
                "Cette question est chronométrée : commencez-la avant d'y répondre.",
                "This question is timed: start it before answering.",
            )
        return item

    def _event(self, kind: Kind, payload: Mapping[str, Any], now: Instant) -> Event:
        return Event(kind, payload, self.state.timer.used_at(now), now.wall_ms)

    def _record(
        self, item: Item, answer: Answer | None, status: AnswerStatus, now: Instant
    ) -> list[Event]:
        s = self.state
        used = s.timer.used_at(now)
        spent = used - s.current_assigned_ms
        item_spent = used - self._item_clock_from_ms()
        if status is AnswerStatus.OK and item.timer is not None and (
            item_spent > self._item_limit_ms(item)
        ):
            status = AnswerStatus.TIMED_OUT
        if status is AnswerStatus.OK and item.focused and s.current_focus_lost:
            status = AnswerStatus.FOCUSED_OUT
        late = s.timer.expired_at(now)
        payload = {
            "item_id": item.id,
            "answer": _jsonable_answer(answer),
            "status": str(status),
            "time_spent_ms": spent,
            "counted": not late,
        }
        submitted = self._event(Kind.ANSWER_SUBMITTED, payload, now)
        if late:
            return [submitted, self._ended(EndReason.TIME_UP, now, [])]
        return [submitted, *self._next_or_end([(item, status)], now)]

    def _next_or_end(
        self,
        pending: Sequence[tuple[Item, AnswerStatus]],
        now: Instant,
        *,
        excluded: set[int] | None = None,
    ) -> list[Event]:
        s = self.state
        excluded = s.excluded if excluded is None else excluded
        if self.version.algorithm == "v2":
            return self._next_in_v2_test(pending, now, excluded)
        answers = [(a.row, a.status) for a in s.counted_answers]
        answers += [(self.bank.row(item.id), status) for item, status in pending]
        if len(answers) >= self.version.length:
            return [self._ended(EndReason.COMPLETED, now, pending)]
        posterior = self._posterior
        assert posterior is not None
        for item, status in pending:
            posterior = self.estimator.update(posterior, self.bank.row(item.id), status.correct)
        seed = int(s.facts["seed"])
        rng = np.random.default_rng([seed, s.assignments + 1])
        lottery = (sympson_hetter_lottery(self.bank, np.random.default_rng([seed, 0, 2]))
                   if "sympson-hetter" in self.version.selection.exposure else None)
        row = select_next(
            self.version,
            self.bank,
            asked=[r for r, _ in answers],
            theta=posterior.theta,
            rng=rng,
            excluded=excluded,
            accessible_only=bool(s.facts["accessible_only"]),
            step=len(answers),
            lottery=lottery,
        )
        if row is None:
            return [self._ended(EndReason.TECHNICAL, now, pending)]
        item_id = self.bank.items[row].id
        return [self._event(Kind.CHALLENGE_ASSIGNED, {"item_id": item_id}, now)]

    def _next_in_v2_test(
        self, pending: Sequence[tuple[Item, AnswerStatus]], now: Instant, excluded: set[int]
    ) -> list[Event]:
        """The first question of the fixed test not yet answered nor neutralised, or the end."""
        done = {a.row for a in self.state.answers} | excluded
        done |= {self.bank.row(item.id) for item, _ in pending}
        for item_id in self._require_v2_test().items:
            if self.bank.row(item_id) not in done:
                return [self._event(Kind.CHALLENGE_ASSIGNED, {"item_id": item_id}, now)]
        return [self._ended(EndReason.COMPLETED, now, pending, excluded=excluded)]

    def _require_v2_test(self) -> V2Test:
        if self._v2_test is None:
            raise AttemptError(
                "attempt.v2_missing_test",
                "Épreuve v2 sans test enregistré au démarrage : le journal est incomplet.",
                "v2 attempt without a test recorded at start: the journal is incomplete.",
            )
        return self._v2_test

    def _ended(
        self,
        reason: EndReason,
        now: Instant,
        pending: Sequence[tuple[Item, AnswerStatus]],
        *,
        fraud: bool = False,
        excluded: set[int] | None = None,
    ) -> Event:
        answers = [(a.row, a.status) for a in self.state.counted_answers]
        answers += [(self.bank.row(item.id), status) for item, status in pending]
        excluded = self.state.excluded if excluded is None else excluded
        result = self.result_of(answers, reason, excluded=excluded, fraud=fraud)
        payload = {"reason": str(reason), "fraud": fraud, "result": result}
        return self._event(Kind.ENDED, payload, now)

    def result_of(
        self,
        answers: Sequence[tuple[int, AnswerStatus]],
        end_reason: EndReason,
        *,
        excluded: Collection[int],
        fraud: bool,
    ) -> dict[str, Any]:
        """The result of these kept answers (bank row, status) under this version's
        algorithm, as journalled in ``ended`` and recomputed by ``rescore``."""
        if self.version.algorithm == "v2":
            test = self._require_v2_test()
            given = {self.bank.items[row].id: status for row, status in answers}
            removed = {i for i in test.items if self.bank.row(i) in excluded}
            try:
                outcome = score_test(
                    test,
                    self.bank,
                    given,
                    removed=removed,
                    end_reason=end_reason,
                    settings=self.version.legacy_v2,
                    fraud=fraud,
                    rules=self.rules,
                )
            except AttemptError as refused:
                return _v2_error(test, given, removed, refused)
            return {
                "status": str(outcome.status),
                "score": outcome.score,
                "level": 0,
                "level_name": "",
                "competence_levels": dict(outcome.competence_levels),
                "theta": 0.0,
                "sd": 0.0,
                "answered": outcome.answered,
                "reproducibility_rate": outcome.reproducibility_rate,
            }
        started = self.state.facts.get("start_theta")
        unjittered = started is not None and float(started) == self.version.estimation.start_theta
        result = final_result(
            self.version,
            self.bank,
            answers,
            end_reason=end_reason,
            estimator=self.estimator,
            excluded=excluded,
            accessible_only=bool(self.state.facts.get("accessible_only", False)),
            fraud=fraud,
            reached=self._posterior if unjittered else None,
            rules=self.rules,
        )
        return result_to_dict(result)


def _rules_of(started: Mapping[str, Any]) -> int:
    """The rule version an ``attempt_started`` payload records (none: rules 1). A version
    this engine does not know comes from a newer PixDesk and is refused, not guessed at."""
    rules = started.get("rules", 1)
    if isinstance(rules, bool) or not isinstance(rules, int) or rules not in KNOWN_RULES:
        raise AttemptError(
            "attempt.unknown_rules",
            f"Cette épreuve suit des règles de notation inconnues de ce logiciel ({rules!r}) : "
            "mettez PixDesk à jour.",
            f"This attempt follows scoring rules this software does not know ({rules!r}): "
            "update PixDesk.",
        )
    return rules


def _proven(payload: Mapping[str, Any], proof: Proof) -> Mapping[str, Any]:
    """The payload, with the command proof as received when there is one (none: the payload
    of journals written before the room console, unchanged)."""
    return payload if proof is None else {**payload, "proof": dict(proof)}


_REPLAY = Instant(0, 0)
"""Stands for "now" when replaying: unanchored timers ignore it."""


def _jsonable_answer(answer: Answer | None) -> Any:
    if answer is None or isinstance(answer, int | str):
        return answer
    if isinstance(answer, Mapping):
        return {str(k): v for k, v in answer.items()}
    return list(answer)


def _v2_error(
    test: V2Test, given: Mapping[str, AnswerStatus], removed: Collection[str], refused: AttemptError
) -> dict[str, Any]:
    """A v2 test Pix's rules cannot score ends all the same, with Pix's "error" status (En
    erreur) and the refusal that caused it, so the journal closes and a jury sees why."""
    return {
        "status": str(ResultStatus.ERROR),
        "score": 0,
        "level": 0,
        "level_name": "",
        "competence_levels": dict.fromkeys(test.levels, 0),
        "theta": 0.0,
        "sd": 0.0,
        "answered": sum(1 for i in test.items if i in given and i not in removed),
        "reproducibility_rate": None,
        "error": {"code": refused.code, "fr": refused.fr, "en": refused.en},
    }


def result_to_dict(result: CertificationResult) -> dict[str, Any]:
    return {
        "status": str(result.status),
        "score": result.score,
        "level": result.level,
        "level_name": result.level_name,
        "competence_levels": dict(result.competence_levels),
        "theta": round(result.theta, 6),
        "sd": round(result.sd, 6),
        "answered": result.answered,
    }


def rescore(
    version: CertificationVersion,
    bank: Bank,
    events: Iterable[Event],
    estimator: Estimator | None = None,
) -> dict[str, Any]:
    """What the result should be, recomputed from the events alone (server-side check).

    A server re-scoring many attempts passes the ``estimator`` it built once for this
    version and bank: building its tables costs as much as a replay."""
    attempt = Attempt(version, bank, estimator)
    attempt.replay(events)
    state = attempt.state
    if state.end_reason is None:
        raise AttemptError(
            "attempt.not_ended", "L'épreuve n'est pas terminée.", "The attempt has not ended."
        )
    answers = [(a.row, a.status) for a in state.counted_answers]
    return attempt.result_of(
        answers, state.end_reason, excluded=state.excluded, fraud=state.fraud
    )
