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
    build.add_argument("--base-url", default=None, help="published address, overriding site.yaml")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")

    check = commands.add_parser("check", help="check the content without writing anything")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json", "github"), default=None,
                       help="how to print problems (default: text; github under GitHub Actions)")

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
    print(f"Built {result.pages} pages ({len(result.files)} files, {warnings} warnings)"
          f" in {result.seconds:.2f} s into {_display(out)}")
    return EXIT_OK


def _check(root: Path, args: argparse.Namespace) -> int:
    from .build import run_pipeline
    from .diagnostics import format_diagnostics

    result = run_pipeline(root, render=True)
    output_format = _default_format(args.format)
    items = result.diagnostics.sorted()
    text = format_diagnostics(items, output_format)
    if text:
        print(text, file=sys.stdout if output_format == "json" else sys.stderr)
    elif output_format == "json":
        print("[]")
    if result.diagnostics.has_errors(args.strict):
        return EXIT_CONTENT
    if output_format == "text":
        print(f"No problems found in {len(result.site.notices) if result.site else 0} notices.")
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
