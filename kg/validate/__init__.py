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
        SHAPES_NS,
        GraphReport,
        ReferenceData,
        Report,
        Result,
        Severity,
        Shapes,
        check_store,
        compact,
        path_text,
        validate_files,
        validate_graph,
        validate_graphs,
        validate_store,
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

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "Check": "compiled",
    "CompiledShapes": "compiled",
    "DefaultGraph": "compiled",
    "Evidence": "report",
    "Finding": "compiled",
    "GraphReport": "pyshacl_run",
    "ReferenceData": "pyshacl_run",
    "Report": "pyshacl_run",
    "ReportFormat": "report",
    "Result": "pyshacl_run",
    "SHAPES_NS": "pyshacl_run",
    "Severity": "pyshacl_run",
    "Shapes": "pyshacl_run",
    "Unsupported": "compiled",
    "check_store": "pyshacl_run",
    "compact": "pyshacl_run",
    "compile_shapes": "compiled",
    "custom_functions": "checks",
    "evidence_of": "report",
    "fact_of": "report",
    "path_text": "pyshacl_run",
    "read_default_graph": "checks",
    "render": "report",
    "render_json": "report",
    "render_text": "report",
    "report_graph": "report",
    "validate_files": "pyshacl_run",
    "validate_graph": "pyshacl_run",
    "validate_graphs": "pyshacl_run",
    "validate_store": "pyshacl_run",
}
__all__ = [
    "SHAPES_NS",
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
    "path_text",
    "read_default_graph",
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
