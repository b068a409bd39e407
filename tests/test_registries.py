"""One registry and one parameter system: names resolve the same way everywhere, duplicates
are refused at import, every preset is made of declared parameters, and every parameter is
settable from TOML and flags with a message naming it when the value is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from lockstep.detect import PRESETS, all_params, build_settings
from lockstep.errors import UserError
from lockstep.params import Param
from lockstep.registry import Registry, RegistryError


class _Thing:
    name = "thing"
    aliases = ("t",)


def test_registry_refuses_duplicates_and_names_the_known() -> None:
    reg: Registry[type[_Thing]] = Registry("widget")
    reg.register(_Thing)
    assert reg.resolve("t") is _Thing and reg.canonical("t") == "thing" and "t" in reg
    with pytest.raises(RegistryError, match="registered twice"):
        reg.add(_Thing, name="t")
    with pytest.raises(UserError, match="unknown widget 'nope' \\(known: t, thing\\)"):
        reg.resolve("nope")


@pytest.mark.parametrize("name", PRESETS.names())
def test_every_preset_is_made_of_declared_parameters(name: str) -> None:
    st = build_settings(preset=name)
    assert st.preset == name and st.sources["scoring"] == f"preset {name}"
    assert set(PRESETS.resolve(name)) <= set(all_params())


def test_roles_parameters_from_toml_and_flags(tmp_path: Path) -> None:
    cfg = tmp_path / "lockstep.toml"
    cfg.write_text("[detect]\nwindow = 30\n\n[detect.roles]\nexpand_min_share = 0.7\nsync_window_s = 90\n")
    st = build_settings(config=cfg, flags={"roles_sync_window_s": 60})
    assert (st.roles, st.roles_expand_min_share, st.roles_sync_window_s) == (True, 0.7, 60)
    assert st.sources["roles_expand_min_share"].startswith("config") and st.as_record()["roles_sync_window_s"] == 60
    cfg.write_text("[detect.roles]\nexpand_min_share = 2\n")
    with pytest.raises(UserError, match="roles_expand_min_share=2.0 must be <= 1"):
        build_settings(config=cfg)
    cfg.write_text("[detect.roles]\nno_such = 1\n")
    with pytest.raises(UserError, match="unknown parameter 'roles_no_such'"):
        build_settings(config=cfg)
    cfg.write_text("[detect.colour]\nx = 1\n")
    with pytest.raises(UserError, match=r"\[detect.colour\] is not a known table"):
        build_settings(config=cfg)


def test_values_of_the_wrong_shape_are_refused() -> None:
    flag = Param("graph_files", bool, True, "x")
    with pytest.raises(UserError, match="graph_files=\\{'a': 1\\} is not a valid bool"):
        flag.coerce({"a": 1}, "config f")
    with pytest.raises(UserError, match="is not a valid int"):
        Param("seed", int, 0, "x").coerce(True, "flags")
    assert flag.coerce("no", "flags") is False


def test_every_parameter_has_help_and_a_flag() -> None:
    params = all_params()
    assert all(p.help and p.flag == "--" + name.replace("_", "-") for name, p in params.items())
    assert {"roles", "roles_expand_min_share", "window", "fast_window"} <= set(params)


def test_account_signal_parameters_from_toml_reach_the_roles_stage(tmp_path: Path) -> None:
    from lockstep.roles.params import from_record

    cfg = tmp_path / "lockstep.toml"
    cfg.write_text("[detect.roles.signals.working_hours]\nmin_share = 0.9\n")
    st = build_settings(config=cfg, flags={"account_handle_pattern_min_digits": 6})
    p = from_record(st.as_record())
    assert p["signals"]["working_hours"]["min_share"] == 0.9
    assert p["signals"]["handle_pattern"]["min_digits"] == 6
    cfg.write_text("[detect.roles.signals.working_hours]\nmin_shares = 0.9\n")
    with pytest.raises(UserError, match="unknown parameter 'account_working_hours_min_shares'"):
        build_settings(config=cfg)
