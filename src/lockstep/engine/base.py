"""The engine seam: the relational operations detection needs, and nothing else.

Why a seam: signals describe *what* to pair ("repost actions sharing a target, within 60 s")
and an engine decides *how* (DuckDB in-process today, Spark on a cluster later). Signals
therefore never see SQL or a connection; they pass small declarative specs and get back
opaque :class:`Rel` handles, which only the engine that made them can read.

Relations an engine produces (column names are part of the seam):

- *items*: one row per (action, item): ``uid`` (unique per row), ``platform``,
  ``account_id``, ``action_id``, ``item``, ``t_us`` (epoch microseconds).
- *pairs*: one row per unordered pair of item rows sharing ``item`` with
  ``0 <= t_b - t_a <= window``: ``item``, ``uid_a``, ``action_a``, ``account_a``,
  ``t_a``, ``uid_b``, ``action_b``, ``account_b``, ``t_b``.
- *edges*: ``account_a``, ``account_b``, ``signal``, ``weight``, ``n_shared``,
  ``mean_dt_seconds`` and optional extra columns (``synchrony``, ``weight_threshold`` for
  the CooRTweet preset, ``p_chance`` and ``chance_tests`` where ``ScoreSpec.chance_window_s``);
  after :meth:`Engine.prune` also ``evidence_items`` (list) and
  ``evidence_actions`` (list), built only for the edges that are kept.

An engine is made from a :class:`~lockstep.store.source.TableSource` (where the canonical
tables come from), never from a workspace, and is registered in :data:`ENGINES`; what every
operation means is defined by the reference engine (:mod:`lockstep.engine.reference`), which
each engine is tested against, edge for edge (tests/engine/).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import pyarrow as pa

from lockstep.registry import Registry
from lockstep.store.source import TableSource

ItemKey = Literal["target_id", "target_author", "url", "url_raw", "domain", "text", "text_cnt",
                  "hashtag_sequence"]
Scoring = Literal["surprise", "coortweet", "cnt"]


#: A filter over pruned edges (see :meth:`Engine.prune`)
EdgeFilter = Callable[[pa.Table], pa.Table]


@dataclass(frozen=True)
class Rel:
    """An opaque handle on a relation held by an engine (a temp table, a DataFrame)."""

    name: str
    engine_id: int


@dataclass(frozen=True)
class ItemSource:
    """Which actions a signal pairs, and which of their properties is the shared item.

    ``kinds`` keeps only these action kinds (``None``: all); ``exclude_kinds`` drops kinds.
    ``dedupe_action_ids`` keeps one row per (platform, action_id), the first in source order,
    as tools keyed on message id do (coordination-network-toolkit).
    ``with_originals`` adds every original (an action other than a repost or like) as a row
    on its own id, so authoring a post counts as acting on it (a persona's post and the
    reshares of it pair). ``max_item_accounts`` > 0 keeps only items acted on by at least 2
    and at most that many distinct accounts (shared, but rarely), after every other filter.
    """

    key: ItemKey
    kinds: tuple[str, ...] | None = None
    exclude_kinds: tuple[str, ...] = ()
    min_text_chars: int = 0
    min_hashtags: int = 2
    dedupe_action_ids: bool = False
    drop_self_targets: bool = True  # an action never pairs over itself as the item
    with_originals: bool = False
    max_item_accounts: int = 0


@dataclass(frozen=True)
class PairSpec:
    """How to pair item rows: exact sliding window plus the hot-item guard.

    Items with more than ``hot_item_actions`` rows pair each action only with its next
    ``max_neighbours`` actions in time (still within ``window``); ``max_neighbours = 0``
    means no cap (the presets, whose peers pair everything). ``after_s`` (None: no lower
    bound) keeps only pairs more than that many seconds apart, ``after_s < t_b - t_a <=
    window``: a band above a shorter time scale whose co-actions another signal counts
    (``co_repost_slow`` leaves those within ``--window`` to ``co_repost``).
    """

    window_s: float
    max_neighbours: int = 0
    hot_item_actions: int = 1000
    after_s: float | None = None


@dataclass(frozen=True)
class ScoreSpec:
    """How pairs of actions become account edges.

    ``surprise``: each distinct shared item counts once per account pair, weighted by
    ``log(N / n_item)`` (inverse item popularity, as TF-IDF in Pacheco et al. 2021) and
    discounted when the item's actions are packed densely in time (a null model of
    independent activity: many accounts on one item inside the window is expected).
    ``coortweet`` and ``cnt`` reproduce those tools' definitions exactly.
    """

    scoring: Scoring = "surprise"
    signal: str = ""
    min_participation: int = 1
    min_edge_weight: float = 0.0
    remove_loops: bool = True
    evidence_limit: int = 10
    extras: dict[str, float | None] = field(default_factory=dict)
    common: Rel | None = None  # pairs at any gap: the synchrony base (default: shared items)
    #: surprise scoring only: when set (the pairing window, seconds), add ``p_chance`` (the
    #: edge's chance under the null model of :mod:`lockstep.engine.chance` at that window) and
    #: ``chance_tests`` (account pairs tested in the signal)
    chance_window_s: float | None = None
    #: the item rows the chance is measured on (popularity, degrees, per-item timing; default:
    #: the scored items). fast_repost pairs an original's author with its resharers, so its
    #: null needs the originals as rows too (an author who never reshares still acts)
    chance_items: Rel | None = None
    #: the band's lower end (``PairSpec.after_s``): the null's per-item timing counts the item's
    #: pairs of rows more than this and at most ``chance_window_s`` apart
    chance_after_s: float | None = None


class Engine(ABC):
    """Base class of the engines; one instance per detection run, made from a table source."""

    name: ClassVar[str] = ""
    #: counts an engine reports for params.json (e.g. pair rows counted before pruning)
    stats: dict[str, int]
    #: called with a short description of the step under way (long runs show progress)
    on_step: Callable[[str], None] | None

    @abstractmethod
    def __init__(self, source: TableSource) -> None:
        """Start a run on the canonical tables of ``source``."""

    @abstractmethod
    def items(self, source: ItemSource) -> Rel:
        """Rows of (action, item) for one signal (see the module doc for the columns)."""

    @abstractmethod
    def distinct_items(self, items: Rel, limit: int | None = None) -> pa.Table:
        """The distinct ``item`` values of an items relation (for near-duplicate grouping); with
        ``limit``, at most that many (any of them: enough to tell that there are too many)."""

    @abstractmethod
    def remap_items(self, items: Rel, mapping: pa.Table) -> Rel:
        """Replace ``item`` by ``mapping.group`` where ``mapping.item`` matches."""

    @abstractmethod
    def window_pairs(self, items: Rel, spec: PairSpec) -> Rel:
        """Pairs of item rows sharing an item within the window (hot items capped)."""

    @abstractmethod
    def origin_pairs(self, window_s: float | None, kinds: tuple[str, ...]) -> Rel:
        """Pairs (original post, reshare) where the reshare came within ``window_s`` of the
        original's own timestamp (None: at any time); items are the original post ids."""

    def plan_prune(self, min_shared: int) -> None:
        """Announce :meth:`prune`'s ``min_shared`` before the signals run, so an engine may
        skip scoring account pairs that cannot reach it (default: score everything)."""

    @abstractmethod
    def score(self, pairs: Rel, items: Rel, spec: ScoreSpec, window_s: float) -> Rel:
        """Account edges from action pairs (see :class:`ScoreSpec`)."""

    @abstractmethod
    def union_edges(self, edges: list[Rel]) -> Rel:
        """All signals' edges in one relation."""

    @abstractmethod
    def prune(self, edges: Rel, min_weight: float, min_shared: int,
              signal_weights: dict[str, float], evidence_limit: int = 10,
              keep: EdgeFilter | None = None) -> Rel:
        """Per-signal edges of the account pairs whose fused weight and shared items pass
        the thresholds, with ``evidence_items``/``evidence_actions`` lists attached.

        ``keep``: called once with those edges (every column, no evidence lists yet), it
        returns the rows to keep (identified by account_a, account_b and signal); evidence
        is then built for those only. Detection's significance cut drops most of a large
        world's pruned edges (10M actions: 1.03M pruned, 41,653 significant), and the
        evidence lists were most of the pruning's time."""

    @abstractmethod
    def fetch(self, rel: Rel) -> pa.Table:
        """Materialise a (small: pruned edges) relation in Python."""

    @abstractmethod
    def count(self, rel: Rel) -> int:
        """Number of rows of a relation."""

    @abstractmethod
    def data_window(self) -> dict[str, object]:
        """First and last action time and action count, for the run's provenance."""

    @abstractmethod
    def close(self) -> None:
        """Drop every relation this engine made."""


#: every engine, by name (``lockstep detect --engine NAME``)
ENGINES: Registry[type[Engine]] = Registry("engine")
