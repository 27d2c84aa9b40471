"""The reference individuals in ``ontology/reference/*.ttl``: firms, people, chips, places ...

Checked against the term sheet (``docs/model.md``), the public identifier formats (ISO 17442
LEI check digits, 10-digit SEC CIKs, Wikidata QIDs, ISO 10383 MICs), the checked identifier
table, and the names the two source articles use for the individuals they mention.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT / "ontology" / "reference"
MODEL_MD = ROOT / "docs" / "model.md"

AIKG = Namespace("https://w3id.org/aikg/ontology#")
ID = "https://w3id.org/aikg/id/"
WD = "http://www.wikidata.org/entity/"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QID_IRI = re.compile(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*")
LEI_FORM = re.compile(r"[A-Z0-9]{18}[0-9]{2}")
#: operating MICs (ISO 10383) of the exchanges the listings name
MICS = {
    "XNAS", "XNYS", "XTKS", "XTAI", "ROCO", "XKRX", "XHKG", "XSHG", "XSHE", "XAMS", "XPAR", "XETR",
    "XLON", "XHEL", "XSWX",
}  # fmt: skip

FIRM_CLASSES = {AIKG.Firm, AIKG.FinancialInstitution, AIKG.Publisher}
CHIP_CLASSES = {
    AIKG.Chip,
    AIKG.GPU,
    AIKG.TPU,
    AIKG.CustomASIC,
    AIKG.WaferScaleProcessor,
    AIKG.InferenceAccelerator,
    AIKG.CPU,
    AIKG.MemoryChip,
}
DEFINED_CLASSES = {AIKG.AILab, AIKG.ChipVendor, AIKG.CloudProvider}
#: the kind of each IRI path segment -> the classes its individuals may be asserted to have
KIND_CLASSES = {
    "firm": FIRM_CLASSES,
    "person": {AIKG.Person},
    "country": {AIKG.Country},
    "region": {AIKG.Region},
    "chip": CHIP_CLASSES,
    "architecture": {AIKG.ChipArchitecture},
    "datacenter": {AIKG.Datacenter, AIKG.DatacenterProject, AIKG.DatacenterSite},
    "model": {AIKG.AIModel},
    "event": {AIKG.Event},
    "agency": {AIKG.GovernmentAgency},
    "listing": {AIKG.Listing},
    "market": {AIKG.Market},
    "index": {AIKG.MarketIndex},
}
#: kinds whose individuals carry exactly one rdfs:label in English and in Traditional Chinese
LABELLED_KINDS = set(KIND_CLASSES) - {"listing"}

# The checked identifier table (identifiers.md), confirmed and secondary values only.
# firm slug -> (LEI, CIK, Wikidata QID, {listing slug: (symbol, MIC)})
IDENTIFIERS: dict[str, tuple[str | None, str | None, str | None, dict[str, tuple[str, str]]]] = {
    "nvidia": (
        "549300S4KLFTLO7GSQ80",
        "0001045810",
        "Q182477",
        {"xnas-nvda": ("NVDA", "XNAS")},
    ),
    "openai": (None, None, "Q21708200", {}),
    "oracle": (
        "1Z4GXXU7ZHVWFCD8TV52",
        "0001341439",
        "Q19900",
        {"xnys-orcl": ("ORCL", "XNYS")},
    ),
    "microsoft": (
        "INR2EJN1ERAN0W5ZP974",
        "0000789019",
        "Q2283",
        {"xnas-msft": ("MSFT", "XNAS")},
    ),
    "broadcom": ("549300WV6GIDOZJTV909", "0001730168", None, {"xnas-avgo": ("AVGO", "XNAS")}),
    "softbank": (None, None, "Q201653", {"xtks-9984": ("9984", "XTKS")}),
    "amazon": ("ZXTILKJKG63JELOEG630", "0001018724", "Q3884", {"xnas-amzn": ("AMZN", "XNAS")}),
    "alphabet": (
        "5493006MHB84DD0ZWV18",
        "0001652044",
        "Q20800404",
        {"xnas-googl": ("GOOGL", "XNAS"), "xnas-goog": ("GOOG", "XNAS")},
    ),
    "google": (None, None, "Q95", {}),
    "anthropic": (None, None, "Q116758847", {}),
    "meta": ("BQ4BKCS1HXDV9HN80Z93", "0001326801", "Q380", {"xnas-meta": ("META", "XNAS")}),
    "amd": ("R2I72C950HOYXII45366", "0000002488", None, {"xnas-amd": ("AMD", "XNAS")}),
    "intel": ("KNX4USFCNGPY45LOCE31", "0000050863", "Q248", {"xnas-intc": ("INTC", "XNAS")}),
    "coreweave": (None, "0001769628", None, {"xnas-crwv": ("CRWV", "XNAS")}),
    "tsmc": (
        "549300KB6NK5SBD14S87",
        "0001046179",
        "Q713418",
        {"xnys-tsm": ("TSM", "XNYS"), "xtai-2330": ("2330", "XTAI")},
    ),
    "blue-owl": (None, "0001823945", None, {"xnys-owl": ("OWL", "XNYS")}),
    "morgan-stanley": ("IGJSJL3JD5P30I6NJZ34", "0000895421", None, {"xnys-ms": ("MS", "XNYS")}),
    "micron": ("B3DXGBC8GAIYWI2Z0172", "0000723125", None, {"xnas-mu": ("MU", "XNAS")}),
    "samsung-electronics": (
        "9884007ER46L6N7EI764",
        None,
        None,
        {"xkrx-005930": ("005930", "XKRX")},
    ),
}
#: QIDs the table marks "probable" (and the CIK of the wrong Blue Owl): never to be used
REJECTED_VALUES = {WD + "Q555925", WD + "Q128896", WD + "Q20718", "0001655888", "1655888"}

# Names the two source articles use for individuals they mention -> the individual they name.
ARTICLE_NAMES: dict[str, str] = {
    "NVIDIA": "firm/nvidia",
    "輝達": "firm/nvidia",
    "OpenAI": "firm/openai",
    "Oracle": "firm/oracle",
    "甲骨文": "firm/oracle",
    "Microsoft": "firm/microsoft",
    "微軟": "firm/microsoft",
    "軟銀": "firm/softbank",
    "Broadcom": "firm/broadcom",
    "博通": "firm/broadcom",
    "Google": "firm/google",
    "Anthropic": "firm/anthropic",
    "Meta": "firm/meta",
    "Mistral": "firm/mistral-ai",
    "Cisco": "firm/cisco",
    "Lucent": "firm/lucent",
    "Seaport Global Securities": "firm/seaport-global-securities",
    "Amazon": "firm/amazon",
    "亞馬遜": "firm/amazon",
    "AWS": "firm/aws",
    "Cerebras": "firm/cerebras",
    "Groq": "firm/groq",
    "Blue Owl": "firm/blue-owl",
    "摩根士丹利": "firm/morgan-stanley",
    "AMD": "firm/amd",
    "CoreWeave": "firm/coreweave",
    "英特爾": "firm/intel",
    "TSMC": "firm/tsmc",
    "TradingKey": "firm/tradingkey",
    "TradingView": "firm/tradingview",
    "Yahoo新聞": "firm/yahoo-news",
    "彭博社": "firm/bloomberg",
    "路透社": "firm/reuters",
    "黃仁勳": "person/jensen-huang",
    "Sam Altman": "person/sam-altman",
    "Jay Goldberg": "person/jay-goldberg",
    "Vera Rubin": "architecture/vera-rubin",
    "Rubin": "architecture/vera-rubin",
    "Blackwell": "architecture/blackwell",
    "H200": "chip/h200",
    "Trainium": "chip/trainium",
    "Amazon Trainium": "chip/trainium",
    "TPU": "chip/tpu",
    "Google TPU": "chip/tpu",
    "HBM": "chip/hbm",
    "ChatGPT": "model/chatgpt",
    "Gemini": "model/gemini",
    "Claude": "model/claude",
    "Stargate": "datacenter/stargate",
    "美國": "country/us",
    "中國": "country/cn",
    "臺灣": "country/tw",
    "密西根州": "region/michigan",
    "SEC": "agency/sec",
    "特朗普政府": "agency/us-government",
    "GTC": "event/gtc-2026",
    "GTC大會": "event/gtc-2026",
}

#: firms any analyst of the AI-infrastructure economy expects to find
EXPECTED_FIRMS = {
    "nvidia", "openai", "oracle", "microsoft", "broadcom", "softbank", "amazon", "aws",
    "alphabet", "google", "anthropic", "meta", "amd", "intel", "tsmc", "micron", "sk-hynix",
    "samsung-electronics", "coreweave", "cerebras", "groq", "arm", "supermicro", "xai",
    "blue-owl", "morgan-stanley", "seaport-global-securities", "dell", "hpe", "nebius",
    "lambda", "crusoe", "mgx", "foxconn", "qualcomm", "marvell", "goldman-sachs", "jpmorgan",
    "bloomberg", "tradingkey", "yahoo-news", "reuters",
}  # fmt: skip


def ref(kind_slug: str) -> URIRef:
    return URIRef(ID + kind_slug)


def kind_of(node: URIRef) -> str:
    return str(node)[len(ID) :].split("/", 1)[0]


def model_terms() -> set[str]:
    """Every ``aikg:`` local name written in backticks on the term sheet."""
    text = MODEL_MD.read_text(encoding="utf-8")
    return {
        name for span in re.findall(r"`([^`]+)`", text) for name in re.findall(r"aikg:(\w+)", span)
    }


def model_kinds() -> set[str]:
    """The individual kinds (IRI path segments) the term sheet lists."""
    text = MODEL_MD.read_text(encoding="utf-8")
    paragraph = text.split("Individual kinds", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z]+)`", paragraph))


@pytest.fixture(scope="module")
def graph() -> Graph:
    files = sorted(REFERENCE_DIR.glob("*.ttl"))
    assert files, "no reference data"
    merged = Graph()
    for path in files:
        merged.parse(path, format="turtle")
    return merged


@pytest.fixture(scope="module")
def individuals(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Every typed individual of the reference data -> its asserted classes."""
    typed: dict[URIRef, set[URIRef]] = defaultdict(set)
    for subject, cls in graph.subject_objects(RDF.type):
        assert isinstance(subject, URIRef), f"blank node typed {cls}"
        assert isinstance(cls, URIRef)
        typed[subject].add(cls)
    return typed


