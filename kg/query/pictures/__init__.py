"""Pictures of query results: graph-shaped templates as Graphviz DOT/SVG, metrics as charts.

>>> sorted(GRAPH_TEMPLATES)
['capital-cycles', 'chip-sourcing', 'deals-of-firm', 'exposure']
>>> drawable("metric-compare"), drawable("firm-profile")
(True, False)
"""

from __future__ import annotations

from kg.query.pictures.charts import CHART_TEMPLATES, metric_chart
from kg.query.pictures.flows import GRAPH_TEMPLATES, Edge, FlowGraph, read_flows
from kg.query.pictures.graphviz import dot_to_svg, to_dot
from kg.query.pictures.picture import PictureFormat, drawable, flow_dot, picture

__all__ = [
    "CHART_TEMPLATES",
    "GRAPH_TEMPLATES",
    "Edge",
    "FlowGraph",
    "PictureFormat",
    "dot_to_svg",
    "drawable",
    "flow_dot",
    "metric_chart",
    "picture",
    "read_flows",
    "to_dot",
]
