"""The outbox: a cursor over the journal that pushes each attempt to the server until acked.

Nothing is queued or copied: for every attempt, the records after the last acknowledged seq
are read from the journal as stored and sent in batches; the cursor moves only on a receipt
signed by the pinned server key whose head hash is our own record's hash at that seq. A
refused batch leaves the attempt where it was, with its error, for a human: nothing is ever
deleted from the journal. When the ``ended`` event is acknowledged the device's result is
posted so the server can re-score the attempt and flag any difference.

Before anything is sent the attempt's journal is verified (``Journal.verify``). One that does
not verify — cut, rolled back, degraded, vanished — is never sent as normal: its batches go
as a *flagged copy* whose meta carries the integrity code, no result is posted, and its
report carries the code as its error, so ``pixdesk sync`` and ``export`` exit non-zero.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from pixdesk import crypto
from pixdesk.errors import JournalError, PixdeskError, SyncError
from pixdesk.store import device_journal
from pixdesk.store.journal import AttemptInfo, Journal, integrity_text
from pixdesk.store.keys import KEY_DIR, FileKeyStore
from pixdesk.store.outbox_state import OutboxState
from pixdesk.store.raw import RawEvent
from pixdesk.sync import protocol
from pixdesk.sync.client import Refused, SyncClient
from pixdesk.sync.device import (
    DeviceIdentity,
    ServerPin,
    open_device_store,
    require_enrolled,
)

log = logging.getLogger(__name__)

MAX_GAP_RESENDS = 3
_TRANSIENT = frozenset({"sync.unreachable", "sync.server_error"})


@dataclass(frozen=True, slots=True)
class AttemptReport:
    """Where one attempt stands after a sync pass."""

    attempt_id: str
    head_seq: int
    acked_through_seq: int
    sent: int
    """Events acknowledged during this pass."""
    ended: bool
    result_match: bool | None
    error: PixdeskError | None = None
    integrity: str | None = None
    """Why the journal did not verify (the flag sent with the copy); None when it did."""

    @property
    def remaining(self) -> int:
        return max(0, self.head_seq - self.acked_through_seq)

    @property
    def done(self) -> bool:
        """Every event acknowledged and, for an ended attempt, the result accepted — and the
        journal vouched for all of it: a flagged copy is never done."""
        return (
            self.integrity is None and self.remaining == 0
            and (not self.ended or self.result_match is not None)
        )


class BadReceipt(SyncError):
    """A server answer that does not prove delivery; the cursor does not move."""


class Outbox:
    def __init__(
        self,
        journal: Journal,
        state: OutboxState,
        client: SyncClient,
        device: DeviceIdentity,
        pin: ServerPin,
        *,
        batch_size: int = protocol.MAX_BATCH_EVENTS,
        clock_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self.journal = journal
        self.state = state
        self.client = client
        self.device = device
        self.pin = pin
        self.batch_size = min(batch_size, protocol.MAX_BATCH_EVENTS)
        self._clock_ms = clock_ms
        self.runs: DeviceJournalOutbox | None = None
        """The device security journal's outbox, synced after the attempts when present."""

    # --- status ----------------------------------------------------------------------------

    def status(self) -> list[AttemptReport]:
        """Every attempt's delivery state, without contacting the server."""
        reports = []
        for info in self.journal.attempts():
            delivered = self.state.get(info.attempt_id)
            reports.append(
                AttemptReport(
                    info.attempt_id, info.head_seq, delivered.acked_through_seq, 0,
                    self._ended(info), delivered.result_match,
                )
            )
        return reports + (self.runs.status() if self.runs is not None else [])

    def pending(self) -> bool:
        return any(not report.done for report in self.status())

    # --- sending ---------------------------------------------------------------------------

    def sync_all(self) -> list[AttemptReport]:
        """One pass over every attempt; once the server is unreachable the rest wait.
        Attempts that vanished from the database are reported last: nothing can be sent."""
        reports: list[AttemptReport] = []
        outage: SyncError | None = None
        integrity = self.journal.verify().integrity()
        for info in self.journal.attempts():
            code = integrity.get(info.attempt_id)
            if outage is not None:
                delivered = self.state.get(info.attempt_id)
                reports.append(
                    AttemptReport(
                        info.attempt_id, info.head_seq, delivered.acked_through_seq, 0,
                        self._ended(info), delivered.result_match, outage, code,
                    )
                )
                continue
            report = self._sync(info, code)
            if isinstance(report.error, SyncError) and report.error.code in _TRANSIENT:
                outage = report.error
            reports.append(report)
        reports += self.vanished_reports()
        if self.runs is not None:
            reports += self.runs.status() if outage is not None else self.runs.sync_all()
        return reports

    def vanished_reports(self) -> list[AttemptReport]:
        code = "journal.vanished"
        return [
            AttemptReport(attempt_id, 0, 0, 0, False, None, _integrity_error(code),
                          code)
            for attempt_id in self.journal.vanished()
        ]

    def sync_attempt(self, info: AttemptInfo) -> AttemptReport:
        """Verify one attempt's journal, then send it (flagged if it did not verify)."""
        [check] = self.journal.verify(info.attempt_id).attempts
        return self._sync(info, check.integrity)

    def _sync(self, info: AttemptInfo, integrity: str | None) -> AttemptReport:
        attempt_id = info.attempt_id
        delivered = self.state.get(attempt_id)
        ended = self._ended(info)
        cursor, sent, match = delivered.acked_through_seq, 0, delivered.result_match
        if integrity is not None:
            log.warning("attempt %s: journal %s, sending a flagged copy", attempt_id, integrity)
        try:
            cursor, sent = self._push_events(info, cursor, integrity)
            if ended and cursor >= info.head_seq and match is None and integrity is None:
                match = self._post_result(attempt_id)
        except PixdeskError as error:
            log.warning("attempt %s not synced: %s", attempt_id, error.code)
            self.state.record_error(attempt_id, error.code)
            return AttemptReport(
                attempt_id, info.head_seq, self.state.get(attempt_id).acked_through_seq, sent,
                ended, match, error, integrity,
            )
        flagged = None
        if integrity is not None:
            flagged = _integrity_error(integrity)
            self.state.record_error(attempt_id, integrity)
        return AttemptReport(
            attempt_id, info.head_seq, cursor, sent, ended, match, flagged, integrity
        )

    def _push_events(
        self, info: AttemptInfo, cursor: int, integrity: str | None
    ) -> tuple[int, int]:
        """Send batches from ``cursor`` until the journal's end; returns (acked, sent)."""
        attempt_id, sent, gap_resends = info.attempt_id, 0, 0
        while True:
            events = self.state.events(attempt_id, after_seq=cursor, limit=self.batch_size)
            if not events:
                return cursor, sent
            try:
                answer, demo = self._send_batch(info, events, integrity)
            except Refused as refusal:
                restart = _gap_restart(refusal, cursor)
                if restart is None or gap_resends >= MAX_GAP_RESENDS:
                    raise
                log.warning("attempt %s: server has only seq ≤ %d, resending", attempt_id, restart)
                gap_resends += 1
                cursor = restart
                continue
            acked = self._accept_receipt(attempt_id, answer, events, cursor, demo=demo)
            sent += acked - cursor
            cursor = acked

    def _accept_receipt(
        self, attempt_id: str, answer: dict[str, Any], events: list[RawEvent], cursor: int,
        *, demo: bool,
    ) -> int:
        """Verify the receipt against the pinned key and our own hashes; store it; its seq.
        A pinned demo server key proves nothing for a real attempt."""
        try:
            receipt = protocol.verify_receipt(
                self.pin.signing_public_key, answer, demo_attempt=demo
            )
        except protocol.ProtocolError as error:
            log.warning("attempt %s: receipt ignored (%s)", attempt_id, error.code)
            raise BadReceipt(error.code, error.fr, error.en) from error
        acked = receipt["acked_through_seq"]
        expected = self._local_hash(attempt_id, acked, events)
        problem = None
        if receipt["attempt_id"] != attempt_id:
            problem = "another attempt"
        elif receipt["server_key_id"] != self.pin.key_id:
            problem = "another server key"
        elif expected is None or receipt["head_hash"] != expected.hex():
            problem = f"head hash or seq {acked} does not match the batch"
        if problem is not None:
            log.warning("attempt %s: receipt ignored (%s)", attempt_id, problem)
            raise BadReceipt(
                "receipt.mismatch",
                "Accusé de réception du serveur incohérent avec le journal : ignoré.",
                "Server receipt inconsistent with the journal: ignored.",
            )
        self.state.record_receipt(
            attempt_id, dict(receipt), crypto.b64d(str(answer["signature"])), expected or b""
        )
        if acked <= cursor:
            raise BadReceipt(
                "receipt.no_progress",
                "Le serveur n'a rien accepté de nouveau ; nouvel essai plus tard.",
                "The server accepted nothing new; will retry later.",
            )
        return acked

    def _local_hash(self, attempt_id: str, seq: int, batch: list[RawEvent]) -> bytes | None:
        """Our hash at ``seq``; a server may ack past the batch when an earlier receipt was
        lost on the way back (it already held more than our cursor said)."""
        for event in batch:
            if event.seq == seq:
                return event.hash
        found = self.state.events(attempt_id, after_seq=seq - 1, limit=1) if seq > 0 else []
        return found[0].hash if found and found[0].seq == seq else None

    def _post_result(self, attempt_id: str) -> bool:
        last = self.journal.events(attempt_id)[-1]
        answer = self.client.post_result(self.result_body(attempt_id, last.payload["result"]))
        match = bool(answer.get("match"))
        self.state.record_result(attempt_id, match)
        if not match:
            log.warning("attempt %s: the server's re-score differs (flagged there)", attempt_id)
        return match

    def _send_batch(
        self, info: AttemptInfo, events: list[RawEvent], integrity: str | None
    ) -> tuple[dict[str, Any], bool]:
        """POST one batch; the server's answer, and whether a demo-key receipt may prove it."""
        body = self.events_body(info, events, integrity)
        return self.client.post_events(body), body["meta"]["demo"]

    # --- bodies ----------------------------------------------------------------------------

    def events_body(
        self, info: AttemptInfo, events: list[RawEvent], integrity: str | None = None
    ) -> protocol.EventsBody:
        return protocol.EventsBody(
            attempt_id=info.attempt_id,
            device_id=self.device.device_id,
            meta=_attempt_meta(info, integrity),
            sealed_data_key=crypto.b64e(self._sealed_key(info)),
            events=[_record(e) for e in events],
        )

    @staticmethod
    def result_body(attempt_id: str, result: dict[str, Any]) -> protocol.ResultBody:
        return protocol.ResultBody(attempt_id=attempt_id, result=dict(result))

    def _sealed_key(self, info: AttemptInfo) -> bytes:
        """The data key sealed to the pinned server, sealed once and then reused, so that a
        resent batch is byte-identical to the first one (same ``Idempotency-Key``)."""
        if info.sealed_key is not None and (
            self.state.get(info.attempt_id).sealed_for == self.pin.key_id
        ):
            return info.sealed_key
        sealed = self.journal.seal_for_server(info.attempt_id, self.pin.sealing_public_key)
        self.state.set_sealed_for(info.attempt_id, self.pin.key_id)
        return sealed

    def _ended(self, info: AttemptInfo) -> bool:
        if info.head_seq == 0:
            return False
        last = self.state.events(info.attempt_id, after_seq=info.head_seq - 1, limit=1)
        return bool(last) and last[0].kind == "ended"

    # --- emergency export ------------------------------------------------------------------

    def export(self) -> tuple[protocol.ExportFile, list[AttemptReport]]:
        """Every attempt's whole journal and every ended attempt's result, as the signed
        requests sync would send, then the device security journal's runs (``runs``), and a
        report for each attempt or run that did not verify (sent as a flagged copy, without
        a result; a vanished one has nothing to export). All events from seq 1, whatever
        was acked: the file is the last resort, and the server ignores what it already
        holds."""
        batches, flagged = self.exported_journal()
        unverified = {report.attempt_id for report in flagged}
        results: list[protocol.ExportRequest] = []
        for info in self.journal.attempts():
            if info.attempt_id not in unverified and self._ended(info):
                last = self.journal.events(info.attempt_id)[-1]
                body_r = self.result_body(info.attempt_id, last.payload["result"])
                results.append(self._exported(protocol.result_path(info.attempt_id), body_r))
        document = protocol.ExportFile(
            format=protocol.EXPORT_FORMAT,
            device_id=self.device.device_id,
            created=datetime.fromtimestamp(self._clock_ms() / 1000, UTC).isoformat(),
            batches=batches,
            results=results,
        )
        flagged += self.vanished_reports()
        if self.runs is not None:
            runs, flagged_runs = self.runs.exported_journal()
            document["runs"] = runs
            flagged += flagged_runs + self.runs.vanished_reports()
        return document, flagged

    def exported_journal(self) -> tuple[list[protocol.ExportRequest], list[AttemptReport]]:
        """Every event of this journal as the requests sync would send, from seq 1, and a
        report for each attempt (or run) that did not verify, sent as a flagged copy."""
        batches: list[protocol.ExportRequest] = []
        flagged: list[AttemptReport] = []
        integrity = self.journal.verify().integrity()
        for info in self.journal.attempts():
            code = integrity.get(info.attempt_id)
            cursor = 0
            while events := self.state.events(
                info.attempt_id, after_seq=cursor, limit=self.batch_size
            ):
                path, body = self._export_batch(info, events, code)
                batches.append(self._exported(path, body))
                cursor = events[-1].seq
            if code is not None:
                flagged.append(AttemptReport(
                    info.attempt_id, info.head_seq, 0, 0, self._ended(info), None,
                    _integrity_error(code), code,
                ))
        return batches, flagged

    def _export_batch(self, info: AttemptInfo, events: list[RawEvent],
                      integrity: str | None) -> tuple[str, Any]:
        return protocol.events_path(info.attempt_id), self.events_body(info, events, integrity)

    def _exported(self, path: str, body: Any) -> protocol.ExportRequest:
        data = protocol.encode_body(body)
        headers = protocol.sign_request(
            self.device.signing_key, self.device.device_id, "POST", path, data, self._clock_ms()
        )
        return protocol.ExportRequest(path=path, headers=headers, body=dict(body))


