"""Seeing what changed: inline character diffs, the JSON edit report, the summary, the HTML report."""

from .html import render_report
from .inline import inline_diff, mark, unified_diff, visible
from .report import edit_records, replay, write_records
from .summary import Summary

__all__ = ["Summary", "edit_records", "inline_diff", "mark", "render_report", "replay", "unified_diff",
           "visible", "write_records"]
