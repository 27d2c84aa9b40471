"""`kg export` and `kg load`: stable bytes, files every RDF tool reads, a round trip."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.cli import main
from kg.core.iris import GRAPH_FLOWS, PREFIXES, article_iri
from kg.core.paths import ontology_dir, records_dir
from kg.store.embedded import Store
from kg.store.export import export_bytes, jsonld_context
from kg.store.formats import EXPORT_FORMATS, RdfFormat

RAPTOR = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.TRIG: "trig",
    RdfFormat.NQUADS: "nquads",
    RdfFormat.NTRIPLES: "ntriples",
}
RDFLIB = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.TRIG: "trig",
    RdfFormat.NQUADS: "nquads",
    RdfFormat.NTRIPLES: "nt",
    RdfFormat.JSONLD: "json-ld",
}
EXPORT_ALL = """
import sys
from pathlib import Path
from kg.build.dataset import build_dataset
from kg.store.export import export_to_file
from kg.store.formats import EXPORT_FORMATS
from kg.store.embedded import Store
out = Path(sys.argv[1])
build_dataset(records_dir=Path(sys.argv[2]), store_dir=out / "store", corpus_dir=Path(sys.argv[3]))
with Store.open(out / "store", read_only=True) as store:
    for fmt in EXPORT_FORMATS:
        export_to_file(store, out / ("export" + fmt.extension), fmt=fmt)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_store) -> Path:
    """The seed store (the real records built with the real texts in this process), exported in
    every format."""
    out = tmp_path_factory.mktemp("first")
    with Store.open(seed_store, read_only=True) as store:
        for fmt in EXPORT_FORMATS:
            (out / ("export" + fmt.extension)).write_bytes(export_bytes(store, fmt=fmt))
    return out


def store_quads(store_dir: Path) -> set[ox.Quad]:
    with Store.open(store_dir, read_only=True) as store:
        return set(store.quads())


def test_two_builds_in_two_processes_export_the_same_bytes(built, tmp_path, corpus_dir):
    subprocess.run(
        [sys.executable, "-c", EXPORT_ALL, str(tmp_path), str(records_dir()), str(corpus_dir)],
        check=True,
    )
    for fmt in EXPORT_FORMATS:
        name = "export" + fmt.extension
        first, second = (built / name).read_bytes(), (tmp_path / name).read_bytes()
        assert len(first) > 100_000
        assert first == second, f"{fmt.value} differs between builds"


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=lambda f: f.value)
def test_every_export_parses_with_pyoxigraph_and_rdflib_and_holds_the_dataset(
    built, seed_store, fmt
):
    path = built / ("export" + fmt.extension)
    quads = store_quads(seed_store)
    parsed = list(ox.parse(path=str(path), format=fmt.oxigraph))
    if fmt.has_graphs:
        assert set(parsed) == quads
    else:
        assert {q.triple for q in parsed} == {q.triple for q in quads}
    graphs = {q.graph_name for q in quads}
    if fmt.has_graphs:
        dataset = Dataset()
        dataset.parse(path, format=RDFLIB[fmt])
        named = [g for g in dataset.graphs() if str(g.identifier) in {g.value for g in graphs}]
        assert len(named) == len(graphs)
        assert sum(len(g) for g in named) == len(quads)
    else:
        graph = Graph()
        graph.parse(path, format=RDFLIB[fmt])
        assert len(graph) == len({q.triple for q in quads})


