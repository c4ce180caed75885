"""The fragments of HTML that pages are made of, made once where every page would make them again.

A lawful basis, an organisation's name or a contact reads the same on every notice that names
it; yet each notice page used to call the components for them again: with a thousand notices,
much of a page's time went on markup the site had already made. Templates ask for such markup with

    {{ basis | cached(lawful_basis, root) }}    or    {{ cached(lawful_basis, basis, root) }}

which give what `{{ lawful_basis(basis, root) }}` gives, made the first time and kept (the filter is
the cheaper to call).

The markup is kept with the very objects it was made from: the component (a macro, made again
when its template changes and the preview reloads it) and the register entry (made again when
its file changes), each checked by identity when the markup is found; other arguments (text, a
number) are kept by value. So a changed template or register never gets an old fragment (not even
from an object that took the id of one gone), and a fragment goes when its component or entry goes. The
components of templates/components/ see only their arguments (they are imported without context),
so the same arguments give the same markup.

Markdown prose goes through the `markdown` and `markdown_inline` filters, which are cheaper for a
template to call than a function, and keep each text's HTML too (see markdown.py); its `law:` links are
written out from the register first (lawlinks.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from . import markdown
from .lawlinks import SCHEME, acts_by_id, status_words, with_law_links

if TYPE_CHECKING:
    from ..content.schema import Act


class Fragments:
    """The components' markup, by the very objects it was made from, for as long as those objects live."""

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[Markup, weakref.ref[Any], weakref.ref[Any]]] = {}

    def cached(self, component: Callable[..., Markup], entry: object, *more: Hashable) -> Markup:
        """`{{ cached(component, entry, *more) }}`: component(entry, *more), made once.

        `entry` is kept by identity (a register entry: its model is not compared field by field).
        """
        return self.cached_entry(entry, component, *more)

    def cached_entry(self, entry: object, component: Callable[..., Markup], *more: Hashable) -> Markup:
        """`{{ entry | cached(component, *more) }}`: the same as `{{ cached(component, entry, *more) }}`.

        A template calls a filter directly, and a function through its context, which costs more than
        finding the kept markup: a notice page shows a few dozen entries.
        """
        key = (id(component), id(entry), more)
        try:
            kept = self._made.get(key)
        except TypeError:  # an argument that cannot be a key (a list): made each time
            return component(entry, *more)
        # The very objects, not others that took their ids: each kept markup names what it was made of.
        if kept is not None and kept[2]() is entry and kept[1]() is component:
            return kept[0]
        made = component(entry, *more)
        self._keep(key, made, component, entry)
        return made

    def _keep(self, key: Hashable, made: Markup, component: object, entry: object) -> None:
        """Keep `made` until the component or the entry goes (an object that cannot be watched, text or
        a number: nothing kept)."""
        def forget(_: weakref.ref[Any]) -> None:
            self._made.pop(key, None)

        try:
            self._made[key] = (made, weakref.ref(component, forget), weakref.ref(entry, forget))
        except TypeError:
            return


@jinja2.pass_context
def markdown_block(context: jinja2.runtime.Context, text: str | None) -> Markup:
    """`{{ text | markdown }}`: paragraphs and lists, with `notice:` links relative to the page's `root`."""
    return as_markup(markdown.render_block(_laws_written_out(context, text or ""), context["root"]))


@jinja2.pass_context
def markdown_inline(context: jinja2.runtime.Context, text: str | None) -> Markup:
    """`{{ text | markdown_inline }}`: one line of Markdown, without a paragraph around it."""
    return as_markup(markdown.render_inline(_laws_written_out(context, text or ""), context["root"]))


def _laws_written_out(context: jinja2.runtime.Context, text: str) -> str:
    """The text with its `law:` links written out from the page's site's register (lawlinks.py)."""
    if SCHEME not in text:
        return text  # nearly all prose
    site = context.get("site")
    return with_law_links(text, acts_by_id(site)) if site is not None else text


@jinja2.pass_context
def law_status(context: jinja2.runtime.Context, act: Act) -> str:
    """`{{ act | law_status }}`: what became of a law no longer in force ('' for one in force)."""
    site = context.get("site")
    return status_words(act, acts_by_id(site) if site is not None else {})


def as_markup(html: str) -> Markup:
    """Markup(html) for a `str`, sooner: Markup() first asks its argument for an `__html__`, which a
    str has not (a page makes some forty)."""
    return str.__new__(Markup, html)
