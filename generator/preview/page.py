"""What the preview sends the browser beyond the built pages: the reload script and the error page.

The published pages forbid every script (`default-src 'none'`). The preview's copies
allow scripts from the preview server itself and its WebSocket, and nothing else, so a
page behaves in the preview as it will when published. The error page is written here in
Python, not with the project's templates, because a broken template is one of the errors
it has to show.
"""

from __future__ import annotations

import re
from html import escape

from ..diagnostics import Diagnostic, Severity

CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)
PREVIEW_SOURCES = {"script-src": "'self'", "connect-src": "'self' ws: wss:"}
ERROR_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"


def relax_policy(policy: str) -> str:
    """The page's Content-Security-Policy, also allowing our own scripts and the reload WebSocket."""
    kept = [d.strip() for d in policy.split(";") if d.strip() and d.split()[0] not in PREVIEW_SOURCES]
    return "; ".join(kept + [f"{name} {sources}" for name, sources in PREVIEW_SOURCES.items()])


def inject_reload_script(html: str, script: str) -> str:
    """The served copy of a page: the reload script added, and the CSP relaxed just enough for it."""
    # The matched policy holds no '"' and neither do the sources added, so no escaping is needed.
    html = CSP_META.sub(lambda m: m.group(1) + relax_policy(m.group(2)) + m.group(3), html, count=1)
    if "</head>" in html:
        return html.replace("</head>", script + "\n</head>", 1)
    return html + script


def error_page(errors: list[Diagnostic], problems: tuple[Diagnostic, ...], reload_script: str, *,
               bug: bool = False, icon: str = "") -> str:
    """A plain page listing each error with its file, line and message; it reloads when fixed.

    With `bug`, the one error is a failure of the generator itself, which the page says. `icon` is
    the address of the site's favicon, if it has one.
    """
    count = f"{len(errors)} error" if len(errors) == 1 else f"{len(errors)} errors"
    headline = "notices failed" if bug else f"{count} in the content"
    warnings = [d for d in problems if d.severity is Severity.WARNING]
    advice = ("This is a bug in notices: the message below says how to report it. Saving any file"
              " tries again" if bug else "Fix each problem below and save the file")
    body = [f"<h1>The preview cannot be shown: {headline}</h1>",
            f"<p>{advice}. This page updates by itself; the same "
            "errors are shown in the terminal running <code>notices serve</code>.</p>",
            _problem_list(errors)]
    if warnings:
        body += [f"<h2>Warnings ({len(warnings)})</h2>",
                 "<p>These do not stop the preview, but <code>notices build --strict</code>"
                 " fails on them.</p>",
                 _problem_list(warnings)]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{relax_policy(ERROR_PAGE_CSP)}">',
        f"<title>Preview: {headline}</title>",
        '<link rel="stylesheet" href="/assets/style.css">',
        f'<link rel="icon" href="{escape(icon)}">' if icon else "", reload_script, "</head>", "<body>",
        '<a class="skip-link" href="#main-content">Skip to main content</a>',
        '<div class="width-container">', '<main id="main-content" tabindex="-1">',
        *body, "</main>", "</div>", "</body>", "</html>", ""])


def _problem_list(items: list[Diagnostic]) -> str:
    rows = []
    for item in items:
        hint = f"<p>How to fix it: {escape(item.hint)}</p>" if item.hint else ""
        rows.append(f"<li><p><strong>{escape(item.path)}</strong>, line {item.line}, column {item.column}</p>"
                    f"<p>{escape(item.message)}</p>{hint}</li>")
    return "<ol>\n" + "\n".join(rows) + "\n</ol>"
