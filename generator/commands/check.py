"""`notices check`: every problem and the compliance table, without writing the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..project import templates_folder

if TYPE_CHECKING:
    from ..build import BuildResult
    from ..diagnostics import Diagnostic

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def refused_combinations(args: argparse.Namespace) -> str | None:
    """Options that would otherwise be ignored: refused, with what to do instead."""
    if args.links and args.format == "json":
        return ("--links prints one link a line and cannot go into --format json: run"
                " `notices check --links` on its own")
    if args.compliance and args.format != "json":
        return ("--compliance adds the compliance table to --format json: use"
                " `notices check --format json --compliance` (the text output always ends with the table)")
    return None


def run_check(root: Path, args: argparse.Namespace, output_format: str) -> int:
    from ..build import check
    from ..diagnostics import format_diagnostics

    result = check(root)
    if args.previous is not None and result.compliance is not None and "notices.json" in result.files:
        from ..site.history import warn_unrecorded_changes

        try:
            notice_files = {n.slug: root / n.path for n in result.compliance.notices}
            warn_unrecorded_changes(result.files, args.previous.absolute(), notice_files, result.diagnostics)
        except ValueError as exc:
            print(f"notices: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    items = result.diagnostics.sorted()
    if output_format == "json":
        from ..checks.report import compliance_json

        print(compliance_json(items, result.compliance if args.compliance else None))
    elif items:
        print(format_diagnostics(items, output_format), file=sys.stderr)
    if result.compliance is not None and result.site is not None:
        from ..checks.report import compliance_table
        from ..site.write import UnsafeOutput

        if output_format != "json":
            sys.stderr.flush()
            print(compliance_table(result.compliance))
        if args.html:
            try:
                written = _write_report(result, items, root, args.html.resolve())
            except (OSError, ValueError, UnsafeOutput) as exc:
                print(f"notices: error: {exc}", file=sys.stderr)
                return EXIT_USAGE
            print(f"Wrote the compliance report to {written}", file=sys.stderr)
    if result.diagnostics.has_errors(args.strict):
        return EXIT_CONTENT
    if args.links and result.links is not None:
        for url, pages in result.links.external.items():
            print(f"{url}\t{' '.join(pages)}")
    if output_format == "text" and not result.diagnostics.warnings:
        print(f"No problems found in {len(result.site.notices) if result.site else 0} notices.")
    if output_format == "text":
        for note in result.notes:
            print(f"Note: {note[:1].upper()}{note[1:]}.", file=sys.stderr)
    return EXIT_OK


def _write_report(result: BuildResult, items: list[Diagnostic], root: Path, folder: Path) -> Path:
    """The staff compliance report (it sees each service notice's summary, as the listing pages do)."""
    from ..checks.report import write_report

    assert result.compliance is not None and result.site is not None
    return write_report(result.compliance, result.site, items, templates_folder(root), folder)
