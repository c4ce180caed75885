"""`notices check`: every problem and the compliance table, without writing the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build import BuildResult, check
from ..checks.reading_age import Reading, check_reading_age, reading_table
from ..checks.report import compliance_json, compliance_table, write_report
from ..diagnostics import Diagnostic, format_diagnostics
from ..project import templates_folder
from ..site.history import warn_unrecorded_changes
from ..site.write import UnsafeOutput

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
    """Check the project, print what was found in `output_format`, and say how it went (exit code)."""
    result = check(root)
    if not _compare_with_previous(result, root, args):
        return EXIT_USAGE
    readings = _reading_age(result, root)
    items = result.diagnostics.sorted()
    _print_diagnostics(result, items, args, output_format)
    if not _print_compliance(result, items, root, args, output_format, readings):
        return EXIT_USAGE
    if result.diagnostics.has_errors(args.strict):
        return EXIT_CONTENT
    _print_summary(result, args, output_format)
    return EXIT_OK


def _compare_with_previous(result: BuildResult, root: Path, args: argparse.Namespace) -> bool:
    """Under --previous: warn about notices that changed without a new entry in their changes.
    False (after saying why) when the previous site cannot be read."""
    if args.previous is None or result.compliance is None or "notices.json" not in result.files:
        return True
    try:
        notice_files = {n.slug: root / n.path for n in result.compliance.notices}
        warn_unrecorded_changes(result.files, args.previous.absolute(), notice_files, result.diagnostics)
    except ValueError as exc:
        print(f"notices: error: {exc}", file=sys.stderr)
        return False
    return True


def _reading_age(result: BuildResult, root: Path) -> list[Reading]:
    """Every notice's reading age, and its young people's version's (warnings for what is above
    target); none when the content has errors."""
    if result.compliance is None or result.site is None or result.diagnostics.errors:
        return []
    notices = [(root / n.path, n.slug, n.title) for n in result.compliance.notices]
    return check_reading_age(root, result.site.config, notices, result.diagnostics)


def _print_diagnostics(result: BuildResult, items: list[Diagnostic], args: argparse.Namespace,
                       output_format: str) -> None:
    """The problems: JSON on stdout (with the table under --compliance), else text on stderr."""
    if output_format == "json":
        print(compliance_json(items, result.compliance if args.compliance else None))
    elif items:
        print(format_diagnostics(items, output_format), file=sys.stderr)


def _print_compliance(result: BuildResult, items: list[Diagnostic], root: Path, args: argparse.Namespace,
                      output_format: str, readings: list[Reading]) -> bool:
    """The compliance table (text output), and the staff report under --html.
    False (after saying why) when the report cannot be written."""
    if result.compliance is None or result.site is None:
        return True
    if output_format != "json":
        sys.stderr.flush()
        print(compliance_table(result.compliance))
        if readings:
            print(reading_table(readings))
    if args.html:
        try:
            written = _write_report(result, items, root, args.html.resolve(), readings)
        except (OSError, ValueError, UnsafeOutput) as exc:
            print(f"notices: error: {exc}", file=sys.stderr)
            return False
        print(f"Wrote the compliance report to {written}", file=sys.stderr)
    return True


def _print_summary(result: BuildResult, args: argparse.Namespace, output_format: str) -> None:
    """What a passing check ends with: the external links under --links, and in text the all-clear
    and the build's notes."""
    if args.links and result.links is not None:
        for url, pages in result.links.external.items():
            print(f"{url}\t{' '.join(pages)}")
    if output_format != "text":
        return
    if not result.diagnostics.warnings:
        print(f"No problems found in {len(result.site.notices) if result.site else 0} notices.")
    for note in result.notes:
        print(f"Note: {note[:1].upper()}{note[1:]}.", file=sys.stderr)


def _write_report(result: BuildResult, items: list[Diagnostic], root: Path, folder: Path,
                  readings: list[Reading]) -> Path:
    """The staff compliance report (it sees each service notice's summary, as the listing pages do)."""
    assert result.compliance is not None and result.site is not None
    return write_report(result.compliance, result.site, items, templates_folder(root), folder, readings)
