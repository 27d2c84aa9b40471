"""The terms of the aikg ontology as an rdflib namespace.

Generated from ``ontology/`` by ``python -m kg.core.codegen``: do not edit by hand. A misspelt term
is an error:

>>> AIKG.Firm
rdflib.term.URIRef('https://w3id.org/aikg/ontology#Firm')
>>> AIKG.Frim
Traceback (most recent call last):
...
AttributeError: term 'Frim' not in namespace 'https://w3id.org/aikg/ontology#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["AIKG"]


class AIKG(DefinedNamespace):
    """The aikg ontology, ``https://w3id.org/aikg/ontology#``."""

    _fail = True
    _NS = Namespace("https://w3id.org/aikg/ontology#")

    # classes
    AILab: URIRef  # AI lab
    AIModel: URIRef  # AI model
    Agent: URIRef  # agent
    Article: URIRef  # article
    Bound: URIRef  # bound
    CPU: URIRef  # CPU
    Chip: URIRef  # chip
    ChipArchitecture: URIRef  # chip architecture
    ChipVendor: URIRef  # chip vendor
    Claim: URIRef  # claim
    ClaimKind: URIRef  # claim kind
    CloudProvider: URIRef  # cloud provider
    ComputeContract: URIRef  # compute contract
    Condition: URIRef  # condition
    ConditionKind: URIRef  # condition kind
    ConflictingReport: URIRef  # conflicting report
    Country: URIRef  # country
    CustomASIC: URIRef  # custom ASIC
    Datacenter: URIRef  # datacenter
    DatacenterProject: URIRef  # datacenter project
    DatacenterSite: URIRef  # datacenter site
    DatePrecision: URIRef  # date precision
    Deal: URIRef  # deal
    DealStatus: URIRef  # deal status
    Event: URIRef  # event
    ExportLicence: URIRef  # export licence
    FinancialInstitution: URIRef  # financial institution
    Financing: URIRef  # financing
    Firm: URIRef  # firm
    FundingRound: URIRef  # funding round
    GPU: URIRef  # GPU
    GovernmentAgency: URIRef  # government agency
    InferenceAccelerator: URIRef  # inference accelerator
    Investment: URIRef  # investment
    Listing: URIRef  # stock listing
    Market: URIRef  # market
    MarketIndex: URIRef  # market index
    MemoryChip: URIRef  # memory chip
    MetricKind: URIRef  # metric kind
    MetricObservation: URIRef  # metric observation
    MonetaryAmount: URIRef  # monetary amount
    MoneyFlow: URIRef  # money flow
    Partnership: URIRef  # partnership
    PerformanceMeasure: URIRef  # performance measure
    Person: URIRef  # person
    Place: URIRef  # place
    Publisher: URIRef  # news publisher
    Quantity: URIRef  # quantity
    Region: URIRef  # region
    StatusEntry: URIRef  # status entry
    SupplyAgreement: URIRef  # supply agreement
    TPU: URIRef  # TPU
    Tranche: URIRef  # tranche
    WaferScaleProcessor: URIRef  # wafer-scale processor

    # properties
    about: URIRef  # about
    acceptThreshold: URIRef  # has accept threshold
    affiliatedWith: URIRef  # affiliated with
    amount: URIRef  # has monetary amount
    architecture: URIRef  # has architecture
    asOf: URIRef  # as of
    attributedTo: URIRef  # attributed to
    borrower: URIRef  # borrower
    borrowerIn: URIRef  # borrower in
    bound: URIRef  # has bound
    buyer: URIRef  # buyer
    buyerIn: URIRef  # buyer in
    capacity: URIRef  # has power capacity
    capitalFlowsTo: URIRef  # capital flows to
    ceoOf: URIRef  # CEO of
    chipCount: URIRef  # has chip count
    cik: URIRef  # has CIK
    claimKind: URIRef  # has claim kind
    condition: URIRef  # has condition
    conditionKind: URIRef  # has condition kind
    confidence: URIRef  # has confidence
    conflictArticle: URIRef  # reported in
    conflictProperty: URIRef  # concerns property
    conflictReport: URIRef  # says
    conflictSubject: URIRef  # concerns node
    currency: URIRef  # has currency
    datacenter: URIRef  # has datacenter
    date: URIRef  # has date
    datePrecision: URIRef  # has date precision
    description: URIRef  # has description
    designedBy: URIRef  # designed by
    develops: URIRef  # develops
    duration: URIRef  # has duration
    endDate: URIRef  # has end date
    estimate: URIRef  # is estimate
    flowDeal: URIRef  # under deal
    flowDealType: URIRef  # deal class
    flowPayee: URIRef  # payee
    flowPayer: URIRef  # payer
    founderOf: URIRef  # founder of
    hasPart: URIRef  # has part deal
    headquarteredIn: URIRef  # headquartered in
    investee: URIRef  # investee
    investeeIn: URIRef  # investee in
    investor: URIRef  # investor
    investorIn: URIRef  # investor in
    lei: URIRef  # has LEI
    lender: URIRef  # lender
    lenderIn: URIRef  # lender in
    length: URIRef  # has length in code points
    licensee: URIRef  # licensee
    licenseeIn: URIRef  # licensee in
    licensor: URIRef  # licensor
    licensorIn: URIRef  # licensor in
    locatedIn: URIRef  # located in
    manufacturedBy: URIRef  # manufactured by
    maxValue: URIRef  # has maximum value
    measure: URIRef  # has performance measure
    member: URIRef  # has member
    mentions: URIRef  # mentions
    method: URIRef  # has method
    metric: URIRef  # has metric kind
    metricOf: URIRef  # metric of
    mic: URIRef  # has market identifier code
    minValue: URIRef  # has minimum value
    operator: URIRef  # operated by
    owner: URIRef  # owned by
    partOf: URIRef  # part of deal
    partOfProject: URIRef  # part of project
    participant: URIRef  # participant
    participantIn: URIRef  # participant in
    party: URIRef  # party
    partyIn: URIRef  # party in
    paysTo: URIRef  # pays to
    period: URIRef  # has reporting period
    product: URIRef  # has product
    quantity: URIRef  # has quantity
    receivesFrom: URIRef  # receives from
    relativeTo: URIRef  # relative to
    reviewThreshold: URIRef  # has review threshold
    sha256: URIRef  # has SHA-256 digest
    sourceFile: URIRef  # has source file name
    startDate: URIRef  # has start date
    statement: URIRef  # has statement
    status: URIRef  # has status
    statusEntry: URIRef  # has status entry
    subsidiaryOf: URIRef  # subsidiary of
    successorOf: URIRef  # successor of
    supplier: URIRef  # supplier
    supplierIn: URIRef  # supplier in
    symbol: URIRef  # has ticker symbol
    ticker: URIRef  # has listing
    tranche: URIRef  # has tranche
    trigger: URIRef  # has trigger
    unit: URIRef  # has unit
    usesChip: URIRef  # uses chip
    value: URIRef  # has numeric value

    # individuals (SKOS concepts and concept schemes)
    Announced: URIRef  # announced
    Approximately: URIRef  # approximately
    AssemblyTime: URIRef  # assembly time
    AtLeast: URIRef  # at least
    AtMost: URIRef  # at most
    Backlog: URIRef  # order backlog
    BoundScheme: URIRef  # bound scheme
    CDSSpread: URIRef  # CDS spread
    Cancelled: URIRef  # cancelled
    Capex: URIRef  # capital expenditure
    CapexGrowth: URIRef  # capital expenditure growth
    ClaimKindScheme: URIRef  # claim kind scheme
    Completed: URIRef  # completed
    ComputeSpending: URIRef  # compute spending
    ConditionKindScheme: URIRef  # condition kind scheme
    CostPerToken: URIRef  # cost per token
    CustomerRestriction: URIRef  # customer restriction
    DatePrecisionScheme: URIRef  # date precision scheme
    DayPrecision: URIRef  # day precision
    DealStatusScheme: URIRef  # deal status scheme
    DebtToEquity: URIRef  # debt-to-equity ratio
    DefinitiveAgreement: URIRef  # definitive agreement
    Denial: URIRef  # denial
    Denied: URIRef  # denied
    EPSEstimate: URIRef  # EPS estimate
    EPSGrowth: URIRef  # EPS growth
    Exact: URIRef  # exact
    Forecast: URIRef  # forecast
    ForwardPE: URIRef  # forward P/E
    FreeCashFlow: URIRef  # free cash flow
    FreeCashFlowGrowth: URIRef  # free cash flow growth
    GrossMargin: URIRef  # gross margin
    InNegotiation: URIRef  # in negotiation
    IndexLevelChange: URIRef  # index level change
    InferenceThroughput: URIRef  # inference throughput
    LetterOfIntent: URIRef  # letter of intent
    MarketCap: URIRef  # market capitalisation
    MarketShare: URIRef  # market share
    MetricKindScheme: URIRef  # metric kind scheme
    MonthPrecision: URIRef  # month precision
    NetIncome: URIRef  # net income
    NetLoss: URIRef  # net loss
    OperatingCashFlow: URIRef  # operating cash flow
    Opinion: URIRef  # opinion
    OwnershipShare: URIRef  # ownership share
    PerformanceMeasureScheme: URIRef  # performance measure scheme
    PerformanceMultiple: URIRef  # performance multiple
    PriceTarget: URIRef  # price target
    Recommendation: URIRef  # recommendation
    RemainingPerformanceObligations: URIRef  # remaining performance obligations
    Revenue: URIRef  # revenue
    RevenueConcentration: URIRef  # revenue concentration
    RevenueGrowth: URIRef  # revenue growth
    Rumoured: URIRef  # rumoured
    SharePrice: URIRef  # share price
    SharePriceChange: URIRef  # share price change
    StakeValue: URIRef  # stake value
    Stalled: URIRef  # stalled
    Tariff: URIRef  # tariff or revenue share
    ThirdPartyTesting: URIRef  # third-party testing
    TotalDebt: URIRef  # total debt
    TrailingPE: URIRef  # trailing P/E
    TrainingThroughput: URIRef  # training throughput
    Valuation: URIRef  # valuation
    VolumeCap: URIRef  # volume cap
    Withdrawn: URIRef  # withdrawn
    YearPrecision: URIRef  # year precision
