"""SHACL validation: the shapes compiled into SPARQL checks run by Oxigraph over every graph at
once (``compiled``), pyshacl for the detailed report of what they flag (``pyshacl_run``), the
reports for people and machines (``report``), the shapes' SPARQL functions (``functions``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.validate.checks import (
        custom_functions,
        read_default_graph,
    )
    from kg.validate.compiled import (
        Check,
        CompiledShapes,
        DefaultGraph,
        Finding,
        Unsupported,
        compile_shapes,
    )
    from kg.validate.pyshacl_run import (
        SKIPPED_GRAPHS,
        ReferenceData,
        graph_order,
        project_graph,
        project_reference,
        validate_graph,
        validate_graphs,
    )
    from kg.validate.report import (
        Evidence,
        ReportFormat,
        evidence_of,
        fact_of,
        render,
        render_json,
        render_text,
        report_graph,
    )
    from kg.validate.results import (
        AIKG_METHOD,
        PROV_WAS_GENERATED_BY,
        GraphReport,
        Report,
        Result,
        Severity,
        compact,
        path_text,
        read_results,
    )
    from kg.validate.run import (
        check_store,
        validate_files,
        validate_store,
    )
    from kg.validate.shapes import (
        FIX,
        SHAPES_NS,
        Shapes,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "AIKG_METHOD": "results",
    "Check": "compiled",
    "CompiledShapes": "compiled",
    "DefaultGraph": "compiled",
    "Evidence": "report",
    "FIX": "shapes",
    "Finding": "compiled",
    "GraphReport": "results",
    "PROV_WAS_GENERATED_BY": "results",
    "ReferenceData": "pyshacl_run",
    "Report": "results",
    "ReportFormat": "report",
    "Result": "results",
    "SHAPES_NS": "shapes",
    "SKIPPED_GRAPHS": "pyshacl_run",
    "Severity": "results",
    "Shapes": "shapes",
    "Unsupported": "compiled",
    "check_store": "run",
    "compact": "results",
    "compile_shapes": "compiled",
    "custom_functions": "checks",
    "evidence_of": "report",
    "fact_of": "report",
    "graph_order": "pyshacl_run",
    "path_text": "results",
    "project_graph": "pyshacl_run",
    "project_reference": "pyshacl_run",
    "read_default_graph": "checks",
    "read_results": "results",
    "render": "report",
    "render_json": "report",
    "render_text": "report",
    "report_graph": "report",
    "validate_files": "run",
    "validate_graph": "pyshacl_run",
    "validate_graphs": "pyshacl_run",
    "validate_store": "run",
}
__all__ = [
    "AIKG_METHOD",
    "FIX",
    "PROV_WAS_GENERATED_BY",
    "SHAPES_NS",
    "SKIPPED_GRAPHS",
    "Check",
    "CompiledShapes",
    "DefaultGraph",
    "Evidence",
    "Finding",
    "GraphReport",
    "ReferenceData",
    "Report",
    "ReportFormat",
    "Result",
    "Severity",
    "Shapes",
    "Unsupported",
    "check_store",
    "compact",
    "compile_shapes",
    "custom_functions",
    "evidence_of",
    "fact_of",
    "graph_order",
    "path_text",
    "project_graph",
    "project_reference",
    "read_default_graph",
    "read_results",
    "render",
    "render_json",
    "render_text",
    "report_graph",
    "validate_files",
    "validate_graph",
    "validate_graphs",
    "validate_store",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
