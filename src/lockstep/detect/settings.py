"""Detection settings: one typed object, built as defaults -> preset -> TOML file -> flags.

Why one object: every step receives it explicitly (nothing reads globals or the
environment on its own), and ``as_record()`` is exactly what a run writes to params.json
and campaigns.json, so any result can be replayed with ``--config params.json``-equivalent
values. Parameters are declared once (here and on each signal), which is what the CLI
flags, the TOML keys and docs/detection.md are checked against.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockstep.detect.presets import PRESETS
from lockstep.engine import ENGINES
from lockstep.errors import UserError
from lockstep.registry import RegistryError
from lockstep.signals import DEFAULT_SIGNALS, REGISTRY, Param, resolve


def _known_signal(value: Any) -> str | None:
    for name in value:
        resolve(name)  # raises a UserError naming the bad signal
    return None if value else "name at least one signal"


CORE_PARAMS: tuple[Param, ...] = (
    Param("preset", str, None, "Reproduce a peer tool's definitions: coortweet or cnt.",
          choices=tuple(PRESETS), optional=True),
    Param("signals", list, list(DEFAULT_SIGNALS), "Comma-separated signals to run.",
          check=_known_signal),
    Param("window", float, 60.0, "Seconds: two actions co-occur when |t_a - t_b| <= window"
          " (exact sliding window).", min=0),
    Param("scoring", str, "surprise", "How co-actions become edge weights: surprise (inverse item"
          " popularity), coortweet or cnt (the peers' exact definitions).",
          choices=("surprise", "coortweet", "cnt")),
    Param("min_participation", int, 2, "Accounts with fewer actions than this in a signal are"
          " left out of it (CooRTweet's min_participation).", min=0),
    Param("edge_weight", float, None, "Percentile (0-1) of edge weight: edges above it are marked"
          " weight_threshold=1 and only they are clustered (CooRTweet's edge_weight).",
          min=0, max=1, optional=True),
    Param("min_edge_weight", float, 0.0, "Per-signal minimum edge weight (the toolkit's"
          " min_edge_weight; used by --scoring cnt).", min=0),
    Param("min_weight", float, 12.0, "Prune account pairs whose fused weight (sum over signals)"
          " is below this.", min=0),
    Param("min_shared", int, 3, "Prune account pairs with fewer shared items than this (all"
          " signals together).", min=1),
    Param("min_synchrony", float, 0.5, "Surprise scoring: drop a signal's edge when fewer than this"
          " share of the items both accounts acted on were acted on within the window (needs 2+"
          " shared items).", min=0, max=1),
    Param("fdr", float, 0.01, "False discovery rate: edges that carry a chance probability"
          " (p_chance) are kept only when they pass Benjamini-Hochberg at this rate over the"
          " account pairs their signal tested; 1 cuts nothing (p_chance still reported).", min=0, max=1),
    Param("max_neighbours", int, 50, "On hot items, pair each action only with its next N"
          " actions in time (still within the window); 0 = no cap.", min=0),
    Param("hot_item_actions", int, 1000, "Items with more actions than this are hot.", min=1),
    Param("remove_loops", bool, True, "Drop pairs of an account with itself."),
    Param("clustering", str, "leiden", "leiden (seeded) or components.",
          choices=("leiden", "components")),
    Param("resolution", float, 1.0, "Leiden resolution (higher: smaller campaigns).", min=0),
    Param("seed", int, 0, "Seed for Leiden and MinHash.", min=0),
    Param("min_campaign_size", int, 3, "Clusters smaller than this are not flagged.", min=1),
    Param("min_density", float, 0.0, "Clusters whose internal edge density is below this are not"
          " flagged.", min=0, max=1),
    Param("evidence_limit", int, 10, "Evidence item/action ids kept per edge.", min=1),
    Param("roles", bool, True, "Run the roles stage: judge which accounts are inauthentic (the"
          " flagged column), in which role, and add the amplifiers around each operation."),
    Param("engine", str, "duckdb", "Engine: duckdb, or reference (the definition every engine is"
          " tested against: plain Python, for checking small data, not for real runs).",
          choices=tuple(ENGINES.names())),
    Param("graph_files", bool, True, "Write graph.gexf and graph.graphml (Gephi)."),
    Param("graph_max_edges", int, 100_000, "When the pruned graph has more edges than this, the"
          " graph files hold only the flagged campaigns (members and the edges among them), and"
          " are skipped if that is still larger; 0 = no limit. edges.csv always has every edge.",
          min=0),
)


def all_params() -> dict[str, Param]:
    """Every parameter of a detect run, by name: the core ones, every registered signal's,
    and the roles stage's (``roles_*``). A name declared twice is refused."""
    from lockstep.roles.params import detect_params  # roles sit above detect: imported late

    out = {p.name: p for p in CORE_PARAMS}
    owner = {p.name: "core" for p in CORE_PARAMS}
    for cls in REGISTRY.values():
        for p in cls.params:
            if p.name in out and out[p.name] != p:
                raise RegistryError(f"parameter {p.name!r} of signal {cls.name} clashes with {owner[p.name]}'s")
            out.setdefault(p.name, p)
            owner.setdefault(p.name, f"signal {cls.name}")
    for p in detect_params():
        if p.name in out:
            raise RegistryError(f"roles parameter {p.name!r} clashes with {owner[p.name]}'s")
        out[p.name] = p
    return out


