"""What a service notice inherits from the main notice follows the main notice as it is now.

The rules work out the main notice's own outcomes once for all the service notices of a build;
the preview rebuilds in the same process after every save, so an edit to the main notice, or a
new date, must still change what each service notice is reported to inherit.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import replace
from pathlib import Path

from generator.build import build_in_memory
from generator.checks.compliance import ComplianceReport, check_site
from generator.content.resolve import Site, resolve_references
from generator.content.validate import ValidContent, validate_content
from generator.diagnostics import Diagnostics
from generator.preview.cache import PreviewCache

MAIN = "content/notices/main.yaml"
BASE = "http://127.0.0.1:8000/"  # the preview builds for the address it serves at
SERVICE = "prevention-and-early-help"  # relies on consent, links to the main notice
WITHDRAW = ("    - right: withdraw-consent\n      title: To change your mind\n      text: When we use your"
            " information because you agreed to it (your consent), you have the right to withdraw your"
            " consent at any time. This is without affecting the lawfulness of processing based on consent"
            " before its withdrawal. It means that what we did before you withdrew it was still lawful.\n")


def status(report: ComplianceReport | None, slug: str, requirement: str) -> str:
    assert report is not None
    notice = next(n for n in report.notices if n.slug == slug)
    return notice.outcomes[requirement].status.value


def save(root: Path, old: str, new: str) -> None:
    path = root / MAIN
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    later = path.stat().st_mtime_ns + 10_000_000  # a save later than the last, even on a coarse clock
    os.utime(path, ns=(later, later))


def test_the_preview_follows_edits_to_the_main_notices_rights_list(project: Path) -> None:
    memo = PreviewCache()
    first = build_in_memory(project, base_url=BASE, cache=memo)
    assert status(first.compliance, SERVICE, "withdraw-consent") == "inherited"
    save(project, WITHDRAW, "")
    without = build_in_memory(project, base_url=BASE, cache=memo)
    assert status(without.compliance, SERVICE, "withdraw-consent") == "missing"
    assert any(d.rule == "withdraw-consent" for d in without.diagnostics.warnings)
    save(project, "    - right: object\n", WITHDRAW + "    - right: object\n")
    again = build_in_memory(project, base_url=BASE, cache=memo)
    assert status(again.compliance, SERVICE, "withdraw-consent") == "inherited"


def test_the_same_site_checked_on_two_dates_gets_each_dates_answer(project: Path) -> None:
    with_complaints_unreachable = (project / MAIN).read_text("utf-8").replace(
        "Officer](#contact-us))", "Officer](#copy-of-your-records))")
    (project / MAIN).write_text(with_complaints_unreachable, "utf-8")
    diagnostics = Diagnostics(project)
    content = validate_content(project, diagnostics)
    assert content is not None
    site = resolve_references(content)
    before, after = datetime.date(2026, 6, 18), datetime.date(2026, 6, 19)
    for day, expected in ((before, "not applicable"), (after, "missing"), (before, "not applicable")):
        report = check_site(site, content, Diagnostics(project), today=day)
        assert status(report, SERVICE, "complaint-controller") == expected, day


def test_a_new_main_notice_with_the_same_registers_is_checked_anew(project: Path) -> None:
    """As in a build's workers, where every notice's site shares the registers' objects."""

    def site_and_content() -> tuple[Site, ValidContent]:
        content = validate_content(project, Diagnostics(project))
        assert content is not None
        return resolve_references(content), content

    day = datetime.date(2026, 1, 1)  # the very same date object for both
    site, content = site_and_content()
    report = check_site(site, content, Diagnostics(project), day)
    assert status(report, SERVICE, "withdraw-consent") == "inherited"
    save(project, WITHDRAW, "")
    edited, edited_content = site_and_content()
    same_registers = replace(site, notices=edited.notices)
    report = check_site(same_registers, edited_content, Diagnostics(project), day)
    assert status(report, SERVICE, "withdraw-consent") == "missing"