@pytest.fixture(scope="module")
def names(graph: Graph) -> dict[str, set[URIRef]]:
    """The lexical form of every rdfs:label and skos:altLabel -> the individuals carrying it."""
    index: dict[str, set[URIRef]] = defaultdict(set)
    for prop in (RDFS.label, SKOS.altLabel):
        for subject, label in graph.subject_objects(prop):
            if kind_of(subject) != "listing":
                index[str(label)].add(subject)
    return index


@pytest.mark.parametrize("path", sorted(REFERENCE_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_each_file_parses_on_its_own(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


def test_expected_files_present() -> None:
    present = {p.name for p in REFERENCE_DIR.glob("*.ttl")}
    expected = {
        "firms.ttl", "people.ttl", "chips.ttl", "datacenters.ttl", "places.ttl", "models.ttl",
        "events.ttl", "agencies.ttl", "publishers.ttl", "listings.ttl", "firms-semiconductors.ttl",
        "firms-hardware.ttl", "firms-infrastructure.ttl", "firms-finance.ttl",
    }  # fmt: skip
    assert expected <= present


def test_no_blank_nodes(graph: Graph) -> None:
    assert not [t for t in graph if any(isinstance(n, BNode) for n in t)]


def test_iris_have_known_kinds_and_slugs(graph: Graph, individuals) -> None:
    kinds = model_kinds()
    assert {"firm", "chip", "listing", "agency"} <= kinds  # the term sheet was read
    nodes = {n for t in graph for n in t if isinstance(n, URIRef) and str(n).startswith(ID)}
    for node in nodes:
        kind, _, slug = str(node)[len(ID) :].partition("/")
        assert kind in kinds and kind in KIND_CLASSES, node
        assert SLUG.fullmatch(slug), node
        # nothing is referred to that the reference data does not describe
        assert node in individuals, f"{node} is used but never typed"


def test_asserted_classes_fit_the_kind(individuals) -> None:
    for node, classes in individuals.items():
        allowed = KIND_CLASSES[kind_of(node)]
        assert classes <= allowed, (node, classes - allowed)


def test_defined_classes_are_never_asserted(graph: Graph) -> None:
    assert not set(graph.objects(None, RDF.type)) & DEFINED_CLASSES


def test_every_aikg_term_is_on_the_term_sheet(graph: Graph) -> None:
    known = model_terms()
    assert {"Firm", "lei", "ticker", "subsidiaryOf", "Listing"} <= known
    used = {
        str(n)[len(AIKG) :]
        for t in graph
        for n in t
        if isinstance(n, URIRef) and str(n).startswith(str(AIKG))
    }
    assert used - known == set()


def test_at_least_forty_firms_with_bilingual_labels(graph: Graph, individuals) -> None:
    firms = [n for n, classes in individuals.items() if classes & FIRM_CLASSES]
    assert len(firms) >= 45
    for firm in firms:
        langs = {label.language for label in graph.objects(firm, RDFS.label)}
        assert {"en", "zh-Hant"} <= langs, firm
    assert {ref(f"firm/{slug}") for slug in EXPECTED_FIRMS} <= set(firms)


def test_labels_one_per_language_and_altlabels_tagged(graph: Graph, individuals) -> None:
    for node in individuals:
        if kind_of(node) not in LABELLED_KINDS:
            continue
        labels = list(graph.objects(node, RDFS.label))
        languages = [label.language for label in labels]
        assert sorted(languages) == sorted(set(languages)), (node, languages)
        assert {"en", "zh-Hant"} <= set(languages), node
        for alt in graph.objects(node, SKOS.altLabel):
            assert isinstance(alt, Literal) and alt.language in {"en", "zh-Hant", "zh-Hans"}
            # an alternative label never repeats the preferred label in the same language
            assert alt not in labels, (node, alt)


def test_labels_unique_per_language_within_a_class(graph: Graph, individuals) -> None:
    by_class: dict[tuple[URIRef, str, str | None], set[URIRef]] = defaultdict(set)
    for node, classes in individuals.items():
        for cls in classes:
            for prop in (RDFS.label, SKOS.altLabel):
                for label in graph.objects(node, prop):
                    by_class[(cls, str(label), label.language)].add(node)
    clashes = {key: nodes for key, nodes in by_class.items() if len(nodes) > 1}
    assert clashes == {}


def test_names_in_the_articles_name_exactly_one_individual(names, corpus_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("0*.txt"))]
    assert len(texts) == 2
    for name, expected in ARTICLE_NAMES.items():
        assert any(name in text for text in texts), f"{name!r} is not in the articles"
        assert names.get(name) == {ref(expected)}, (name, names.get(name))


def test_zh_hans_forms_of_the_main_firms(graph: Graph) -> None:
    expected = {
        "nvidia": "英伟达",
        "microsoft": "微软",
        "amazon": "亚马逊",
        "softbank": "软银",
        "intel": "英特尔",
        "tsmc": "台积电",
        "google": "谷歌",
    }
    for slug, name in expected.items():
        assert Literal(name, lang="zh-Hans") in set(
            graph.objects(ref(f"firm/{slug}"), SKOS.altLabel)
        ), slug


def _lei_checksum_ok(lei: str) -> bool:
    digits = "".join(str(int(c, 36)) for c in lei)
    return int(digits) % 97 == 1


@pytest.mark.parametrize(
    ("lei", "ok"),
    [
        ("549300S4KLFTLO7GSQ80", True),
        ("549300S4KLFTLO7GSQ81", False),
        ("5493006MHB84DD0ZWV18", True),
    ],
)
def test_lei_checksum_rule(lei: str, ok: bool) -> None:
    assert _lei_checksum_ok(lei) is ok


def test_identifier_forms(graph: Graph) -> None:
    leis = list(graph.objects(None, AIKG.lei))
    ciks = list(graph.objects(None, AIKG.cik))
    qids = list(graph.objects(None, SKOS.exactMatch))
    assert leis and ciks and qids
    for lei in leis:
        assert LEI_FORM.fullmatch(str(lei)) and _lei_checksum_ok(str(lei)), lei
    for cik in ciks:
        assert re.fullmatch(r"[0-9]{10}", str(cik)), cik
    for qid in qids:
        assert isinstance(qid, URIRef) and QID_IRI.fullmatch(str(qid)), qid
    used = {str(o) for o in graph.objects()}
    assert not used & REJECTED_VALUES


def test_identifiers_equal_the_checked_table(graph: Graph) -> None:
    for slug, (lei, cik, qid, listings) in IDENTIFIERS.items():
        firm = ref(f"firm/{slug}")
        assert {str(v) for v in graph.objects(firm, AIKG.lei)} == ({lei} if lei else set()), slug
        assert {str(v) for v in graph.objects(firm, AIKG.cik)} == ({cik} if cik else set()), slug
        wikidata = {str(v) for v in graph.objects(firm, SKOS.exactMatch)}
        assert wikidata == ({WD + qid} if qid else set()), slug
        tickers = set(graph.objects(firm, AIKG.ticker))
        assert tickers == {ref(f"listing/{key}") for key in listings}, slug
        for key, (symbol, mic) in listings.items():
            node = ref(f"listing/{key}")
            assert list(graph.objects(node, AIKG.symbol)) == [Literal(symbol)]
            assert list(graph.objects(node, AIKG.mic)) == [Literal(mic)]
    # identifiers are firms' own: no two firms share an LEI, a CIK, a Wikidata item or a listing
    for prop in (AIKG.lei, AIKG.cik, AIKG.ticker, SKOS.exactMatch):
        holders: dict[str, set[URIRef]] = defaultdict(set)
        for subject, value in graph.subject_objects(prop):
            assert kind_of(subject) == "firm", (subject, prop)
            holders[str(value)].add(subject)
        assert {value: firms for value, firms in holders.items() if len(firms) > 1} == {}, prop


def test_blue_owl_is_the_asset_manager(graph: Graph) -> None:
    blue_owl = ref("firm/blue-owl")
    assert list(graph.objects(blue_owl, AIKG.cik)) == [Literal("0001823945")]
    assert (blue_owl, RDF.type, AIKG.FinancialInstitution) in graph


def test_listings_are_named_by_mic_and_symbol(graph: Graph) -> None:
    listings = set(graph.subjects(RDF.type, AIKG.Listing))
    assert listings == set(graph.objects(None, AIKG.ticker))
    for node in listings:
        (symbol,) = graph.objects(node, AIKG.symbol)
        (mic,) = graph.objects(node, AIKG.mic)
        assert str(mic) in MICS
        assert node == ref(f"listing/{mic}-{symbol}".lower())


def test_structure_of_firms_chips_and_places(graph: Graph, individuals) -> None:
    def typed(node: URIRef, classes: set[URIRef]) -> bool:
        return bool(individuals.get(node, set()) & classes)

    for prop, domain, rng in [
        (AIKG.subsidiaryOf, FIRM_CLASSES, FIRM_CLASSES),
        (AIKG.headquarteredIn, FIRM_CLASSES, {AIKG.Country}),
        (AIKG.designedBy, CHIP_CLASSES, FIRM_CLASSES),
        (AIKG.manufacturedBy, CHIP_CLASSES, FIRM_CLASSES),
        (AIKG.architecture, CHIP_CLASSES, {AIKG.ChipArchitecture}),
        (AIKG.successorOf, {AIKG.ChipArchitecture}, {AIKG.ChipArchitecture}),
        (AIKG.partOfProject, {AIKG.DatacenterSite}, {AIKG.DatacenterProject}),
        (
            AIKG.locatedIn,
            KIND_CLASSES["datacenter"] | {AIKG.Region, AIKG.Event},
            {AIKG.Country, AIKG.Region},
        ),
        (AIKG.ceoOf, {AIKG.Person}, FIRM_CLASSES),
        (AIKG.founderOf, {AIKG.Person}, FIRM_CLASSES),
        (AIKG.affiliatedWith, {AIKG.Person}, FIRM_CLASSES),
    ]:
        pairs = list(graph.subject_objects(prop))
        assert pairs, prop
        for subject, obj in pairs:
            assert typed(subject, domain) and typed(obj, rng), (prop, subject, obj)
    # every chip but a memory standard (HBM, made by several firms) names its designer
    for chip in (
        n for n, classes in individuals.items() if classes & (CHIP_CLASSES - {AIKG.MemoryChip})
    ):
        assert list(graph.objects(chip, AIKG.designedBy)), chip
    assert (ref("firm/google"), AIKG.subsidiaryOf, ref("firm/alphabet")) in graph
    assert (ref("firm/aws"), AIKG.subsidiaryOf, ref("firm/amazon")) in graph
    assert (ref("person/jensen-huang"), AIKG.ceoOf, ref("firm/nvidia")) in graph
    assert (ref("chip/h200"), AIKG.architecture, ref("architecture/hopper")) in graph
    assert (
        ref("architecture/vera-rubin"),
        AIKG.successorOf,
        ref("architecture/blackwell"),
    ) in graph
    assert (
        ref("datacenter/stargate-abilene"),
        AIKG.partOfProject,
        ref("datacenter/stargate"),
    ) in graph
    assert (ref("datacenter/stargate-michigan"), AIKG.locatedIn, ref("region/michigan")) in graph
    for region in graph.subjects(RDF.type, AIKG.Region):
        assert any(AIKG.Country in individuals[c] for c in graph.objects(region, AIKG.locatedIn))
    # every Country individual is an ISO 3166-1 alpha-2 code
    for country in graph.subjects(RDF.type, AIKG.Country):
        assert re.fullmatch(r"[a-z]{2}", str(country)[len(ID + "country/") :]), country


def test_ai_labs_develop_models(graph: Graph, individuals) -> None:
    for slug in ("openai", "anthropic", "google", "meta", "xai"):
        developed = set(graph.objects(ref(f"firm/{slug}"), AIKG.develops))
        assert any(AIKG.AIModel in individuals.get(m, set()) for m in developed), slug


def test_terms_are_declared_by_the_ontology(graph: Graph) -> None:
    modules = [p for p in (ROOT / "ontology").rglob("*.ttl") if REFERENCE_DIR not in p.parents]
    assert modules, "the ontology modules are missing"
    ontology = Graph()
    for path in modules:
        ontology.parse(path, format="turtle")
    declared = {
        s
        for kind in (
            OWL.Class,
            RDFS.Class,
            OWL.ObjectProperty,
            OWL.DatatypeProperty,
            OWL.AnnotationProperty,
            RDF.Property,
        )
        for s in ontology.subjects(RDF.type, kind)
    }
    used = {n for t in graph for n in t if isinstance(n, URIRef) and str(n).startswith(str(AIKG))}
    assert used - declared == set()


#: names the Chinese-language press gives firms of the field -> the firm, one per sector at least
CHINESE_PRESS_NAMES = {
    "鴻海": "foxconn", "富士康": "foxconn", "廣達": "quanta", "緯創": "wistron",
    "緯穎": "wiwynn", "英業達": "inventec", "神達": "mitac", "技嘉": "gigabyte", "華碩": "asus",
    "台達電": "delta-electronics", "奇鋐": "avc", "南亞科": "nanya-technology",
    "聯發科": "mediatek", "日月光投控": "ase", "諾基亞": "nokia", "诺基亚": "nokia",
    "艾司摩爾": "asml", "阿斯麦": "asml", "SK海力士": "sk-hynix",
    "三星電子": "samsung-electronics", "軟銀": "softbank", "软银": "softbank",
    "甲骨文": "oracle", "英伟达": "nvidia", "安晟培": "ampere-computing",
    "寒武紀": "cambricon", "中芯國際": "smic", "長鑫存儲": "cxmt", "鎧俠": "kioxia",
    "浪潮信息": "inspur", "月之暗面": "moonshot-ai", "智譜": "zhipu", "百度": "baidu",
    "黑石": "blackstone", "貝萊德": "blackrock", "高盛": "goldman-sachs",
    "三菱日聯金融集團": "mufg", "淡馬錫": "temasek", "穆巴達拉": "mubadala",
    "施耐德電機": "schneider-electric", "維諦": "vertiv", "星座能源": "constellation-energy",
    "三星SDS": "samsung-sds", "SK電訊": "sk-telecom",
}  # fmt: skip

#: ordinary words that no name may be, in either language (compared folded): each would be read
#: as a firm wherever the word is used, so a firm whose short name is one goes by its distinctive
#: forms only (docs/model.md, "Names and aliases")
ORDINARY_WORDS = {
    "on", "so", "be", "net", "now", "key", "all", "flex", "lite", "stack", "aligned",
    "together", "scale", "bloom", "constellation", "southern", "delta", "reliance", "carrier",
    "switch", "cantor", "crm", "smr", "asx", "tel", "db", "cg", "eric", "moonshot",
    "microchip", "apollo", "fermi", "浪潮", "聯想", "台達", "美國銀行", "美國電力", "中投",
    "力成", "南電", "華城", "新思", "富國", "標普", "相干", "大馬", "國會", "經濟部", "創意",
    "高塔",
}  # fmt: skip


def test_the_field_is_covered(individuals, names, graph: Graph) -> None:
    firms = [n for n, classes in individuals.items() if classes & FIRM_CLASSES]
    assert 300 <= len(firms) <= 450
    funds = [n for n, classes in individuals.items() if AIKG.FinancialInstitution in classes]
    assert len(funds) >= 50
    for name, slug in CHINESE_PRESS_NAMES.items():
        assert names.get(name) == {ref(f"firm/{slug}")}, name
    # most firms have a Simplified Chinese name of their own besides the Taiwanese one
    simplified = {s for s, o in graph.subject_objects(SKOS.altLabel) if o.language == "zh-Hans"}
    assert len(simplified & set(firms)) >= len(firms) // 2


def test_no_name_is_an_ordinary_word(graph: Graph) -> None:
    from kg.core.scripts import fold

    names = {str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(None, p)}
    names |= {str(o) for o in graph.objects(None, AIKG.symbol)}
    assert {fold(word) for word in ORDINARY_WORDS} & {fold(name) for name in names} == set()
