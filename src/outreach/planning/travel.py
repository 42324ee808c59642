"""Travel times between places: great-circle distance x detour factor / speed, or a matrix.

`TravelModel` is the default: no routing engine needed, good enough to order a day's visits.
`MatrixTravel` plugs in times from a routing engine (OSRM, Valhalla, a trust's GIS) for a
fixed set of points. Both give whole seconds, the unit the solver works in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np

EARTH_RADIUS_KM = 6371.0088

UNKNOWN_POINT = "The travel matrix has no entry for the point {point}."
NO_MODE = "The travel matrix has no times for travel by {mode}."
BAD_SPEED = "Travel speeds must be above 0 km/h and the detour factor at least 1."


class Mode(StrEnum):
    CAR = "car"
    PUBLIC_TRANSPORT = "public_transport"
    WALK = "walk"
    BICYCLE = "bicycle"


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


class TravelTimes(Protocol):
    def seconds(self, points: Sequence[Point], mode: Mode) -> np.ndarray:
        """Square matrix of whole seconds from each point to each other (int64)."""
        ...


def _km(points: Sequence[Point]) -> np.ndarray:
    lat = np.radians([p.lat for p in points])
    lon = np.radians([p.lon for p in points])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


DEFAULT_SPEEDS: Mapping[Mode, float] = {
    Mode.CAR: 28.0,  # urban driving, km/h along the road
    Mode.PUBLIC_TRANSPORT: 14.0,
    Mode.WALK: 4.5,
    Mode.BICYCLE: 13.0,
}


@dataclass(frozen=True)
class TravelModel:
    """Great-circle distance x detour factor / speed, plus a fixed time to park and get in."""

    detour_factor: float = 1.35
    speeds_kmh: Mapping[Mode, float] = field(default_factory=lambda: dict(DEFAULT_SPEEDS))
    arrive_minutes: float = 3.0  # parking, finding the door; not added for zero distance

    def __post_init__(self) -> None:
        if self.detour_factor < 1 or any(v <= 0 for v in self.speeds_kmh.values()):
            raise ValueError(BAD_SPEED)

    def seconds(self, points: Sequence[Point], mode: Mode) -> np.ndarray:
        km = _km(points) * self.detour_factor
        secs = km / self.speeds_kmh[mode] * 3600.0
        secs = np.where(km > 0.01, secs + self.arrive_minutes * 60.0, 0.0)
        return np.rint(secs).astype(np.int64)


@dataclass(frozen=True)
class MatrixTravel:
    """Times from a routing engine for a known set of points, per mode of travel."""

    points: tuple[Point, ...]
    seconds_by_mode: Mapping[Mode, np.ndarray]

    def seconds(self, points: Sequence[Point], mode: Mode) -> np.ndarray:
        index = {p: i for i, p in enumerate(self.points)}
        missing = [p for p in points if p not in index]
        if missing:
            raise ValueError(UNKNOWN_POINT.format(point=missing[0]))
        if mode not in self.seconds_by_mode:
            raise ValueError(NO_MODE.format(mode=mode.value))
        idx = np.array([index[p] for p in points], dtype=np.int64)
        matrix = np.asarray(self.seconds_by_mode[mode], dtype=np.int64)
        return matrix[np.ix_(idx, idx)]
