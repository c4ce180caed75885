"""Publishing: the site works under a sub-path or at a domain root, is byte-reproducible, and CI ships it."""

from __future__ import annotations

import datetime
import functools
import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import PROJECT, copy_project, notices


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def static_host(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback serving a folder, like any static host."""
    folder = tmp_path / "host"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def links_and_ids(html: bytes) -> tuple[list[str], set[str]]:
    soup = BeautifulSoup(html, "html.parser")
    links = [tag[attr] for attr in ("href", "src") for tag in soup.find_all(attrs={attr: True})]
    return links, {tag["id"] for tag in soup.find_all(id=True)}


def crawl(start: str, public: str, extra: dict[str, bytes] | None = None) -> tuple[set[str], list[str]]:
    """Follow every internal link from `start` as a browser would; return the pages reached and problems.

    `public` is the published base URL; absolute links to it are followed on the local server.
    `extra` maps a URL to a body served there without fetching (the 404 page at a deep address).
    """
    local_base = start
    problems: list[str] = []
    pages: dict[str, set[str]] = {}
    wanted: list[tuple[str, str, str]] = []  # (from page, url, fragment)
    queue = [start, *(extra or {})]
    linked_from = {url: "the start" for url in queue}
    while queue:
        url = queue.pop()
        if url in (extra or {}):
            status, kind, body = 200, "text/html", (extra or {})[url]
        else:
            status, kind, body = fetch(url)
        if status != 200:
            problems.append(f"{linked_from[url]} links to {url}: HTTP {status}")
            continue
        if kind == "text/html":
            links, pages[url] = links_and_ids(body)
        elif url.endswith("sitemap.xml"):
            links = re.findall(r"<loc>([^<]+)</loc>", body.decode())
        else:
            continue
        for href in links:
            absolute = urljoin(url, href)
            if absolute.startswith(public):
                absolute = local_base + absolute[len(public):]
            if not absolute.startswith("http://127.0.0.1"):
                continue  # another website, mailto:, tel:
            if not absolute.startswith(local_base):
                problems.append(f"{url}: {href!r} leads outside the site, to {absolute}")
                continue
            target, fragment = urldefrag(absolute)
            if fragment:
                wanted.append((url, target, fragment))
            if target not in linked_from:
                linked_from[target] = url
                queue.append(target)
    for page, target, fragment in wanted:
        if target in pages and fragment not in pages[target]:
            problems.append(f"{page}: no id {fragment!r} on {target}")
    return set(pages), problems


@pytest.mark.parametrize(("base_url", "mount"), [
    ("https://notices.example.org/privacy/", "privacy/"),
    ("https://example.org", ""),
])
def test_every_internal_link_and_fragment_works_as_served(
    project: Path, static_host: tuple[str, Path], base_url: str, mount: str
) -> None:
    result = notices(project, "build", "--base-url", base_url)
    assert result.code == 0, result.stderr
    address, folder = static_host
    shutil.copytree(project / "site", folder / mount, dirs_exist_ok=True)
    public = base_url.rstrip("/") + "/"
    start = f"{address}/{mount}"
    # A host shows 404.html at whatever address was asked for, however deep.
    deep_404 = {f"{start}no/such/page/here": (project / "site" / "404.html").read_bytes()}
    reached, problems = crawl(start, public, deep_404)
    assert problems == []
    # The crawl is only proof if it reached every page the build wrote.
    html_files = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*.html")}
    expected = {f.removesuffix("index.html") for f in html_files if f != "404.html"} | {"no/such/page/here"}
    assert len(expected) == 11  # with 2 young people's versions
    assert {url.removeprefix(start) for url in reached} == expected


def test_canonical_links_and_sitemap_use_the_base_url(project: Path) -> None:
    result = notices(project, "build", "--base-url", "https://notices.example.org/privacy")
    assert result.code == 0, result.stderr
    site = project / "site"
    for path in site.rglob("index.html"):
        address = path.relative_to(site).as_posix().removesuffix("index.html")
        soup = BeautifulSoup(path.read_bytes(), "html.parser")
        assert soup.find("link", rel="canonical")["href"] == f"https://notices.example.org/privacy/{address}"
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert "https://notices.example.org/privacy/" in locs
    assert "https://notices.example.org/privacy/sharing/" in locs
    assert all(loc.startswith("https://notices.example.org/privacy/") for loc in locs)
    assert len(locs) == len(list(site.rglob("index.html")))


def test_without_base_url_option_the_site_yaml_address_is_used(project: Path) -> None:
    base_url = yaml.safe_load((project / "content" / "site.yaml").read_text("utf-8"))["base_url"]
    assert notices(project, "build").code == 0
    soup = BeautifulSoup((project / "site" / "sharing" / "index.html").read_bytes(), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == base_url.rstrip("/") + "/sharing/"


@pytest.mark.parametrize("bad", ["ftp://example.org/", "example.org/privacy/", "https://example.org/?a=b"])
def test_a_bad_base_url_is_a_usage_error_and_builds_nothing(project: Path, bad: str) -> None:
    result = notices(project, "build", "--base-url", bad)
    assert result.code == 2
    assert "--base-url" in result.stderr and bad in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def all_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_same_content_builds_to_the_same_bytes_anywhere_anytime(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "a")
    second = copy_project(tmp_path / "somewhere else" / "deeper" / "b")
    plain = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "PYTHONHASHSEED")}
    one = notices(first, "build", env={**plain, "PYTHONHASHSEED": "1", "TZ": "UTC"})
    two = notices(second, "build", env={**plain, "PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati",
                                        "SOURCE_DATE_EPOCH": "1000000000", "LANG": "C"})
    assert one.code == 0 and two.code == 0, one.stderr + two.stderr
    built_first, built_second = all_bytes(first / "site"), all_bytes(second / "site")
    assert sorted(built_first) == sorted(built_second)
    assert [name for name in built_first if built_first[name] != built_second[name]] == []
    for root in (first, second):
        assert not any(str(root).encode() in data for data in built_first.values())
        assert not any(b"somewhere else" in data for data in built_second.values())


MONTHS = ("January February March April May June July August September October November December").split()
_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


def dates_in(text: str) -> set[tuple[int, int, int]]:
    found = set()
    for day, month, year, iso_year, iso_month, iso_day in _DATE.findall(text):
        if day:
            found.add((int(year), MONTHS.index(month) + 1, int(day)))
        else:
            found.add((int(iso_year), int(iso_month), int(iso_day)))
    return found


def test_every_date_on_the_pages_comes_from_the_content_not_the_clock(project: Path) -> None:
    """Move every date in the content to 7 March 2019: no other date (such as today's) may appear."""
    for path in (project / "content").rglob("*.yaml"):
        date_value = re.compile(r"(?m)^(\s*(?:-\s+)?[a-z_]+: )\d{4}-\d{2}-\d{2}\s*$")
        text = date_value.sub(r"\g<1>2019-03-07", path.read_text("utf-8"))
        path.write_text(text, "utf-8")
    assert notices(project, "build").code == 0
    written = set()
    for folder in ("content", "templates"):
        for path in (project / folder).rglob("*"):
            if path.is_file():  # comments are not shown on pages (one names the day the wording was read)
                lines = path.read_text("utf-8").splitlines()
                written |= dates_in("\n".join(ln for ln in lines if not ln.lstrip().startswith("#")))
    on_pages = set()
    for path in (project / "site").rglob("*"):
        if path.suffix in (".html", ".xml"):
            on_pages |= dates_in(path.read_text("utf-8"))
    assert (2019, 3, 7) in on_pages  # the notices' "last updated"
    today = datetime.date.today()
    assert (today.year, today.month, today.day) not in written  # so a date from the clock would be caught
    assert on_pages - written == set()


def test_the_build_ends_with_one_summary_line(project: Path) -> None:
    result = notices(project, "build")
    assert result.code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1, result.stdout
    html_pages = len(list((project / "site").rglob("*.html")))  # 10 pages and 404.html
    assert html_pages == 11
    match = re.fullmatch(r"Built (\d+) pages \((\d+) files, (\d+) warnings?\) in (\d+\.\d\d) s into (.+)\n",
                         result.stdout)
    assert match, result.stdout
    assert int(match[1]) == html_pages
    assert int(match[2]) == len([p for p in (project / "site").rglob("*") if p.is_file()])
    assert match[5] == "site/"  # relative to where the command was run (the project)


WORKFLOW = PROJECT / ".github" / "workflows" / "publish.yml"


def test_the_workflow_tests_builds_and_deploys_with_the_official_pages_actions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    jobs = workflow["jobs"]
    steps = {job: " ".join(str(s.get("uses", "")) + " " + str(s.get("run", "")) for s in spec["steps"])
             for job, spec in jobs.items()}
    assert "pytest" in steps["test"] and re.search(r"apt-get install -y .*\bchromium\b", steps["test"])
    assert "notices build" in steps["build"]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/upload-artifact@"):
        assert action in steps["build"]
    assert "actions/deploy-pages@" in steps["deploy"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert "test" in jobs["build"]["needs"] and "build" in jobs["deploy"]["needs"]
    # Only main is published; a pull request's site is an artifact, never deployed.
    assert "refs/heads/main" in jobs["deploy"]["if"] and "!= 'pull_request'" in jobs["deploy"]["if"]
