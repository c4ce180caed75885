"""The `notices` command line: build, check and serve.

Imports of the pipeline happen inside each command, so `notices --help` starts fast.
Exit codes: 0 success; 1 the content has errors (or warnings under --strict); 2 the
command was used wrongly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .build import BuildResult
    from .diagnostics import Diagnostic

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="notices", description="Build a privacy-notice website from YAML and Markdown.")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder holding content/ and templates/ (default: here)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser("build", help="build the site into a folder")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site)")
    build.add_argument("--base-url", type=_base_url, default=None,
                       help="published address (http or https), overriding site.yaml")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")

    check = commands.add_parser("check", help="check the content without writing anything")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json", "github"), default=None,
                       help="how to print problems (default: text; github under GitHub Actions)")
    check.add_argument("--links", action="store_true",
                       help="also list every external link, one per line, for a link checker"
                            " (no network; not with --format json)")
    check.add_argument("--compliance", action="store_true",
                       help="with --format json: print {diagnostics, compliance} with the compliance table")
    check.add_argument("--previous", type=Path, default=None, metavar="FILE",
                       help="a notices.json from an earlier build (a local file): warn about each notice"
                            " whose page changed but whose change list did not")
    check.add_argument("--html", type=Path, default=None, metavar="DIR",
                       help="also write the staff compliance report to DIR/index.html (not for publishing)")

    schema = commands.add_parser("schema", help="write the JSON Schema files editors use to check content")
    schema.add_argument("--out", type=Path, default=None, help="folder to write to (default: schemas)")

    serve = commands.add_parser("serve", help="preview the site, rebuilding on every save")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "build":
            return _build(root, args)
        if args.command == "check":
            return _check(root, args)
        if args.command == "schema":
            return _schema(root, args)
        from .serve import serve

        return serve(root, host=args.host, port=args.port)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


def _build(root: Path, args: argparse.Namespace) -> int:
    from .build import build
    from .diagnostics import format_diagnostics
    from .write import UnsafeOutput

    out = (args.out or root / "site").resolve()
    try:
        result = build(root, out, base_url=args.base_url, strict=args.strict)
    except UnsafeOutput as exc:
        print(f"notices: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    items = result.diagnostics.sorted()
    if items:
        print(format_diagnostics(items, _default_format(None)), file=sys.stderr)
    if result.diagnostics.has_errors(args.strict):
        print("Build failed: the site was not changed.", file=sys.stderr)
        return EXIT_CONTENT
    warnings = len(result.diagnostics.warnings)
    print(f"Built {result.pages} pages ({len(result.files)} files, {warnings} warning"
          f"{'' if warnings == 1 else 's'}) in {result.seconds:.2f} s into {_display(out)}")
    _print_notes(result, sys.stdout)
    return EXIT_OK


def _print_notes(result: BuildResult, file: TextIO) -> None:
    for note in result.notes:
        print(f"Note: {note[:1].upper()}{note[1:]}.", file=file)


def _write_report(result: BuildResult, items: list[Diagnostic], root: Path, folder: Path) -> Path:
    """The staff compliance report. After a big check the site has each notice's outline; a report
    template that reads more of a notice is given the whole notices, from a build in memory."""
    from .outline import NeedsWholeNotice
    from .report import write_report

    assert result.compliance is not None and result.site is not None
    try:
        return write_report(result.compliance, result.site, items, root / "templates", folder)
    except NeedsWholeNotice:
        from .build import run_pipeline

        whole = run_pipeline(root, render=False)
        assert whole.compliance is not None and whole.site is not None
        return write_report(whole.compliance, whole.site, items, root / "templates", folder)


def _check(root: Path, args: argparse.Namespace) -> int:
    from .build import check
    from .diagnostics import format_diagnostics

    result = check(root)
    if args.previous is not None and result.compliance is not None and "notices.json" in result.files:
        from .history import warn_unrecorded_changes

        try:
            notice_files = {n.slug: root / n.path for n in result.compliance.notices}
            warn_unrecorded_changes(result.files, args.previous.absolute(), notice_files, result.diagnostics)
        except ValueError as exc:
            print(f"notices: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    output_format = _default_format(args.format)
    items = result.diagnostics.sorted()
    text = format_diagnostics(items, output_format)
    if output_format == "json" and args.compliance:
        from .report import compliance_json

        print(compliance_json(items, result.compliance))
    elif text:
        print(text, file=sys.stdout if output_format == "json" else sys.stderr)
    elif output_format == "json":
        print("[]")
    if result.compliance is not None and result.site is not None:
        from .report import compliance_table
        from .write import UnsafeOutput

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
    if args.links and result.links is not None and output_format != "json":
        for url, pages in result.links.external.items():
            print(f"{url}\t{' '.join(pages)}")
    if output_format == "text" and not result.diagnostics.warnings:
        print(f"No problems found in {len(result.site.notices) if result.site else 0} notices.")
    if output_format == "text":
        _print_notes(result, sys.stderr)
    return EXIT_OK


def _base_url(value: str) -> str:
    """--base-url must be an http(s) address; a missing trailing slash is added."""
    from .links import normalise_base_url

    try:
        return normalise_base_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _schema(root: Path, args: argparse.Namespace) -> int:
    from .jsonschema import SCHEMA_FOLDER, schema_files, write_schemas

    folder = (args.out or root / SCHEMA_FOLDER).resolve()
    changed = write_schemas(folder)
    print(f"Schemas in {_display(folder)}: {len(changed)} written, {len(schema_files()) - len(changed)}"
          " already up to date")
    return EXIT_OK


def _default_format(chosen: str | None) -> str:
    if chosen:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _display(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return path.as_posix() + "/"


if __name__ == "__main__":
    sys.exit(main())
