"""The scenario simulator: a realistic platform with a planted, labelled state-backed operation.

``simulate(out, scenario="hk2019", scale=1.0, seed=0, **knobs)`` writes tweets.csv and
users.csv (Information Operations archive layout), access.csv, labels.csv, world.json and
a second-platform view under platform2/. See docs/simulator.md.
"""

from lockstep.simulate.config import Knobs, WorldConfig
from lockstep.simulate.world import simulate

__all__ = ["Knobs", "WorldConfig", "simulate"]