class DeviceJournalOutbox(Outbox):
    """The device security journal's runs (``pixdesk.store.device_journal``), sent like
    attempts — same cursor, verified receipts, flagged copies — to their own route, and
    never with a result. A server that does not know the route (older than the device
    journal) answers 404: the run stays pending with ``sync.device_journal_unsupported``."""

    def device_journal_body(
        self, info: AttemptInfo, events: list[RawEvent], integrity: str | None = None
    ) -> protocol.DeviceJournalBody:
        return protocol.DeviceJournalBody(
            run_id=info.attempt_id,
            device_id=self.device.device_id,
            meta=protocol.device_journal_meta(
                demo=info.meta.get("mode") == "demo", integrity=integrity
            ),
            sealed_data_key=crypto.b64e(self._sealed_key(info)),
            events=[_record(e) for e in events],
        )

    def _export_batch(self, info: AttemptInfo, events: list[RawEvent],
                      integrity: str | None) -> tuple[str, Any]:
        return (protocol.device_journal_path(self.device.device_id, info.attempt_id),
                self.device_journal_body(info, events, integrity))

    def _send_batch(
        self, info: AttemptInfo, events: list[RawEvent], integrity: str | None
    ) -> tuple[dict[str, Any], bool]:
        body = self.device_journal_body(info, events, integrity)
        path = protocol.device_journal_path(self.device.device_id, info.attempt_id)
        try:
            answer = self.client.request("POST", path, dict(body), signed=True)
        except Refused as refusal:
            if refusal.status == 404 and refusal.code == "sync.http_error":
                raise SyncError(
                    "sync.device_journal_unsupported",
                    "Le serveur n'accepte pas encore le journal de sécurité du poste : il reste "
                    "sur ce PC, à renvoyer plus tard.",
                    "The server does not accept the PC's security journal yet: it stays on this "
                    "PC, to be sent later.",
                ) from refusal
            raise
        return cast(dict[str, Any], answer), body["meta"]["demo"]


