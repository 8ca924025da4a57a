"""MkDocs hooks (mkdocs.yml's `hooks:`): the pages that the data adds to those in docs/.

A list too long for one page goes on over further pages (sitedata.registry.pages), as many as
the data needs, so they cannot be files in docs/. macros.py makes their Markdown when the data
is loaded (on_config) and hands it over in the build's configuration; here each becomes a page
of the build, one that is not in the navigation (its first page is) and has no "edit this page"
link (its Markdown is made by the build: the page links to the data to edit instead). The
macros plugin cannot add files, hence this second file of glue, with no logic of its own.
"""

from __future__ import annotations

import importlib

GENERATED = "_sitedata_pages"  # macros.GENERATED


def on_files(files, config):
    engine = type(config).__module__.split(".")[0]  # "mkdocs", or a fork such as ProperDocs
    structure = importlib.import_module(f"{engine}.structure.files")
    for src_uri, markdown in config.get(GENERATED, {}).items():
        files.append(structure.File.generated(
            config, src_uri, content=markdown, inclusion=structure.InclusionLevel.NOT_IN_NAV))
    return files
