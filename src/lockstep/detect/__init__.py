"""Detection: settings, presets and :func:`detect` (signals -> pruned fused graph ->
campaigns, returned as a :class:`DetectResult`; nothing is written here).

``detect`` is imported lazily: the pipeline pulls in igraph, which commands that only read
settings (``lockstep detect --help``) should not pay for.
"""

from __future__ import annotations

from typing import Any

from lockstep.detect.presets import PRESETS
from lockstep.detect.result import Campaign, CoordinatedAccount, DetectResult
from lockstep.detect.settings import DetectSettings, all_params, build_settings

__all__ = ["PRESETS", "Campaign", "CoordinatedAccount", "DetectResult", "DetectSettings", "all_params",
           "build_settings", "detect"]


def __getattr__(name: str) -> Any:
    if name == "detect":
        from lockstep.detect.pipeline import detect

        return detect
    raise AttributeError(name)
