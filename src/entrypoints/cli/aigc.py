"""AIGC label commands: inspect a file's implicit label, list the clean-download log."""
from __future__ import annotations

import argparse
import sys
from datetime import timezone
from pathlib import Path

from adapters.media.ffmpeg import MediaError
from skyriff_domain.services.aigc import Verdict

from ..container import Container
from .arguments import int_in, row_id

VERDICTS = {
    Verdict.VERIFIED: "ReservedCode1: verified (signed with this service's AIGC key)",
    Verdict.TAMPERED: "ReservedCode1: DOES NOT VERIFY (the label was changed, or signed with another key)",
    Verdict.MALFORMED: "the AIGC entry is not a well-formed label",
    Verdict.ABSENT: "no AIGC label",
}


def inspect(container: Container, args: argparse.Namespace) -> int:
    """Exit 0 only for a label that verifies; 1 for a missing, malformed or tampered one; 2 for a bad file."""
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    try:
        result = container.aigc_labels().inspect(path)
    except MediaError as error:
        print(f"error: {path} is not a media file ffmpeg can read: {error}", file=sys.stderr)
        return 2
    print(f"file: {path}")
    if result.value is not None:
        print(f"AIGC: {result.value}")
    if result.label is not None:
        for name, value in result.label.fields().items():
            print(f"  {name}: {value}")
    print(VERDICTS[result.verdict])
    return 0 if result.verdict is Verdict.VERIFIED else 1


def downloads(container: Container, args: argparse.Namespace) -> int:
    records = container.download_records().find(args.video, args.user, args.limit)
    for r in records:
        at = r.created_at.astimezone(timezone.utc).isoformat(timespec="seconds")
        print(f"{r.id}\t{at}\tuser {r.user_id}\tvideo {r.video_id}\t{r.client_ip or '-'}")
    print(f"{len(records)} clean downloads")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    aigc = sub.add_parser("aigc", help="AIGC labels").add_subparsers(dest="aigc_command", required=True)
    cmd = aigc.add_parser("inspect", help="print an MP4's AIGC label and whether ReservedCode1 verifies "
                                          "(exit 1 unless it does)")
    cmd.add_argument("file")
    cmd.set_defaults(run=inspect)
    log = aigc.add_parser("downloads", help="the clean-download log, newest first (kept at least 180 days)")
    log.add_argument("--video", type=row_id, help="only this video")
    log.add_argument("--user", type=row_id, help="only this user")
    log.add_argument("--limit", type=int_in(1, 100_000), default=100)
    log.set_defaults(run=downloads)
