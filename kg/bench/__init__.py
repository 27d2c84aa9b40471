"""`kg bench`: aikg's way against the plain rdflib + pyshacl way on one synthetic corpus.

``synthetic`` makes the corpus, ``workload`` what both sides work on, ``ours`` and
``baseline`` the two sides, ``extras`` the extraction and linking figures, ``harness`` runs each
side in its own process and measures its peak memory, ``report`` combines the results.
"""

__all__: list[str] = []