@contextmanager
def open_outbox(
    data_dir: Path,
    *,
    server_url: str | None = None,
    allow_file_key: bool = False,
    client: Callable[[str, DeviceIdentity], SyncClient] = SyncClient,
) -> Iterator[Outbox]:
    """The enrolled device's outbox over ``data_dir``'s journal, closed on exit; its
    ``runs`` is the device security journal's outbox when the data dir has one.

    A key file left by an allowed exam is accepted as ``pixdesk journal verify`` does:
    sending what the PC already holds never weakens anything.
    """
    allow = allow_file_key or FileKeyStore.present(data_dir / KEY_DIR)
    device, pin = require_enrolled(open_device_store(data_dir, allow_file_key=allow))
    with contextlib.ExitStack() as stack:
        journal = Journal.open(data_dir, allow_file_key=allow, create=False)
        stack.callback(journal.close)
        state = OutboxState(journal.path)
        stack.callback(state.close)
        http = client(server_url or pin.url, device)
        stack.callback(http.close)
        outbox = Outbox(journal, state, http, device, pin)
        if device_journal.present(data_dir):
            runs = Journal.open(
                device_journal.device_dir(data_dir),
                allow_file_key=allow or device_journal.uses_file_key(data_dir), create=False,
            )
            stack.callback(runs.close)
            runs_state = OutboxState(runs.path)
            stack.callback(runs_state.close)
            outbox.runs = DeviceJournalOutbox(runs, runs_state, http, device, pin)
        yield outbox


