"""Render stage, pictures: the geometry of the tour map and the timeline, which the templates
tour_map.html and timeline_graphic.html draw as inline SVG at build time.

The map's shapes are Natural Earth's 1:110m countries from the npm package `world-atlas`
(installed by `make install` into node_modules/), projected with the Mercator projection and cut
to the region of the tour. Colours come from CSS classes, so both colour schemes apply. Each
picture has a title and a description, and the page keeps a table or list with the same content.

Why hand-written: decoding TopoJSON and projecting a few hundred rings takes some forty lines; the
Python geo libraries that do it (geopandas, cartopy) bring GDAL/PROJ binaries for no gain here.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

ATLAS = Path("node_modules/world-atlas/countries-110m.json")
MAP_WIDTH = 800


class AtlasMissing(RuntimeError):
    pass


@cache
def _atlas(path: Path) -> dict:
    if not path.is_file():
        raise AtlasMissing(f"{path} is missing: run 'make install' (it runs npm ci) to fetch the "
                           "world-atlas map data")
    return json.loads(path.read_text(encoding="utf-8"))


def _decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _rings(geometry: dict, arcs: list) -> list[list[tuple[float, float]]]:
    polygons = geometry.get("arcs", [])
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    elif geometry["type"] != "MultiPolygon":
        return []
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for index in ring:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc if not points else arc[1:])
            rings.append(points)
    return rings


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, 85.0), -85.0)
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def tour_map(stops: list[dict], atlas: Path = ATLAS) -> dict:
    """What templates/tour_map.html draws: the region's size, its countries' outlines (the
    tour's countries marked), and each numbered stop with the route through them."""
    topology = _atlas(atlas)
    arcs = _decoded_arcs(topology)
    lons = [s["lon"] for s in stops]
    lats = [s["lat"] for s in stops]
    west, east = min(lons) - 8, max(lons) + 8
    south, north = min(lats) - 8, max(lats) + 8
    x0, y_top = _mercator(west, north)
    x1, y_bottom = _mercator(east, south)
    scale = MAP_WIDTH / (x1 - x0)
    height = round((y_bottom - y_top) * scale)

    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = _mercator(lon, lat)
        return (x - x0) * scale, (y - y_top) * scale

    visited = {s["country"].atlas for s in stops}
    lands = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        d = _path(_rings(geometry, arcs), project, (west - 5, east + 5, south - 5, north + 5),
                  MAP_WIDTH, height)
        if d:
            name = geometry.get("properties", {}).get("name", "")
            lands.append({"d": d, "name": name, "visited": name in visited})
    points = [project(s["lon"], s["lat"]) for s in stops]
    markers = [{"number": i, "stop": stop, "x": round(x, 1), "y": round(y, 1),
                "moved": (x, y) != (px, py), "px": round(px, 1), "py": round(py, 1)}
               for i, (stop, (px, py), (x, y)) in enumerate(
                   zip(stops, points, _spread(points), strict=True), start=1)]
    return {"width": MAP_WIDTH, "height": height, "lands": lands, "markers": markers,
            "route": [(round(x, 1), round(y, 1)) for x, y in points]}


def _spread(points: list[tuple[float, float]], gap: float = 26.0) -> list[tuple[float, float]]:
    """Marker positions: each stop's own point, unless an earlier marker is within `gap`
    (Jerusalem and Ramallah are a few pixels apart); then moved down until it is clear."""
    placed: list[tuple[float, float]] = []
    for x, y in points:
        while any(math.dist((x, y), other) < gap for other in placed):
            y += gap
        placed.append((x, y))
    return placed


def _path(rings, project, box, width: float, height: float) -> str:
    """SVG path data for the rings that touch the box, clamped to just outside the view."""
    west, east, south, north = box
    parts = []
    for ring in rings:
        if not any(west <= lon <= east and south <= lat <= north for lon, lat in ring):
            continue
        kept: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            x = min(max(x, -20.0), width + 20.0)
            y = min(max(y, -20.0), height + 20.0)
            if kept and abs(x - kept[-1][0]) < 1.5 and abs(y - kept[-1][1]) < 1.5:
                continue  # closer than the eye can see at the map's width
            kept.append((x, y))
        if len(kept) >= 3:
            parts.append("M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in kept) + "Z")
    return "".join(parts)


AXIS_FROM = 1998  # milestones before this year sit left of a break in the axis


def timeline_svg(items: list[dict]) -> dict:
    """What templates/timeline_graphic.html draws: one dot per milestone along a line of years,
    stacked within a year, and the axis with its year labels.

    Most milestones are recent; older ones (1952) would squeeze the rest into a corner, so
    they are drawn left of a break in the axis, each labelled with its year."""
    if not items:
        return {"dots": []}
    years = [int(item["date"][:4]) for item in items]
    early = sorted({y for y in years if y < AXIS_FROM})
    first = max(min(years), AXIS_FROM) if early else min(years)
    last = max(years) + 1
    width, right, base = 800, 20, 150
    left = 20 + (70 if early else 0)
    span = (width - left - right) / (last - first)
    stacks: dict[int, int] = {}
    dots = []
    for item, year in zip(items, years, strict=True):
        month = int(item["date"][5:7]) if len(item["date"]) >= 7 else 6
        level = stacks.get(year, 0)
        stacks[year] = level + 1
        if year < first:
            x = 20 + early.index(year) * 28 + 8
        else:
            x = left + (year - first + (month - 0.5) / 12) * span
        dots.append({"x": round(x, 1), "y": base - 14 - level * 12, "item": item})
    step = 5 if last - first > 12 else 1
    ticks = [{"year": year, "x": round(left + (year - first) * span, 1)}
             for year in range(first - first % step, last + 1, step) if year >= first]
    early_ticks = [{"year": year, "x": 20 + i * 28 + 8} for i, year in enumerate(early)]
    top = min(base - 14 - (max(stacks.values()) - 1) * 12 - 10, 10)
    busiest = max(stacks, key=stacks.get)
    return {"dots": dots, "ticks": ticks, "early_ticks": early_ticks, "width": width,
            "left": left, "right": right, "base": base, "top": top, "height": base + 30 - top,
            "count": len(items), "first_year": min(years), "last_year": last - 1,
            "busiest": busiest, "busiest_count": stacks[busiest], "early": early,
            "axis_from": AXIS_FROM}
