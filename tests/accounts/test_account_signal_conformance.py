"""Conformance: every registered account signal, on its own small example, on an empty
workspace, and twice (same findings); its parameters are declared, settable and checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from account_signal_examples import EXAMPLES
from roles.helpers import make_ws

from lockstep.accounts import REGISTRY, AccountSignal, Finding, account_signal_params, compute_findings, register
from lockstep.errors import UserError
from lockstep.registry import RegistryError

NAMES = REGISTRY.names()


def _key(f: Finding) -> tuple[str, str]:
    return f.account_id, json.dumps(f.to_dict(), sort_keys=True, default=str)


@pytest.mark.parametrize("name", NAMES)
def test_signal_on_its_example(name: str, tmp_path: Path) -> None:
    assert name in EXAMPLES, f"account signal {name} has no example in account_signal_examples.py"
    ex = EXAMPLES[name]
    sig = REGISTRY.resolve(name)()
    with make_ws(tmp_path / "ws", **ex.tables()) as ws:
        assert sig.applicable(ws)
        found = sig.compute(ws)
        again = sig.compute(ws)
    by_acc = {f.account_id: f for f in found}
    assert ex.fires in by_acc and ex.quiet not in by_acc
    for f in found:
        assert f.signal == name and 0 < f.strength <= 1 and f.text
        json.dumps(f.to_dict())  # the numbers behind the words are plain JSON
    assert sorted(map(_key, found)) == sorted(map(_key, again))
    with make_ws(tmp_path / "ws2", **ex.tables()) as ws2:  # a fresh connection, same rows
        assert sorted(map(_key, sig.compute(ws2))) == sorted(map(_key, found))


@pytest.mark.parametrize("name", NAMES)
def test_signal_on_an_empty_workspace(name: str, tmp_path: Path) -> None:
    with make_ws(tmp_path / "ws") as ws:
        assert REGISTRY.resolve(name)().compute(ws) == []
        assert compute_findings(ws, [name]) == {}


def test_parameters_are_declared_and_named_per_signal() -> None:
    params = account_signal_params()
    expected = {f"{n}.{p.name}" for n, cls in REGISTRY.items() for p in cls.parameters}
    assert set(params) == expected and "working_hours.min_share" in params
    for key, p in params.items():
        assert p.name == key and p.help
        p.validate(p.default, "defaults")
    assert all(cls.parameters for cls in REGISTRY.values())


def test_a_parameter_changes_what_a_signal_finds(tmp_path: Path) -> None:
    with make_ws(tmp_path / "ws", **EXAMPLES["handle_pattern"].tables()) as ws:
        default = compute_findings(ws, ["handle_pattern"])
        strict = compute_findings(ws, ["handle_pattern"], {"handle_pattern": {"min_digits": "9"}})
    assert "b0" in default and "b0" not in strict


def test_bad_parameters_are_refused_with_their_name() -> None:
    with pytest.raises(UserError, match="working_hours.*min_share=1.5 must be <= 1"):
        REGISTRY.resolve("working_hours")(min_share=1.5)
    with pytest.raises(UserError, match="min_actions='many' is not a valid int"):
        REGISTRY.resolve("working_hours")(min_actions="many")
    with pytest.raises(UserError, match="unknown parameter.*'window'"):
        REGISTRY.resolve("client_mix")(window=3)
    with pytest.raises(UserError, match="unknown account signal 'nope'"):
        compute_findings(None, ["nope"])  # type: ignore[arg-type]


def test_a_duplicate_or_nameless_signal_is_refused() -> None:
    class Again(AccountSignal):
        name = "handle_pattern"
        explanation = "the same name twice"

    class Nameless(AccountSignal):
        explanation = "no name"

    with pytest.raises(RegistryError):
        register(Again)
    with pytest.raises(TypeError):
        register(Nameless)
    assert REGISTRY.resolve("handle_pattern") is not Again
