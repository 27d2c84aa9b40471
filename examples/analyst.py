"""An analyst's session with aikg, notebook style: each ``# %%`` cell runs as a cell in
Jupyter or VS Code, and the whole file runs with plain python (CI runs it: tests/test_api.py).

    python examples/analyst.py [WORK_FOLDER]

Builds the dataset from the bundled records into WORK_FOLDER (default: a temporary folder;
the article texts from $KG_CORPUS, if set, for the evidence quotes), then asks it about
NVIDIA's deals and the circular financing around it. Needs the notebook extra (pandas):
pip install 'aikg[notebook]'.
"""

# %% Build the dataset (about 10 s) and open it
import sys
import tempfile
from pathlib import Path

import kg

work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="aikg-"))
work.mkdir(parents=True, exist_ok=True)
ds = kg.build(store=work / "store")
print(f"built {ds.path}: {ds.built.articles} articles, {ds.built.deals} deals")

# %% NVIDIA's deals as a DataFrame: how many in each role, and the money named
deals = ds.query("deals-of-firm", firm="nvidia").to_pandas()
print("\ndeals of NVIDIA by role:")
print(deals.groupby("role")["deal"].nunique().sort_values(ascending=False).to_string())
named = deals[deals["amount"].notna()][["deal", "amount", "capacity", "status"]]
print("\nwith an amount:")
print(named.drop_duplicates().to_string(index=False))
deals.to_csv(work / "nvidia-deals.csv", index=False)

# %% Circular financing: the loops of money, each step with the deals behind it
cycles = ds.query("capital-cycles").to_pandas()
for _cycle, steps in cycles.groupby("cycle"):
    path = " → ".join([*steps.sort_values("step")["from"].unique(), steps["from"].iloc[0]])
    print(f"\nloop {path}: {steps['deal'].nunique()} deals in {steps['step'].nunique()} steps")

# %% How the NVIDIA–OpenAI deals moved, in Traditional Chinese
timeline = ds.query("deal-timeline", firm="nvidia", counterparty="openai", lang="zh-Hant")
print()
print(timeline)

# %% The evidence behind one article: its graph, as rdflib
graph = ds.graph("tradingkey-2025-09-nvidia-openai")
print(f"\nthe TradingKey article's graph: {len(graph)} triples")
print(f"validation: {ds.validate()!r}")