@pytest.mark.parametrize("fmt", list(RAPTOR), ids=lambda f: f.value)
def test_every_export_parses_with_raptor(built, seed_store, fmt):
    rapper = shutil.which("rapper")
    assert rapper, "Raptor's rapper is missing: install raptor2-utils (scripts/system-deps.sh)"
    path = built / ("export" + fmt.extension)
    result = subprocess.run(
        [rapper, "-i", RAPTOR[fmt], "-c", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    count = len(store_quads(seed_store))
    if not fmt.has_graphs:
        count = len({q.triple for q in store_quads(seed_store)})
    assert f"returned {count} triples" in result.stderr


def test_the_same_quads_loaded_in_another_order_export_the_same_bytes(built, tmp_path):
    """Exports follow the store's index order, not the load order: the seed's quads loaded
    backwards, one graph at a time and in reverse graph order, give every export byte for byte."""
    lines = (built / "export.nq").read_bytes().splitlines()
    assert len(lines) > 1000
    by_graph: dict[bytes, list[bytes]] = {}
    for line in reversed(lines):
        by_graph.setdefault(line[line.rindex(b" <") :], []).append(line)
    with Store.open(tmp_path / "store") as store:
        for graph in sorted(by_graph, reverse=True):
            data = b"\n".join(by_graph[graph]) + b"\n"  # parsed keeping blank node labels
            store.oxigraph.extend(ox.parse(input=data, format=ox.RdfFormat.N_QUADS))
        for fmt in EXPORT_FORMATS:
            again = export_bytes(store, fmt=fmt)
            assert again == (built / ("export" + fmt.extension)).read_bytes(), fmt.value


def test_turtle_uses_the_project_prefixes_and_states_each_triple_once(built):
    turtle = (built / "export.ttl").read_text(encoding="utf-8")
    for prefix in ("aikg", "firm", "oa", "prov", "dcterms"):
        assert f"@prefix {prefix}: <{PREFIXES[prefix]}> ." in turtle
    assert "firm:nvidia" in turtle
    triples = list(ox.parse(input=turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(set(triples))
    lines = (built / "export.nt").read_bytes().splitlines()
    assert len(lines) == len(set(lines)) == len(triples)


def test_a_triple_in_every_graph_of_a_large_store_is_written_once():
    """Regression: the union used to be one CONSTRUCT, which Oxigraph de-duplicates only within
    a bounded window; past about a million triples a triple stated in many graphs (the reviewer
    agent of every article graph) came out more than once."""
    shared = b"<urn:x:reviewer> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:Agent>"
    lines = []
    for g in range(200):
        graph = b"<urn:x:graph-%d>" % g
        lines.append(shared + b" " + graph + b" .")
        lines += [b'<urn:x:s%d-%d> <urn:x:v> "%d" %s .' % (g, i, i, graph) for i in range(6000)]
    store = Store.in_memory()
    store.oxigraph.bulk_load(input=b"\n".join(lines), format=ox.RdfFormat.N_QUADS)
    ntriples = export_bytes(store, fmt=RdfFormat.NTRIPLES).splitlines()
    assert len(ntriples) == len(set(ntriples)) == 200 * 6000 + 1
    assert ntriples == sorted(ntriples)
    turtle = export_bytes(store, fmt=RdfFormat.TURTLE)
    assert turtle.count(b"<urn:x:reviewer>") == 1
    assert sum(1 for _ in ox.parse(input=turtle, format=ox.RdfFormat.TURTLE)) == len(ntriples)


def test_jsonld_inlines_the_published_context(built):
    document = json.loads((built / "export.jsonld").read_text(encoding="utf-8"))
    published = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == published["@context"] == jsonld_context()
    ids = [g["@id"] for g in document["@graph"]]
    assert ids == sorted(ids) and "article:tradingkey-2025-09-nvidia-openai" in ids


def test_published_context_maps_every_project_prefix():
    context = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))[
        "@context"
    ]
    assert {k: v for k, v in context.items() if k in PREFIXES} == PREFIXES


# -- the CLI -------------------------------------------------------------------------------------
def test_export_format_from_extension_flag_and_stdout(built, seed_store, tmp_path, capsysbinary):
    store = str(seed_store)
    assert main(["export", "--store", store, "-o", str(tmp_path / "a.nq")]) == 0
    assert (tmp_path / "a.nq").read_bytes() == (built / "export.nq").read_bytes()
    assert (
        main(["export", "--store", store, "--format", "trig", "-o", str(tmp_path / "b.txt")]) == 0
    )
    assert (tmp_path / "b.txt").read_bytes() == (built / "export.trig").read_bytes()
    capsysbinary.readouterr()
    assert main(["export", "--store", store, "--format", "ntriples"]) == 0
    assert capsysbinary.readouterr().out == (built / "export.nt").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nq", "b.txt"]  # no temp files


def test_export_errors_exit_2(seed_store, tmp_path, capsys):
    assert main(["export", "--store", str(seed_store), "-o", str(tmp_path / "x.docx")]) == 2
    assert "x.docx" in capsys.readouterr().err
    assert main(["export", "--store", str(tmp_path / "nothing"), "--format", "turtle"]) == 2
    assert "kg build" in capsys.readouterr().err


def test_load_a_stripped_export_into_a_fresh_store(built, tmp_path, capsys):
    keep = article_iri("tradingkey-2025-09-nvidia-openai")
    lines = (built / "export.nq").read_text(encoding="utf-8").splitlines()
    stripped = [line for line in lines if line.endswith(f"<{keep}> .")]
    assert 0 < len(stripped) < len(lines)
    (tmp_path / "one.nq").write_text("\n".join(stripped) + "\n", encoding="utf-8")
    turtle = tmp_path / "extra.ttl"
    turtle.write_text(
        "@prefix firm: <https://w3id.org/aikg/id/firm/> .\n"
        'firm:nvidia <http://www.w3.org/2000/01/rdf-schema#comment> "loaded" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert main(["load", str(tmp_path / "one.nq"), str(turtle), "--store", str(store)]) == 0
    with Store.open(store, read_only=True) as opened:
        file_graph = URIRef(turtle.resolve().as_uri())
        # and the money flows kg load derives from the article's deals
        assert opened.graph_names() == sorted([keep, file_graph, GRAPH_FLOWS])
        assert opened.count(keep) == len(stripped)
        assert opened.count(file_graph) == 1
    assert (
        main(["load", str(turtle), "--graph", "https://example.org/g", "--store", str(store)]) == 0
    )
    with Store.open(store, read_only=True) as opened:
        assert opened.count(URIRef("https://example.org/g")) == 1


def test_load_a_broken_file_exits_2_with_file_and_line_and_changes_nothing(tmp_path, capsys):
    good = tmp_path / "good.ttl"
    good.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\n\nex:a ex:b "unterminated .\n')
    store = tmp_path / "store"
    assert main(["load", str(good), str(bad), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3: " in err
    assert not store.exists()  # every file is parsed before the store is opened


def test_export_format_takes_short_names_and_extensions(built, seed_store, capsysbinary):
    """The README lists .ttl .nq .nt: ``--format ttl`` (or ``nq``, ``.nt``) is that format."""
    store = str(seed_store)
    for name, expected in (("ttl", "export.ttl"), ("nq", "export.nq"), (".nt", "export.nt")):
        capsysbinary.readouterr()
        assert main(["export", "--store", store, "--format", name]) == 0
        assert capsysbinary.readouterr().out == (built / expected).read_bytes(), name


@pytest.mark.parametrize("name", ["rdfxml", "docx"])
def test_export_refuses_a_format_it_cannot_write(seed_store, capsys, name):
    with pytest.raises(SystemExit) as stopped:
        main(["export", "--store", str(seed_store), "--format", name])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert name in err and "ttl" in err and "Traceback" not in err
