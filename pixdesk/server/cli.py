"""``pixdesk-server``: run the server and do the operator's tasks on its data dir.

Every subcommand opens the same data dir and database as ``serve``, so an operator can issue
sessions, tokens, exports and certificates while the server runs (SQLite in WAL mode lets
them work side by side).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pixdesk.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    PixdeskError,
    UsageError,
    preferred_language,
    report,
)
from pixdesk.server.config import (
    DEFAULT_PUBLIC_URL,
    DEFAULT_TOKEN_HOURS,
    ContentSource,
    ServerConfig,
    ServerState,
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=Path("pixdesk-server-data"),
                        help="keys and SQLite database (default ./pixdesk-server-data)")
    parser.add_argument("--db", help="database URL, e.g. postgresql+psycopg://user@host/db")


def _rehearsal(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accept-demo", action="store_true",
                        help="a rehearsal server: demo results may be published")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pixdesk-server",
                                     description="Serveur central PixDesk / PixDesk server")
    parser.add_argument("--lang", choices=("fr", "en"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP server")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--content", type=Path, action="append", default=[],
                       help="content package to re-score with (repeatable)")
    serve.add_argument("--content-key", type=Path, action="append", default=[],
                       help="its content key file, in the same order as --content")
    serve.add_argument("--accept-demo", action="store_true",
                       help="accept demo attempts (never on a real server)")
    serve.add_argument("--max-in-flight", type=int, default=64,
                       help="ingest requests handled at once per worker (then 503)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (SQLite: 2-4; PostgreSQL: one per core)")
    serve.add_argument("--access-log", action="store_true",
                       help="log every request (refusals are always logged)")

    session = sub.add_parser("create-session", help="issue a signed session file")
    _common(session)
    session.add_argument("--package", type=Path, required=True)
    session.add_argument("--content-key", dest="key_file", type=Path, required=True)
    session.add_argument("--centre", required=True)
    session.add_argument("--centre-name", help="printed name (default: the centre id)")
    session.add_argument("--date", required=True, help="YYYY-MM-DD")
    session.add_argument("--room", required=True)
    session.add_argument("--candidates", type=Path, required=True, help="CSV with a header")
    session.add_argument("--access-code", help="4 letters + 2 digits (generated if absent)")
    session.add_argument("--invigilator-password", help="11+ symbols of 0-9 A-Z without I L O U, "
                         "e.g. K7P2-QX4M-9TR (generated if absent)")
    session.add_argument("--version", help="certification version (package default)")
    session.add_argument("--out", type=Path, required=True)
    session.add_argument("--accept-demo", action="store_true",
                         help="allow the demo package (a rehearsal server only)")

    token = sub.add_parser("enrol-token", help="print a one-time enrolment token")
    _common(token)
    token.add_argument("--centre", required=True)
    token.add_argument("--valid-hours", type=int, default=DEFAULT_TOKEN_HOURS,
                       help=f"hours before the token expires (default {DEFAULT_TOKEN_HOURS})")

    revoke = sub.add_parser("revoke-device", help="refuse everything a PC sends from now on")
    _common(revoke)
    revoke.add_argument("device_id")
    revoke.add_argument("--reason", default="", help="kept with the revocation")

    export = sub.add_parser("export-csv", help="write a finalised session's published results")
    _common(export)
    _rehearsal(export)
    export.add_argument("session_id")
    export.add_argument("--out", type=Path, default=Path("."))

    cert = sub.add_parser("certificate", help="write a published attempt's certificate PDF")
    _common(cert)
    _rehearsal(cert)
    cert.add_argument("attempt_id")
    cert.add_argument("--out", type=Path, required=True)
    cert.add_argument("--public-url", default=DEFAULT_PUBLIC_URL,
                      help="the server's public address, for the QR code "
                           f"(default {DEFAULT_PUBLIC_URL})")

    review = sub.add_parser("review", help="list what needs a human, or record a decision")
    _common(review)
    _rehearsal(review)
    review.add_argument("--session", help="only this session")
    review.add_argument("--all", action="store_true", help="also the attempts already decided")
    review_sub = review.add_subparsers(dest="review_command", metavar="decide")
    decide = review_sub.add_parser("decide", help="accept or annul an attempt")
    decide.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    decide.add_argument("--db", default=argparse.SUPPRESS)
    decide.add_argument("--accept-demo", action="store_true", default=argparse.SUPPRESS)
    decide.add_argument("attempt_id")
    decide.add_argument("decision", choices=("accept", "annul"))
    decide.add_argument("--reason", required=True)
    decide.add_argument("--by", required=True, help="the reviewer's name")

    receipt = sub.add_parser("find-receipt", help="the attempt of a candidate's receipt code")
    _common(receipt)
    receipt.add_argument("code", help="XXXXX-XXXXX, as on the end screen")

    finalise = sub.add_parser("finalise", help="close a session and record its report")
    _common(finalise)
    _rehearsal(finalise)
    finalise.add_argument("session_id")
    finalise.add_argument("--by", required=True, help="who finalises (centre manager)")
    finalise.add_argument("--report", type=Path, help="text file of the session report")
    finalise.add_argument("--incident", action="append", default=[], metavar="CODE:TEXT",
                          help="an incident, CODE from E1 to E12 (repeatable)")
    finalise.add_argument("--pdf", type=Path, help="write the session report PDF here")

    report = sub.add_parser("session-report", help="write a session's report PDF again")
    _common(report)
    _rehearsal(report)
    report.add_argument("session_id")
    report.add_argument("--out", type=Path, required=True)

    verify = sub.add_parser("verify", help="check a certificate's verification code")
    _common(verify)
    _rehearsal(verify)
    verify.add_argument("code")

    admin = sub.add_parser("admin-token", help="print a new admin token for the API "
                           "(the previous one stops working)")
    _common(admin)

    imp = sub.add_parser("import", help="ingest an emergency export file (pixdesk export)")
    _common(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--content", type=Path, action="append", default=[])
    imp.add_argument("--content-key", type=Path, action="append", default=[])
    imp.add_argument("--accept-demo", action="store_true")

    migrate = sub.add_parser("migrate", help="upgrade the database schema now (serve does it too)")
    _common(migrate)
    return parser


def _config(args: argparse.Namespace) -> ServerConfig:
    contents = getattr(args, "content", [])
    keys = getattr(args, "content_key", [])
    if keys and len(keys) != len(contents):
        raise UsageError("server.content_keys",
                         "Donnez une --content-key par --content, dans le même ordre.",
                         "Give one --content-key per --content, in the same order.")
    return ServerConfig(
        data_dir=args.data_dir, db_url=args.db,
        contents=tuple(ContentSource(p, keys[i] if keys else None)
                       for i, p in enumerate(contents)),
        accept_demo=getattr(args, "accept_demo", False),
        max_in_flight=getattr(args, "max_in_flight", 64),
    )


def _serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from pixdesk.server.app import CONFIG_ENV, create_app

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    config = _config(args)
    if args.workers <= 1:
        uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="info",
                    access_log=args.access_log)
        return EXIT_OK
    from pixdesk.server.sessions import import_demo_session

    state = ServerState.open(config, load_content=False)
    try:
        if config.accept_demo:
            import_demo_session(state)
    finally:
        state.close()
    os.environ[CONFIG_ENV] = config.to_json()
    uvicorn.run("pixdesk.server.app:app_from_environment", factory=True,
                workers=args.workers, host=args.host, port=args.port, log_level="info",
                access_log=args.access_log)
    return EXIT_OK


def _create_session(args: argparse.Namespace) -> int:
    from pixdesk.content.package import read_key_file
    from pixdesk.server import sessions

    state = ServerState.open(_config(args), load_content=False)
    try:
        code = args.access_code or sessions.generate_access_code()
        password = args.invigilator_password or sessions.generate_password()
        document = sessions.create_session(
            state, package=args.package, content_key=read_key_file(args.key_file),
            centre_id=args.centre, centre_name=args.centre_name or args.centre,
            date=args.date, room=args.room,
            candidates=sessions.read_candidates(args.candidates),
            access_code=code.strip().upper(), invigilator_password=password,
            version_id=args.version,
        )
    finally:
        state.close()
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    print(f"session {document['session']['id']} → {args.out}")
    if not args.access_code or not args.invigilator_password:
        print(f"code d'accès / access code: {code}")
        print(f"mot de passe surveillant / invigilator password: {password}")
        print("(affichés une seule fois / shown once)")
    return EXIT_OK


def _enrol_token(args: argparse.Namespace) -> int:
    from pixdesk.server.sessions import new_enrol_token

    state = ServerState.open(_config(args), load_content=False)
    try:
        print(new_enrol_token(state, args.centre, args.valid_hours))
    finally:
        state.close()
    return EXIT_OK


def _revoke_device(args: argparse.Namespace) -> int:
    from pixdesk.server.sessions import revoke_device

    state = ServerState.open(_config(args), load_content=False)
    try:
        device, revoked = revoke_device(state, args.device_id, args.reason)
    finally:
        state.close()
    if revoked:
        print(f"poste révoqué / device revoked: {device.device_id} ({device.hostname}, "
              f"{device.centre_id}) {device.revoked_at}")
    else:
        print(f"déjà révoqué / already revoked: {device.device_id} {device.revoked_at}")
    return EXIT_OK


def _export_csv(args: argparse.Namespace) -> int:
    from pixdesk.server.csv_export import export_csv

    state = ServerState.open(_config(args), load_content=False)
    try:
        export = export_csv(state, args.session_id, args.out, datetime.now())
    finally:
        state.close()
    print(export.path)
    for kept in export.withheld:
        print(f"retenue / withheld: {kept.attempt_id} "
              f"(candidat / candidate {kept.candidate_id}) [{kept.reason}]", file=sys.stderr)
    return EXIT_OK


def _certificate(args: argparse.Namespace) -> int:
    from pixdesk.server.certificate import issue_certificate

    state = ServerState.open(_config(args), load_content=False)
    try:
        code = issue_certificate(state, args.attempt_id, args.out, date.today(),
                                 args.public_url)
    finally:
        state.close()
    print(f"{args.out} ({code})")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    from pixdesk.server import review

    state = ServerState.open(_config(args), load_content=False)
    try:
        if args.review_command == "decide":
            done = review.decide(state, args.attempt_id, args.decision, args.reason, args.by)
            print(f"{args.attempt_id}: {done.decision} ({done.by}, {done.at}) — {done.reason}")
            return EXIT_OK
        found = review.to_review(state, args.session, include_decided=args.all)
        runs = review.device_runs_to_review(state, args.session)
    finally:
        state.close()
    for attempt in found:
        decided = "" if attempt.decision is None else (
            f" → {attempt.decision.decision} ({attempt.decision.by}, {attempt.decision.at})")
        print(f"{attempt.attempt_id}  session {attempt.session_id}  candidat / candidate "
              f"{attempt.candidate_id}  {attempt.score_text()}{decided}")
        for reason in attempt.reasons:
            print(f"    {reason}")
        for note in attempt.notes:
            print(f"    (note) {note}")
    print(f"{len(found)} à examiner / to review")
    for run in runs:
        alerts = ", ".join(f"{kind} ×{count}" for kind, count in sorted(run.alerts.items()))
        flagged = f"  intégrité / integrity {run.integrity}" if run.integrity else ""
        print(f"journal du poste / device journal {run.run_id}  poste / PC {run.device_id}  "
              f"{alerts}{flagged}")
    return EXIT_OK


def _find_receipt(args: argparse.Namespace) -> int:
    from pixdesk.server.review import find_receipt

    state = ServerState.open(_config(args), load_content=False)
    try:
        found = find_receipt(state, args.code)
    finally:
        state.close()
    if not found:
        raise UsageError("server.unknown_receipt",
                         f"Aucune épreuve terminée ne donne le reçu {args.code}.",
                         f"No ended attempt gives receipt {args.code}.")
    for attempt_id in found:
        print(attempt_id)
    return EXIT_OK


def _print_summary(summary: Any) -> None:
    print(f"session {summary.session.id}: finalisée / finalised {summary.finalised_at} "
          f"({summary.finalised_by})")
    for candidate in summary.absent:
        print(f"absent: {candidate.id} {candidate.last_name} {candidate.first_name}")
    for attempt in summary.unsynced:
        print(f"non synchronisée / not synced: {attempt.attempt_id} ({attempt.candidate_id})")
    if summary.unsynced:
        from pixdesk.server.finalise import EXPORT_INSTRUCTION

        print(f"  → {EXPORT_INSTRUCTION}")
    for code, texts in summary.incidents.items():
        for text in texts:
            print(f"incident {code}: {text}")


def _finalise(args: argparse.Namespace) -> int:
    from pixdesk.server import finalise
    from pixdesk.server.report_pdf import draw_report

    incidents = [finalise.parse_incident(spec) for spec in args.incident]
    report = ""
    if args.report is not None:
        try:
            report = args.report.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError("server.bad_report", f"Rapport illisible : {args.report} ({exc}).",
                             f"Unreadable report: {args.report} ({exc}).") from exc
    state = ServerState.open(_config(args), load_content=False)
    try:
        summary = finalise.finalise(state, args.session_id, args.by, report, incidents)
    finally:
        state.close()
    _print_summary(summary)
    if args.pdf is not None:
        draw_report(summary, args.pdf)
        print(args.pdf)
    return EXIT_OK


def _session_report(args: argparse.Namespace) -> int:
    from pixdesk.server.finalise import summary
    from pixdesk.server.report_pdf import draw_report

    state = ServerState.open(_config(args), load_content=False)
    try:
        found = summary(state, args.session_id)
    finally:
        state.close()
    draw_report(found, args.out)
    print(args.out)
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from pixdesk.server.verification import verify_command

    state = ServerState.open(_config(args), load_content=False)
    try:
        found = verify_command(state, args.code)
    finally:
        state.close()
    print(json.dumps(found, ensure_ascii=False, indent=2))
    return EXIT_OK


def _admin_token(args: argparse.Namespace) -> int:
    from pixdesk.server.finalise import new_admin_token

    print(new_admin_token(args.data_dir))
    print("(affiché une seule fois / shown once)", file=sys.stderr)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from pixdesk.server.ingest import import_export_file

    state = ServerState.open(_config(args))
    try:
        imported = import_export_file(state, args.file)
    finally:
        state.close()
    print(f"accepted {imported.accepted}, refused {len(imported.refused)}")
    for path, code in imported.refused:
        print(f"  {code}: {path}")
    return EXIT_OK if not imported.refused else EXIT_FAILURE


def _migrate(args: argparse.Namespace) -> int:
    """For IT who upgrade the schema on purpose, before starting the new server's workers."""
    from pixdesk.server import db
    from pixdesk.server.keys import private_dir

    if args.db is None:
        private_dir(args.data_dir)
    engine = db.connect(args.db or db.default_url(args.data_dir))
    try:
        print(f"base de données / database: {engine.url.render_as_string(hide_password=True)}")
        before = db.current_revision(engine)
        print(f"avant / before: {before or '(aucune révision / no revision)'}")
        done = db.migrate(engine)
    finally:
        engine.dispose()
    if done.unversioned:
        print(f"tables d'avant les migrations reconnues / pre-migration tables recognised: "
              f"{db.INITIAL_REVISION}")
    print(f"après / after: {done.after}")
    return EXIT_OK


COMMANDS = {
    "serve": _serve, "create-session": _create_session, "enrol-token": _enrol_token,
    "revoke-device": _revoke_device,
    "export-csv": _export_csv, "certificate": _certificate, "import": _import,
    "migrate": _migrate, "review": _review, "find-receipt": _find_receipt,
    "finalise": _finalise, "session-report": _session_report, "verify": _verify,
    "admin-token": _admin_token,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    lang = args.lang or preferred_language()
    try:
        return COMMANDS[args.command](args)
    except PixdeskError as error:
        return report("pixdesk-server", error, lang)