@dataclass
class DetectSettings:
    """Typed settings; attribute access for every declared parameter."""

    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)  # where each value came from
    notes: list[str] = field(default_factory=list)  # things a run had to skip or adapt

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    def as_record(self) -> dict[str, Any]:
        """Plain JSON-able parameters, canonical signal names."""
        rec = dict(self.values)
        rec["signals"] = [resolve(n).name for n in rec["signals"]]
        return rec


def _apply(values: dict[str, Any], sources: dict[str, str], updates: dict[str, Any], where: str,
           params: dict[str, Param]) -> None:
    for raw_key, value in updates.items():
        key = raw_key.replace("-", "_")
        if key not in params:
            raise UserError(f"{where}: unknown parameter {raw_key!r}")
        values[key] = params[key].coerce(value, where)
        sources[key] = where


def read_toml(path: Path) -> dict[str, Any]:
    """Parameters from a TOML file: a ``[detect]`` table, or top-level keys."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf8"))
    except FileNotFoundError:
        raise UserError(f"config file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"config file {path}: {exc}") from None
    table = data.get("detect", data)
    if not isinstance(table, dict):
        raise UserError(f"config file {path}: [detect] must be a table")
    out: dict[str, Any] = {}
    for k, v in table.items():
        if k in ("detect", "run_id", "out_dir"):
            continue
        if k == "roles" and isinstance(v, dict):  # [detect.roles]: the roles_* parameters
            for rk, rv in v.items():
                if rk == "signals" and isinstance(rv, dict):  # [detect.roles.signals.<signal>]
                    for sig, table in rv.items():
                        if not isinstance(table, dict):
                            raise UserError(f"config file {path}: [detect.roles.signals.{sig}] must be a table")
                        out.update({f"account_{sig}_{pk}": pv for pk, pv in table.items()})
                elif isinstance(rv, dict):
                    raise UserError(f"config file {path}: [detect.roles.{rk}] is not a known table")
                else:
                    out[f"roles_{rk}"] = rv
        elif isinstance(v, dict):
            raise UserError(f"config file {path}: [detect.{k}] is not a known table"
                            " (parameters are keys of [detect], or of [detect.roles])")
        else:
            out[k] = v
    return out


def build_settings(params: dict[str, Any] | None = None, preset: str | None = None,
                   config: Path | None = None, flags: dict[str, Any] | None = None) -> DetectSettings:
    """defaults -> preset -> TOML ``config`` -> ``params`` (API) -> ``flags`` (CLI)."""
    specs = all_params()
    values = {name: p.default for name, p in specs.items()}
    values["signals"] = list(values["signals"])
    sources = {name: "default" for name in specs}
    layers: list[tuple[str, dict[str, Any]]] = []
    toml_vals = read_toml(config) if config is not None else {}
    chosen = (flags or {}).get("preset") or (params or {}).get("preset") or preset or toml_vals.get("preset")
    if chosen is not None:
        layers.append((f"preset {chosen}", {**PRESETS.resolve(chosen), "preset": chosen}))
    if toml_vals:
        layers.append((f"config {config}", toml_vals))
    if params:
        layers.append(("params", params))
    if flags:
        layers.append(("flags", {k: v for k, v in flags.items() if v is not None}))
    for where, layer in layers:
        _apply(values, sources, layer, where, specs)
    return DetectSettings(values=values, sources=sources)
