"""``lockstep export transparency``: a campaign's or case's accounts and tweets as a public
dataset in the Information Operations archive layout, small accounts hashed.

Order of work: read what the workspace holds, build every file in a private folder, run the
release check over those bytes, and only then move them into ``--out``. A failed check
leaves ``--out`` untouched.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.export.check import require_clean
from lockstep.export.datasheet import datasheet
from lockstep.export.hashing import Pseudonymizer, key_fingerprint
from lockstep.export.iolayout import TWEET_COLUMNS, USER_COLUMNS, tweet_rows, user_row
from lockstep.params import Param
from lockstep.report.subject import Subject
from lockstep.store.queries.report import member_profiles, member_tweets, named_identities
from lockstep.store.workspace import Workspace

THRESHOLD = Param("min_followers", int, 5000, "accounts with fewer followers (or an unknown count) are hashed",
                  min=0)
FILES = ("tweets.csv", "users.csv", "README.md", "release.json")


@dataclass(frozen=True)
class Release:
    """What a transparency release holds (also written as release.json)."""

    out_dir: str
    subject: str
    run_id: str
    n_accounts: int
    n_tweets: int
    n_hashed_accounts: int
    n_kept_accounts: int
    threshold: int
    key_fingerprint: str
    tweets_by_kind: dict[str, int]
    short_names: int

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("out_dir")
        return d

    def line(self) -> str:
        return (f"{self.n_tweets} tweets of {self.n_accounts} accounts ({self.n_hashed_accounts} named accounts"
                f" hashed, {self.n_kept_accounts} with >= {self.threshold} followers kept) -> {self.out_dir}"
                f"  (key {self.key_fingerprint})")


def _write_csv(path: Path, columns: tuple[str, ...], rows: Any) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), quoting=csv.QUOTE_MINIMAL)
        w.writeheader()
        for r in rows:
            w.writerow(r)
            n += 1
    return n


def export_transparency(ws: Workspace, subject: Subject, out_dir: Path, key: bytes,
                        threshold: int = 5000) -> Release:
    """Build, check and publish the release of ``subject`` into ``out_dir``."""
    threshold = THRESHOLD.coerce(threshold, "--min-followers")
    identities, unknown_ids, unknown_handles = named_identities(ws, subject.members)
    ps = Pseudonymizer(key, threshold, identities, unknown_ids, unknown_handles)
    profiles = member_profiles(ws, subject.members).to_pylist()
    tweets = member_tweets(ws, subject.members).to_pylist()
    users = {str(p["account_id"]): user_row(p, ps) for p in profiles}
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"--out {out_dir}: is a file, not a folder")
    stage = Path(tempfile.mkdtemp(prefix=".lockstep-release-", dir=ws.path))
    try:
        _write_csv(stage / "users.csv", USER_COLUMNS, users.values())
        n_tweets = _write_csv(stage / "tweets.csv", TWEET_COLUMNS, tweet_rows(tweets, users, ps))
        kinds = Counter(str(t["kind"]) for t in tweets)
        release = Release(out_dir=str(out_dir), subject=subject.label, run_id=subject.run_id,
                          n_accounts=len(subject.members), n_tweets=n_tweets,
                          n_hashed_accounts=ps.n_hashed,
                          n_kept_accounts=len(ps.kept), threshold=threshold, key_fingerprint=key_fingerprint(key),
                          tweets_by_kind=dict(sorted(kinds.items())), short_names=ps.needles.short)
        (stage / "release.json").write_text(json.dumps(release.to_dict(), indent=2) + "\n", encoding="utf-8")
        (stage / "README.md").write_text(datasheet(release.to_dict(), len(profiles)), encoding="utf-8")
        require_clean(stage, ps.needles)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.move(str(stage / name), str(out_dir / name))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return release