def _record(e: RawEvent) -> protocol.EventRecord:
    return protocol.event_record(
        seq=e.seq, kind=e.kind, schema=e.schema, mono_elapsed_ms=e.mono_elapsed_ms,
        wall_time_ms=e.wall_time_ms, nonce=e.nonce, ciphertext=e.ciphertext,
        prev_hash=e.prev_hash, hash=e.hash,
    )


def _gap_restart(refusal: Refused, cursor: int) -> int | None:
    """The seq to resend from after a 409 ``attempt.gap``, if the server gave a sane one."""
    if refusal.code != "attempt.gap" or not isinstance(refusal.body, dict):
        return None
    acked = refusal.body.get("acked_through_seq")
    if isinstance(acked, bool) or not isinstance(acked, int) or not 0 <= acked < cursor:
        return None
    return acked


def _integrity_error(code: str) -> JournalError:
    """The report's error for an attempt sent (or exported) only as a flagged copy."""
    fr, en = integrity_text(code)
    return JournalError(
        code,
        f"{fr} — copie signalée, mise en revue par le serveur",
        f"{en} — flagged copy, held for review by the server",
    )


def _attempt_meta(info: AttemptInfo, integrity: str | None) -> protocol.AttemptMeta:
    meta = info.meta
    try:
        return protocol.attempt_meta(
            session_id=str(meta["session_id"]),
            candidate_id=str(meta["candidate_id"]),
            version_id=str(meta["version_id"]),
            package_id=str(meta["package_id"]),
            demo=bool(meta["demo"]),
            integrity=integrity,
        )
    except KeyError as missing:
        raise SyncError(
            "sync.incomplete_meta",
            f"Épreuve {info.attempt_id} : métadonnée {missing} absente, envoi impossible.",
            f"Attempt {info.attempt_id}: metadata {missing} missing, cannot send it.",
        ) from None


