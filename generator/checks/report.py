"""The compliance results for people: a terminal table, JSON for tools, an HTML page for staff.

The HTML report is for the data protection officer and editors, never part of the
published site: it is written only by `notices check --html DIR`, and only into a
folder that holds no other page.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..content.resolve import Site
from ..diagnostics import Diagnostic
from ..site.environment import create_environment, long_date
from ..site.site_folder import UnsafeOutput, check_output_folder, read_exactly, replace_file
from ..world import describe, plain_errors, shown
from .compliance import ComplianceReport
from .reading_age import FORMULA, Reading
from .register_status import CANNOT_JUDGE, register_lines
from .requirements import Status

REPORT_TEMPLATE = "report/compliance.html"
REPORT_MARKER = '<meta name="generator" content="notices compliance report">'
"""Every report carries this line; a folder's index.html without it is never overwritten."""


def compliance_table(report: ComplianceReport) -> str:
    """Requirements down, notices across, each cell met / inherited / not applicable / missing; then the
    register wording not confirmed, and what the check cannot judge."""
    header = ["Requirement", *(n.slug for n in report.notices)]
    rows = [header] + [
        [requirement.title, *(n.outcomes[requirement.id].status.value for n in report.notices)]
        for requirement in report.requirements
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [f"Compliance check ({report.checked.isoformat()}): UK GDPR Articles 9, 10, 13 and 14;"
             " Data Protection Act 2018"]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    lines.append(", ".join(f"{report.count(status)} {status.value}" for status in Status))
    lines += register_lines(report.unconfirmed, report.unread_acts)
    return "\n".join(lines)


def compliance_dict(report: ComplianceReport) -> dict[str, Any]:
    """The table as plain data: every requirement with its citations, every notice's results."""
    return {
        "checked": report.checked.isoformat(),
        "statuses": [status.value for status in Status],
        "requirements": [
            {"id": r.id, "title": r.title, "law": r.law, "guidance": r.guidance} for r in report.requirements
        ],
        "notices": [
            {
                "slug": n.slug,
                "title": n.title,
                "path": n.path,
                "results": {
                    rid: {"status": o.status.value, "detail": o.detail} for rid, o in n.outcomes.items()
                },
            }
            for n in report.notices
        ],
        "unconfirmed_register_entries": [entry.as_dict() for entry in report.unconfirmed],
        "legislation_without_read_date": list(report.unread_acts),
        "cannot_judge": list(CANNOT_JUDGE),
    }


def compliance_json(items: list[Diagnostic], report: ComplianceReport | None) -> str:
    """`check --format json`: the diagnostics, and the table under --compliance (else null)."""
    data = {
        "diagnostics": [d.as_dict() for d in items],
        "compliance": compliance_dict(report) if report is not None else None,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def render_report(report: ComplianceReport, site: Site, findings: list[Diagnostic], templates: Path,
                  readings: Sequence[Reading] = ()) -> str:
    """The staff report page, from templates/report/compliance.html."""
    env = create_environment(templates)
    by_path: dict[str, list[Diagnostic]] = {}
    for finding in findings:
        if finding.rule:
            by_path.setdefault(finding.path, []).append(finding)
    counts = {status.value: report.count(status) for status in Status}
    return env.get_template(REPORT_TEMPLATE).render(
        report=report, site=site, findings=by_path, counts=counts, marker=REPORT_MARKER,
        checked=long_date(report.checked), cannot_judge=CANNOT_JUDGE, readings=readings, formula=FORMULA,
    )


def write_report(report: ComplianceReport, site: Site, findings: list[Diagnostic], templates: Path,
                 folder: Path, readings: Sequence[Reading] = ()) -> Path:
    """Write DIR/index.html and nothing else, refusing a folder that holds the project, and an
    index.html that is a link or not a report this tool wrote."""
    check_output_folder(folder)
    target = folder / "index.html"
    _check_ours(target)
    html = render_report(report, site, findings, templates, readings)
    with plain_errors(f"cannot write the report into {shown(folder)}", again="run the check again"):
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(target, html.encode("utf-8"))
    return target


REPORT_LIMIT = 64 * 1024 * 1024
"""More than a report of 10,000 notices: a bigger index.html is not one."""


def _check_ours(target: Path) -> None:
    """Refuse `target` unless it is missing or a report this tool wrote (a regular file with the marker)."""
    choose = "(choose a folder of its own, not the published site)"
    try:
        descriptor = os.open(target, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return
    except OSError as exc:
        if target.is_symlink():
            raise UnsafeOutput(f"refusing to write {shown(target)}: it is a symbolic link {choose}") from None
        raise describe(exc, f"cannot read {shown(target)}", again="run the check again") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnsafeOutput(f"refusing to write {shown(target)}: it is not a regular file {choose}")
        text = read_exactly(descriptor, REPORT_LIMIT).decode("utf-8", "replace")
    finally:
        os.close(descriptor)
    if REPORT_MARKER not in text:
        raise UnsafeOutput(f"refusing to overwrite {shown(target)}: it is not a compliance report {choose}")
