"""The shared vocabulary of outcomes: answer statuses, end reasons, result statuses."""

from __future__ import annotations

from enum import StrEnum


class AnswerStatus(StrEnum):
    """Pix's answer statuses; only ``OK`` is a success."""

    OK = "ok"
    KO = "ko"
    SKIPPED = "aband"
    TIMED_OUT = "timedout"
    FOCUSED_OUT = "focusedOut"

    @property
    def correct(self) -> bool:
        return self is AnswerStatus.OK


class EndReason(StrEnum):
    COMPLETED = "completed"
    TIME_UP = "time_up"
    INVIGILATOR = "invigilator"
    CANDIDATE = "candidate"
    TECHNICAL = "technical"


class ResultStatus(StrEnum):
    VALIDATED = "validated"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    ERROR = "error"
