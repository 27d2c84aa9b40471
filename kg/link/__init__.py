"""``kg link``: the store's firms linked to public registers (SEC, GLEIF, Wikidata).

Modules: ``names`` (normalisation), ``identifiers`` (checks), ``firms`` (the store's side),
``sources/*`` (the registers' file formats and endpoints), ``match`` (blocking, scoring,
decisions), ``linkset`` (RDF output with PROV-O, review file, explanations), ``pipeline``
(one run, source to result), ``synthetic`` and ``benchmark`` (scale measurements).
"""

from __future__ import annotations

__all__: list[str] = []
