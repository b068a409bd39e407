"""World configuration: sizes, dates and the evasion knobs of a simulated platform.

Everything the simulator does is derived from one :class:`WorldConfig`, so a world can be
replayed exactly from the ``world.json`` manifest (seed + scale + knobs).

Sizes follow the case brief (936 core accounts, ~200,000 amplifiers), scaled down so that a
default world (``scale=1``) is a few tens of thousands of accounts and roughly 0.5-1 million
actions. The organic platform is scaled down much more than the operation (Twitter had
hundreds of millions of users), so the operation is a larger share of our world than of the
real one; the core:amplifier ratio is kept at 1:40 instead of 1:213 so amplifiers do not
outnumber every organic community.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from lockstep.errors import UserError
from lockstep.simulate.knobs import Knobs

__all__ = ["Knobs", "SCENARIOS", "WorldConfig"]

SCENARIOS = ("hk2019",)


def _ts(s: str) -> int:
    return int(datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp())


@dataclass(frozen=True)
class WorldConfig:
    """Sizes and dates of one world; counts scale linearly with ``scale``."""

    scenario: str = "hk2019"
    scale: float = 1.0
    seed: int = 0
    knobs: Knobs = field(default_factory=Knobs)
    # time line (UTC dates)
    start: int = _ts("2019-04-01")
    end: int = _ts("2019-08-19")  # exclusive
    op_zh_start: int = _ts("2019-06-11")  # Hong Kong posts in Chinese begin
    op_en_start: int = _ts("2019-07-01")  # ... and in English
    first_suspension: int = _ts("2019-07-22")  # amplifiers are created after this
    # populations at scale 1
    base_organic: int = 30_000
    base_news: int = 30
    base_protest: int = 800
    base_protest_leaders: int = 12
    base_loyalist: int = 500
    base_personas: int = 2
    base_operators: int = 150
    base_amplifiers: int = 6_000
    base_fans: int = 600  # times knobs.fans; 0 unless the fan look-alike is asked for
    base_newsbots: int = 30  # times knobs.newsbots
    # activity
    organic_rate: float = 0.1  # mean actions per organic user per day
    viral_per_day: float = 0.8  # organic cascades reshared thousands of times
    chunk_rows: int = 200_000

    def validate(self) -> None:
        if self.scenario not in SCENARIOS:
            raise UserError(f"unknown scenario {self.scenario!r} (known: {', '.join(SCENARIOS)})")
        if not (0.01 <= self.scale <= 200.0) or math.isnan(self.scale):
            raise UserError(f"--scale must be between 0.01 and 200, got {self.scale}")
        if self.seed < 0:
            raise UserError(f"--seed must be >= 0, got {self.seed}")
        self.knobs.validate()

    def n(self, base: int, minimum: int = 1) -> int:
        return max(minimum, int(round(base * self.scale)))

    @property
    def n_organic(self) -> int:
        return self.n(self.base_organic, 200)

    @property
    def n_news(self) -> int:
        return self.n(self.base_news, 6)

    @property
    def n_protest(self) -> int:
        return self.n(self.base_protest, 40)

    @property
    def n_protest_leaders(self) -> int:
        return self.n(self.base_protest_leaders, 3)

    @property
    def n_loyalist(self) -> int:
        return self.n(self.base_loyalist, 30)

    @property
    def n_personas(self) -> int:
        return self.n(self.base_personas, 2)

    @property
    def n_operators(self) -> int:
        return self.n(self.base_operators, 12)

    @property
    def n_amplifiers(self) -> int:
        return self.n(self.base_amplifiers, 100)

    @property
    def n_fans(self) -> int:
        k = self.knobs.fans
        return 0 if k <= 0 else max(40, int(round(self.base_fans * self.scale * k)))

    @property
    def n_newsbots(self) -> int:
        k = self.knobs.newsbots
        return 0 if k <= 0 else max(6, int(round(self.base_newsbots * self.scale * k)))

    @property
    def n_days(self) -> int:
        return (self.end - self.start) // 86_400

    def manifest(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("start", "end", "op_zh_start", "op_en_start", "first_suspension"):
            d[k] = datetime.fromtimestamp(d[k], timezone.utc).strftime("%Y-%m-%d")
        return d
