"""The data layer of the India–Japan explainer: YAML under data/ in, a validated site model out.

Stages, one module each: `loader` (YAML to located values), `schema` and `rules` (validate),
`enrich` (derived fields), `render` and `views` (HTML fragments for pages), `export` (JSON API
and feeds). `site.load_site` runs load, validate and enrich; `cli` runs them without MkDocs.
"""

from .problems import DataError, Problem, Report
from .site import build_date, load_site, validate

__all__ = ["DataError", "Problem", "Report", "build_date", "load_site", "validate"]
