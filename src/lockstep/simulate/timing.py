"""When accounts act: personal daily rhythms in their own time zone, and office hours.

Organic people act mostly in their local evening and rarely at 4 a.m.; the operation works
08:30-17:30 Beijing time on working days with a lunch dip, quiet at weekends and holidays
(the rhythm public research found in the China 2019 release).
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

DAY = 86_400
# local-hour weights of organic activity (0h..23h)
_ORGANIC = np.array([3, 2, 1.2, 0.7, 0.5, 0.6, 1.2, 2.5, 3.5, 4, 4.2, 4.5,
                     5, 4.6, 4.3, 4.4, 4.6, 5, 5.6, 6.3, 6.8, 7, 6.2, 4.5])
# protest community: evenings and nights
_ACTIVIST = np.array([5, 4, 3, 1.5, 0.6, 0.4, 0.6, 1.5, 2.5, 3, 3.2, 3.5,
                      4, 3.6, 3.4, 3.6, 4, 4.8, 5.5, 6.5, 7.5, 8, 7.5, 6.5])
# operation: 08:30-17:30 with a lunch dip, almost nothing outside
_OFFICE = np.array([0.02, 0.01, 0, 0, 0, 0, 0.02, 0.1, 2.5, 6, 6, 5.5,
                    1.8, 3.5, 6, 6, 5.5, 3.5, 0.3, 0.1, 0.05, 0.05, 0.02, 0.02])
PROFILES = {"organic": _ORGANIC / _ORGANIC.sum(), "activist": _ACTIVIST / _ACTIVIST.sum(),
            "office": _OFFICE / _OFFICE.sum()}
_CDF = {k: np.cumsum(v) for k, v in PROFILES.items()}

# Chinese public holidays inside the default window (Dragon Boat Festival)
CN_HOLIDAYS = {"2019-06-07"}
PROTEST_DAYS = {"2019-06-09", "2019-06-12", "2019-06-16", "2019-07-01", "2019-07-21", "2019-07-28",
                "2019-08-05", "2019-08-11", "2019-08-12", "2019-08-13", "2019-08-18"}


def day_str(day_start: int) -> str:
    return datetime.fromtimestamp(day_start, timezone.utc).strftime("%Y-%m-%d")


def weekday(day_start: int) -> int:
    return datetime.fromtimestamp(day_start, timezone.utc).weekday()


def is_cn_workday(day_start: int) -> bool:
    return weekday(day_start) < 5 and day_str(day_start) not in CN_HOLIDAYS


def local_times(rng: np.random.Generator, day_start: int, tz: np.ndarray, profile: str) -> np.ndarray:
    """One UTC time per entry of ``tz`` (hours), drawn from a local daily rhythm."""
    n = len(tz)
    hour = np.searchsorted(_CDF[profile], rng.random(n) * _CDF[profile][-1], side="right")
    hour = np.minimum(hour, 23)
    local = hour * 3600 + rng.integers(0, 3600, n)
    out: np.ndarray = (day_start + local - (np.asarray(tz) * 3600).astype(np.int64)).astype(np.int64)
    return out


def lognormal_delays(rng: np.random.Generator, n: int, median_s: float, sigma: float, minimum: int = 1) -> np.ndarray:
    out: np.ndarray = np.maximum(minimum, rng.lognormal(np.log(max(median_s, 1.0)), sigma, n)).astype(np.int64)
    return out
