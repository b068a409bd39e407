"""Detection: settings, presets, the ``detect_workspace`` pipeline and its output files.

``detect_workspace`` is imported lazily: the pipeline pulls in igraph, which commands that
only read settings (``lockstep detect --help``) should not pay for.
"""

from __future__ import annotations

from typing import Any

from lockstep.detect.presets import PRESETS
from lockstep.detect.settings import DetectSettings, all_params, build_settings

__all__ = ["PRESETS", "DetectSettings", "all_params", "build_settings", "detect_workspace"]


def __getattr__(name: str) -> Any:
    if name == "detect_workspace":
        from lockstep.detect.pipeline import detect_workspace

        return detect_workspace
    raise AttributeError(name)
