"""A naive co-repost detector, to show a simulated world is not trivially separable.

An evaluation tool, not part of the product (so it lives in bench/, and may use DuckDB
directly): lockstep's own detection never runs it.

Definition (the textbook baseline): two accounts are linked when they reposted the same post
within ``window`` seconds of each other on at least ``min_repeats`` distinct posts; every
account in a connected component of size >= 2 is flagged. Scored against labels.csv with
positives = core + amplifier.

Pairs are found on (post, minute bucket) and the neighbouring bucket, then filtered to the
exact window, so a post reshared by thousands stays cheap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import igraph as ig


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


@dataclass
class BaselineScore:
    flagged: int
    positives: int
    true_positives: int
    precision: float
    recall: float
    flagged_by_group: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def corepost_components(tweets_csv: Path, window: int = 60, min_repeats: int = 3) -> set[str]:
    con = _connect()
    con.execute(f"""
        CREATE TEMP TABLE rt AS
        SELECT CAST(userid AS VARCHAR) AS u, CAST(retweet_tweetid AS VARCHAR) AS item,
               epoch(CAST(tweet_time AS TIMESTAMP))::BIGINT AS t
        FROM read_csv('{tweets_csv}', all_varchar = true, header = true)
        WHERE is_retweet = 'True' AND retweet_tweetid IS NOT NULL
    """)
    con.execute(f"CREATE TEMP TABLE rtb AS SELECT *, t // {window} AS b FROM rt")
    con.execute("CREATE TEMP TABLE rto AS SELECT u, item, t, b + off AS b FROM rtb, (VALUES (-1), (0), (1)) o(off)")
    pairs = con.execute(f"""
        SELECT a.u, c.u FROM rtb a JOIN rto c ON a.item = c.item AND a.b = c.b
        WHERE a.u < c.u AND abs(a.t - c.t) <= {window}
        GROUP BY a.u, c.u HAVING count(DISTINCT a.item) >= {min_repeats}
    """).fetchall()
    con.close()
    if not pairs:
        return set()
    g = ig.Graph.TupleList(pairs, directed=False)
    flagged: set[str] = set()
    for comp in g.connected_components():
        if len(comp) >= 2:
            flagged.update(g.vs[i]["name"] for i in comp)
    return flagged


def evaluate(world: Path, window: int = 60, min_repeats: int = 3) -> BaselineScore:
    """Run the baseline on a simulated world folder and score it against labels.csv."""
    world = Path(world)
    flagged = corepost_components(world / "tweets.csv", window, min_repeats)
    con = _connect()
    labels = con.execute(
        f"SELECT CAST(userid AS VARCHAR), role, \"group\" FROM read_csv('{world / 'labels.csv'}', all_varchar=true)"
    ).fetchall()
    con.close()
    pos = {u for u, r, _ in labels if r in ("core", "amplifier")}
    by_group: dict[str, int] = {}
    for u, _, g in labels:
        if u in flagged:
            by_group[g] = by_group.get(g, 0) + 1
    tp = len(flagged & pos)
    return BaselineScore(flagged=len(flagged), positives=len(pos), true_positives=tp,
                         precision=tp / len(flagged) if flagged else 0.0,
                         recall=tp / len(pos) if pos else 0.0, flagged_by_group=by_group)
