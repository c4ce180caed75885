"""The `notices` command line: build, check, new, schema and serve.

Imports of the pipeline happen inside each command, so `notices --help` starts fast.
Exit codes: 0 success; 1 the content has errors (or warnings under --strict); 2 the
command was used wrongly, or the world got in the way (a folder, the disk, another build);
130 Ctrl-C; 143 SIGTERM. Any command run in a folder below a project finds the project
(generator/project.py); `--root` names it instead.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    from .build import BuildResult

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with exit 2 and the usage of the command at fault, and a record of its commands and
    options, for the did-you-mean suggestions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.options: list[str] = []
        self.commands: dict[str, _Parser] = {}
        self.command_action: Any = None
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

    def add_argument(self, *names: Any, **kwargs: Any) -> argparse.Action:
        self.options += [name for name in names if isinstance(name, str) and name.startswith("-")]
        return super().add_argument(*names, **kwargs)

    def add_command(self, name: str, summary: str, description: str) -> _Parser:
        """A subcommand whose --help opens with what it does."""
        text = " ".join(description.split())
        command: _Parser = self.command_action.add_parser(name, help=summary,
                                                          description=f"notices {name}: {text}")
        self.commands[name] = command
        return command


def make_parser() -> _Parser:
    parser = _Parser(prog="notices", description="Build a privacy-notice website from YAML and Markdown.",
                     epilog="Run `notices COMMAND --help` for what a command does and its options.")
    parser.add_argument("--root", type=Path, default=None,
                        help="the project folder holding content/ (default: the nearest folder from here up"
                             " that holds content/site.yaml)")
    parser.command_action = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                                  parser_class=_Parser)

    build = parser.add_command("build", "build the site into a folder", """
        Check the content and build the site as plain files into site/ (or --out). A build with errors
        leaves the folder exactly as it was; warnings are printed and do not stop it, unless --strict.""")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site)")
    build.add_argument("--base-url", type=_base_url, default=None,
                       help="published address (http or https), overriding site.yaml")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")

    check = parser.add_command("check", "check the content without writing anything", """
        Report every content error and every compliance finding, then the table of notice x
        requirement. Nothing is written (but --html's report). Exit 1 on errors, or on warnings under
        --strict.""")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json", "github"), default=None,
                       help="how to print problems (default: text; github under GitHub Actions); json is"
                            " {\"diagnostics\": [...], \"compliance\": null}, see docs/compliance.md")
    check.add_argument("--links", action="store_true",
                       help="also list every external link, one per line, for a link checker"
                            " (no network; not with --format json)")
    check.add_argument("--compliance", action="store_true",
                       help="with --format json: fill in \"compliance\" with the compliance table")
    check.add_argument("--previous", type=Path, default=None, metavar="FILE",
                       help="a notices.json from an earlier build (a local file): warn about each notice"
                            " whose page changed but whose change list did not")
    check.add_argument("--html", type=Path, default=None, metavar="DIR",
                       help="also write the staff compliance report to DIR/index.html (not for publishing)")

    new = parser.add_command("new", "start a new service notice from a scaffold", """
        Write content/notices/SLUG.yaml: every section of a service notice, each with a comment saying
        what to write, and register ids as examples. It builds at once; `notices check` then lists
        what is still to fill in. Steps: docs/adding-a-notice.md.""")
    new.add_argument("slug", metavar="SLUG",
                     help="the notice's address and file name: lower-case words joined by hyphens,"
                          " e.g. fostering")
    new.add_argument("--title", required=True, help='the notice\'s title, e.g. "Fostering"')

    schema = parser.add_command("schema", "write the JSON Schema files editors use to check content", """
        Write the JSON Schema files that let an editor (VS Code's YAML extension, say) check content
        files as they are typed. They are made from the same models `notices check` uses.""")
    schema.add_argument("--out", type=Path, default=None, help="folder to write to (default: schemas)")

    serve = parser.add_command("serve", "preview the site, rebuilding on every save", """
        Build the site in memory and serve it at http://127.0.0.1:8000/; every save under content/ or
        templates/ rebuilds it and reloads the page. site/ is never touched. To look at the built
        site/ as a host serves it: python3 -m http.server -d site""")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = make_parser()
    args = _parse(parser, argv)
    # The schemas do not depend on the content: written to --out, they need no project.
    root = Path.cwd() if args.command == "schema" and args.out is not None else _project_root(args)
    if root is None:
        return EXIT_USAGE
    from .world import Terminated, WorldError, describe, shown, sigterm_as_interrupt

    try:
        if args.command == "serve":
            from .preview.server import serve

            return serve(root, host=args.host, port=args.port)
        with sigterm_as_interrupt():  # a cancelled CI job ends a build as Ctrl-C does
            if args.command == "build":
                return _build(root, args)
            if args.command == "check":
                return _check(root, args)
            if args.command == "new":
                from .commands.new import new_notice

                return new_notice(root, args.slug, args.title)
            return _schema(root, args)
    except Terminated:
        print("Stopped (terminated).", file=sys.stderr)
        return 128 + 15
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except WorldError as exc:  # a folder, the disk, another build: one line saying what to do
        print(f"notices: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # any other the lower layers did not word: still one line, never a traceback
        named = isinstance(exc.filename, str)
        what = f"cannot use {shown(exc.filename)}" if named else f"notices {args.command} failed"
        print(f"notices: error: {describe(exc, what, 'try again')}", file=sys.stderr)
        return EXIT_USAGE


def _parse(parser: _Parser, argv: list[str]) -> argparse.Namespace:
    """Parse, with a did-you-mean for a misspelt command, and a wrong option reported with the usage
    of its own command."""
    commands = parser.commands
    typed = _command_typed(argv)
    if typed is not None and typed not in commands:
        close = difflib.get_close_matches(typed, list(commands), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f": choose one of {', '.join(commands)}"
        parser.error(f"'{typed}' is not a notices command{hint}")
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = commands[args.command]
        known = command.options
        unknown = extra[0].split("=", 1)[0]
        close = difflib.get_close_matches(unknown, known, n=1) if unknown.startswith("-") else []
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        command.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    if args.command == "check":
        from .commands.check import refused_combinations

        refused = refused_combinations(args)
        if refused:
            commands["check"].error(refused)
    return args


def _command_typed(argv: list[str]) -> str | None:
    """The first word that is not a top-level option or its value: the command."""
    words = iter(argv)
    for word in words:
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _project_root(args: argparse.Namespace) -> Path | None:
    """--root, or the project found from here up; None (with a message) outside any project."""
    from .project import NotAProject, find_root, not_a_project_message

    if args.root is not None:
        root: Path = args.root.resolve()
        if (root / "content").is_dir():
            return root
        message = not_a_project_message(f"--root {root} is not a privacy-notices project: it has no content/"
                                        " folder")
    else:
        try:
            return find_root(Path.cwd())
        except NotAProject as exc:
            message = str(exc)
    print(f"notices: error: {message}", file=sys.stderr)
    return None


def _build(root: Path, args: argparse.Namespace) -> int:
    from .build import build
    from .diagnostics import format_diagnostics
    from .site.write import UnsafeOutput

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


def _check(root: Path, args: argparse.Namespace) -> int:
    from .commands.check import run_check

    return run_check(root, args, _default_format(args.format))


def _base_url(value: str) -> str:
    """--base-url must be an http(s) address; a missing trailing slash is added."""
    from .site.linktarget import normalise_base_url

    try:
        return normalise_base_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _schema(root: Path, args: argparse.Namespace) -> int:
    from .content.jsonschema import SCHEMA_FOLDER, schema_files, write_schemas

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
