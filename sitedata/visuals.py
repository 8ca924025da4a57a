"""Render stage, pictures: the tour map and the timeline, as inline SVG drawn at build time.

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

from markupsafe import Markup, escape

ATLAS = Path("node_modules/world-atlas/countries-110m.json")
ATLAS_NAMES = {"india": "India", "japan": "Japan", "china": "China", "israel": "Israel",
               "palestine": "Palestine", "qatar": "Qatar", "philippines": "Philippines"}
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


def tour_map(stops: list[dict], atlas: Path = ATLAS) -> Markup:
    """An SVG figure: the region, the tour's countries shaded, the route and numbered stops."""
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

    visited = {ATLAS_NAMES.get(s["country"]) for s in stops}
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        d = _path(_rings(geometry, arcs), project, (west - 5, east + 5, south - 5, north + 5),
                  MAP_WIDTH, height)
        if d:
            name = geometry.get("properties", {}).get("name", "")
            css = "ij-map__land ij-map__land--visited" if name in visited else "ij-map__land"
            paths.append(f'<path class="{css}" d="{d}"><title>{escape(name)}</title></path>')
    points = [project(s["lon"], s["lat"]) for s in stops]
    route = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    markers = "".join(
        (f'<line class="ij-map__leader" x1="{px:.1f}" y1="{py:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>'
         if (x, y) != (px, py) else "")
        + f'<g class="ij-map__stop"><circle cx="{x:.1f}" cy="{y:.1f}" r="11"/>'
        f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle">{i}</text></g>'
        for i, ((px, py), (x, y)) in enumerate(zip(points, _spread(points), strict=True),
                                               start=1))
    listing = "; ".join(f"{i}. {s['place']}, {s['country_name']} ({s['dates']})"
                        for i, s in enumerate(stops, start=1))
    svg = (f'<svg class="ij-map" viewBox="0 0 {MAP_WIDTH} {height}" role="img" '
           f'aria-labelledby="tour-map-title tour-map-desc" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="tour-map-title">Map of the minister\'s tour</title>'
           f'<desc id="tour-map-desc">{escape(listing)}</desc>'
           f'<rect class="ij-map__sea" width="{MAP_WIDTH}" height="{height}"/>'
           f'{"".join(paths)}<polyline class="ij-map__route" points="{route}"/>{markers}</svg>')
    caption = ("The tour's stops in order, on a Mercator map drawn from Natural Earth data; "
               "a marker moved off its place is joined to it by a line. The list below gives "
               "the same stops with dates and sources.")
    return Markup(f'<figure class="ij-figure">{svg}<figcaption>{escape(caption)}</figcaption>'
                  '</figure>')


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


def timeline_svg(items: list[dict]) -> Markup:
    """An SVG strip: one dot per milestone along a line of years, stacked within a year.

    Most milestones are recent; older ones (1952) would squeeze the rest into a corner, so
    they are drawn left of a break in the axis, each labelled with its year."""
    if not items:
        return Markup("")
    years = [int(item["date"][:4]) for item in items]
    early = sorted({y for y in years if y < AXIS_FROM})
    first = max(min(years), AXIS_FROM) if early else min(years)
    last = max(years) + 1
    width, right, base = 800, 20, 150
    left = 20 + (70 if early else 0)
    span = (width - left - right) / (last - first)
    stacks: dict[int, int] = {}
    dots = []
    for item in items:
        year = int(item["date"][:4])
        month = int(item["date"][5:7]) if len(item["date"]) >= 7 else 6
        level = stacks.get(year, 0)
        stacks[year] = level + 1
        if year < first:
            x = 20 + early.index(year) * 28 + 8
        else:
            x = left + (year - first + (month - 0.5) / 12) * span
        y = base - 14 - level * 12
        kind = "visit" if "visit" in item["tags"] else "quad" if "quad" in item["tags"] else "other"
        label = escape(f"{item['date']}: {item['title']}")
        dots.append(f'<circle class="ij-tl__dot ij-tl__dot--{kind}" cx="{x:.1f}" cy="{y:.1f}" '
                    f'r="5"><title>{label}</title></circle>')
    ticks = []
    for i, year in enumerate(early):
        x = 20 + i * 28 + 8
        ticks.append(f'<text class="ij-tl__year" x="{x:.1f}" y="{base + 22}" '
                     f'text-anchor="middle">{year}</text>')
    if early:
        ticks.append(f'<line class="ij-tl__axis" x1="20" y1="{base}" x2="{left - 22}" '
                     f'y2="{base}"/><path class="ij-tl__tick" d="M{left - 18} {base + 6}'
                     f'l6 -12 M{left - 10} {base + 6}l6 -12"/>')
    step = 5 if last - first > 12 else 1
    for year in range(first - first % step, last + 1, step):
        if year < first:
            continue
        x = left + (year - first) * span
        ticks.append(f'<line class="ij-tl__tick" x1="{x:.1f}" y1="{base}" x2="{x:.1f}" '
                     f'y2="{base + 6}"/><text class="ij-tl__year" x="{x:.1f}" y="{base + 22}" '
                     f'text-anchor="middle">{year}</text>')
    top = min(base - 14 - (max(stacks.values()) - 1) * 12 - 10, 10)
    height = base + 30 - top
    busiest = max(stacks, key=stacks.get)
    description = (f"{len(items)} milestones from {min(years)} to {last - 1}; the most in one "
                   f"year: {stacks[busiest]} ({busiest})."
                   + (f" Years before {AXIS_FROM} ({', '.join(map(str, early))}) are drawn left "
                      "of the break in the axis." if early else "")
                   + " The list below gives each milestone with its sources.")
    svg = (f'<svg class="ij-tl" viewBox="0 {top} {width} {height}" role="img" '
           f'aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="tl-title">Milestones of India–Japan relations by year</title>'
           f'<desc id="tl-desc">{escape(description)}</desc>'
           f'<line class="ij-tl__axis" x1="{left}" y1="{base}" x2="{width - right}" y2="{base}"/>'
           f'{"".join(ticks)}{"".join(dots)}</svg>')
    legend = ('<p class="ij-tl__legend"><span class="ij-tl__key ij-tl__key--visit"></span> '
              'visits and summits tagged visit <span class="ij-tl__key ij-tl__key--quad">'
              '</span> the Quad <span class="ij-tl__key ij-tl__key--other"></span> other '
              'milestones</p>')
    return Markup(f'<figure class="ij-figure">{svg}<figcaption>{escape(description)}'
                  f'</figcaption></figure>{legend}')
