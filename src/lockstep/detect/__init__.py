"""Detection: settings, presets, the ``detect_workspace`` pipeline and its output files."""

from lockstep.detect.pipeline import detect_workspace
from lockstep.detect.presets import PRESETS
from lockstep.detect.settings import DetectSettings, all_params, build_settings

__all__ = ["PRESETS", "DetectSettings", "all_params", "build_settings", "detect_workspace"]