def write_export(path: Path, document: protocol.ExportFile) -> int:
    """Write the export atomically, durably, and read it back; returns its size in bytes.

    The file appears whole or not at all: it is written beside the target and renamed, and
    on any failure (a full stick, a stick pulled out) the temporary file is removed and the
    target left as it was. USB sticks acknowledge writes they have not made, so the file is
    only declared safe after it has been re-read and parsed to the same requests.
    """
    data = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    directory = path.resolve().parent
    temporary = directory / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temporary, "xb", buffering=0) as stream:
            view = memoryview(data)
            while view:
                view = view[stream.write(view) or 0:]
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise _export_write_error(path, error) from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    try:
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        same = json.loads(path.read_bytes()) == json.loads(data)
    except (OSError, ValueError):
        same = False
    if not same:
        raise SyncError(
            "export.verify_failed",
            f"Le fichier {path} relu ne correspond pas à ce qui a été écrit : support défaillant.",
            f"The file {path} read back differs from what was written: faulty medium.",
        )
    return len(data)


def _export_write_error(path: Path, error: OSError) -> SyncError:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return SyncError(
            "export.no_space",
            f"Plus de place pour {path} : rien n'a été écrit. Libérez de la place ou prenez "
            "une autre clé, puis relancez l'export.",
            f"No room left for {path}: nothing was written. Free some space or use another "
            "stick, then export again.",
        )
    reason = error.strerror or str(error)
    return SyncError(
        "export.write_failed",
        f"Impossible d'écrire {path} ({reason}) : rien n'a été écrit.",
        f"Cannot write {path} ({reason}): nothing was written.",
    )
