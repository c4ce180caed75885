"""An editors' rule of the check stage: a notice still holding the scaffold's "TO DO" is not finished.

`notices new` writes a notice that builds at once, with "TO DO" wherever the editor has to write
something. Each one left is a warning at its line, so `notices build --strict` (CI) will not
publish a notice that still says "TO DO" to families.
"""

from __future__ import annotations

from ..content.load import SourceFile
from ..content.messages import field_label
from ..content.resolve import Notice
from ..content.schema import NoticeBase
from ..diagnostics import Diagnostics
from .register_text import texts_of

RULE = "to-do"
PLACEHOLDER = "TO DO"
"""What `notices new` writes where the editor has something to write (generator/commands/new.py)."""


def check_placeholders(notice: Notice, source: SourceFile, diagnostics: Diagnostics) -> None:
    """Warn at each text of `notice` that still holds the placeholder."""
    content = notice.content
    assert isinstance(content, NoticeBase), "the check reads whole notices"
    if PLACEHOLDER not in content.model_dump_json():
        return  # nearly every notice: one look at all it says, not a walk through each text
    for location, text in texts_of(content.model_dump(), ()):
        if PLACEHOLDER in text:
            diagnostics.warning(
                source.path, source.position(location),
                f"{field_label(location)} still says '{PLACEHOLDER}': the notice is not finished [{RULE}]",
                f"replace the '{PLACEHOLDER}' text with what the notice should say, or delete the line",
                rule=RULE)
