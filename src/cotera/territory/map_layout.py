"""France on one page: metropolitan France projected, the five DROM as insets beside it.

National maps (régions, départements, EPCI) are stored in these planar coordinates (km, y
pointing north) and drawn with Vega-Lite's ``identity`` projection (``reflectY``), so one map
holds metropolitan France and the overseas départements, each at a readable size.

- Metropolitan France (and Corsica): spherical Lambert conformal conic, standard parallels 44°N
  and 49°N, origin 46.5°N 3°E (the parameters of Lambert-93, on a sphere of radius 6,371 km:
  shapes as on IGN maps, positions within a few km of true Lambert-93).
- Each DROM: local equirectangular projection around the centre of its outline (true to scale
  at that latitude; the DROM are small), scaled to fill its inset box and moved into it. Insets
  are **not at the metropolitan scale** (La Guyane is shrunk, Mayotte enlarged); the maps say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0
_PARALLELS = (44.0, 49.0)
_ORIGIN = (3.0, 46.5)  # longitude, latitude
INSET_SIZE_KM = 200.0
INSET_MARGIN = 0.92  # share of the box's drawing area an outline may fill
LABEL_BAND_KM = 30.0  # top band of each box kept for the inset's name
_COLUMN_X = -880.0  # left edge of the insets' column (metropolitan France starts near -600)
_TOP_Y = 560.0
_GAP_KM = 25.0

_DRAWN_KM = INSET_SIZE_KM - LABEL_BAND_KM  # height of a box below its name band
Coordinates = NDArray[np.float64]
Box = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax


@dataclass(frozen=True, slots=True)
class InsetSlot:
    """Where an overseas département is drawn on the national map."""

    departement: str  # INSEE code, 971
    region: str  # INSEE code of its région, 01
    name: str
    box: Box


def _slot(index: int, departement: str, region: str, name: str) -> InsetSlot:
    top = _TOP_Y - index * (INSET_SIZE_KM + _GAP_KM)
    box = (_COLUMN_X, top - INSET_SIZE_KM, _COLUMN_X + INSET_SIZE_KM, top)
    return InsetSlot(departement, region, name, box)


INSETS: tuple[InsetSlot, ...] = (
    _slot(0, "971", "01", "Guadeloupe"),
    _slot(1, "972", "02", "Martinique"),
    _slot(2, "973", "03", "Guyane"),
    _slot(3, "974", "04", "La Réunion"),
    _slot(4, "976", "06", "Mayotte"),
)
INSET_OF_DEPARTEMENT = {slot.departement: slot for slot in INSETS}


def _lambert_constants() -> tuple[float, float, float]:
    phi1, phi2 = (math.radians(p) for p in _PARALLELS)
    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
        math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
    )
    big_f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** n / n
    rho0 = EARTH_RADIUS_KM * big_f / math.tan(math.pi / 4 + math.radians(_ORIGIN[1]) / 2) ** n
    return n, big_f, rho0


_N, _F, _RHO0 = _lambert_constants()


def metropolitan(lonlat: Coordinates) -> Coordinates:
    """Longitude/latitude (degrees, shape (n, 2)) → Lambert conformal conic km."""
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    rho = EARTH_RADIUS_KM * _F / np.tan(np.pi / 4 + lat / 2) ** _N
    theta = _N * (lon - math.radians(_ORIGIN[0]))
    return np.column_stack((rho * np.sin(theta), _RHO0 - rho * np.cos(theta)))


@dataclass(frozen=True, slots=True)
class InsetPlacement:
    """How one DROM's longitudes/latitudes become inset coordinates."""

    slot: InsetSlot
    center: tuple[float, float]  # longitude, latitude of the outline's bounding-box centre
    scale: float  # inset km per true km

    @classmethod
    def fit(cls, slot: InsetSlot, bounds: Box) -> InsetPlacement:
        """The placement filling ``slot`` with an outline of lon/lat ``bounds``."""
        lon0, lat0, lon1, lat1 = bounds
        center = ((lon0 + lon1) / 2, (lat0 + lat1) / 2)
        width, height = np.ptp(_local(np.array([[lon0, lat0], [lon1, lat1]]), center), axis=0)
        scale = INSET_MARGIN * min(INSET_SIZE_KM / max(width, 1e-9), _DRAWN_KM / max(height, 1e-9))
        return cls(slot, center, scale)

    def apply(self, lonlat: Coordinates) -> Coordinates:
        """Longitude/latitude (degrees, shape (n, 2)) → inset km."""
        xmin, ymin, xmax, ymax = self.slot.box
        middle = np.array([(xmin + xmax) / 2, (ymin + ymax - LABEL_BAND_KM) / 2])
        return middle + self.scale * _local(lonlat, self.center)


def _local(lonlat: Coordinates, center: tuple[float, float]) -> Coordinates:
    """Equirectangular km around ``center`` (true scale at its latitude)."""
    kilometres_per_degree = EARTH_RADIUS_KM * math.pi / 180
    shift = lonlat - np.array(center)
    shrink = math.cos(math.radians(center[1]))
    return np.column_stack((shift[:, 0] * shrink, shift[:, 1])) * kilometres_per_degree
