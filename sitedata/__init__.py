"""The data layer of the India–Japan explainer: YAML under data/ in, a validated site model out.

Stages, one module each: `loader` (YAML to located values), `vocabulary`, `schema` and `rules`
(validate), `enrich` (derived fields), `render`, `views` and `visuals` (HTML fragments for pages,
through templates), `export` (JSON API and feeds). `pipeline.load_site` runs load, validate and
enrich; `cli` runs them without MkDocs. Nothing here imports MkDocs.
"""

from .pipeline import build_date, load_site, validate
from .problems import DataError, Problem, Report

__all__ = ["DataError", "Problem", "Report", "build_date", "load_site", "validate"]
