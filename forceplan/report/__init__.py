"""The auditor's report: one self-contained HTML file per plan (`forceplan report`)."""

from forceplan.report.build import build_context, default_report_path, render, write_report

__all__ = ["build_context", "default_report_path", "render", "write_report"]
