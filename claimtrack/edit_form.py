"""The form `claimtrack edit ID` opens in an editor: a claim as `field: value` lines and its text as a block.

Pure functions: a claim's values become the form's text and back, and two readings of the form become the
changes between them. Only what the person changed is applied, so comparing against the form as first
written (not against the stored values) means a field nobody touched can never change.

The form, line by line:

- `#` lines before the `text:` line are comments, ignored;
- `field: value`, one a line; an empty value clears the field; a line left out leaves it as it is;
- a value goes on over the lines after it that begin with a space or a tab (one is taken off each);
- tags are separated by commas; a tag with a comma or a double quote is written in double quotes, as in CSV;
- everything after the `text:` line is the text, exactly as written: lines that begin with `#` or look
  like `field: value` there are part of the text.
"""

from __future__ import annotations

import csv

from claimtrack import names
from claimtrack.errors import ClaimtrackError

# The fields of the form, in order; "text" is the block that ends it.
FIELDS = ("kind", "speaker", "role", "said", "url", "outlet", "title", "published", "tags", "context", "note")
TEXT = "text"
HEADER = """\
# Editing claim {claim_id}. Change what you need, save, and close the editor: what changed is applied as one edit.
# Lines that begin with # are ignored (above the text: line). An empty value clears a field.
# A value goes on over the lines below it that begin with a space. Tags are separated by commas.
# said and published are read as --said and --published are; a relative said date counts from published.
# Everything below the text: line is the text, exactly as written.
# To change nothing, save the form as it is, or quit the editor without saving.
"""
# The lines a form that could not be applied starts with when it is opened again.
ERROR_MARK = "# Error: "


def claim_values(claim) -> dict:
    """The form's values of a Claim: every field and the text, as text."""
    return {
        "kind": claim.kind,
        "speaker": claim.speaker,
        "role": claim.role or "",
        "said": claim.said.describe() if claim.said else "",
        "url": claim.source_url or "",
        "outlet": claim.outlet or "",
        "title": claim.title or "",
        "published": claim.published.describe() if claim.published else "",
        "tags": list(claim.tags),
        "context": claim.context or "",
        "note": claim.note or "",
        TEXT: claim.text,
    }


def render(values: dict, claim_id: int | str = "") -> str:
    """The form for VALUES (as claim_values gives them), with the comment lines that explain it."""
    lines = [HEADER.format(claim_id=claim_id).rstrip("\n")]
    for field in FIELDS:
        value = tags_line(values[field]) if field == "tags" else values[field]
        first, *more = value.split("\n")
        lines.append(f"{field}: {first}" if first else f"{field}:")
        lines.extend(f" {line}" for line in more)
    lines.append(f"{TEXT}:")
    lines.append(values[TEXT])
    return "\n".join(lines) + "\n"


def tags_line(tags: list[str]) -> str:
    """Tags as one line, separated by commas; one with a comma or a double quote quoted as CSV does."""
    return ", ".join(f'"{tag.replace(chr(34), chr(34) * 2)}"' if ("," in tag or '"' in tag) else tag for tag in tags)


def parse(form: str) -> dict:
    """The values a form gives: only the fields it has lines for, each stripped; tags as a list.

    A line that is not a comment, a `field: value` or the continuation of one is an error naming the line;
    so is an unknown field or one given twice.
    """
    parts: dict[str, list[str]] = {}
    current = None
    lines = form.split("\n")
    text = None
    for number, line in enumerate(lines, start=1):
        if current is not None and line[:1] in (" ", "\t"):
            parts[current].append(line[1:])
            continue
        if line.startswith("#") or not line.strip():
            if current is not None and not line:
                # An empty line inside a value: an editor that trims trailing spaces made it of " ".
                parts[current].append("")
            continue
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if not colon or not name:
            raise ClaimtrackError(
                f"Line {number} of the form is not 'field: value': '{_short(line)}'. "
                "Begin a line that goes on from the one above with a space."
            )
        if name == TEXT:
            first = value[1:] if value.startswith(" ") else value
            text = "\n".join(([first] if first.strip() else []) + lines[number:])
            break
        if name not in FIELDS:
            raise ClaimtrackError(
                f"Line {number} of the form: '{_short(name)}' is not a field. The fields are: "
                f"{', '.join(FIELDS)} and {TEXT}."
            )
        if name in parts:
            raise ClaimtrackError(f"Line {number} of the form gives {name} a second time. Keep one {name} line.")
        current = name
        parts[name] = [value[1:] if value.startswith(" ") else value]
    values: dict = {name: "\n".join(lines_of).strip() for name, lines_of in parts.items()}
    if "tags" in values:
        values["tags"] = parse_tags(values["tags"])
    if text is not None:
        values[TEXT] = text.strip()
    return values


def parse_tags(line: str) -> list[str]:
    """The tags of a tags line, as stored (trimmed, lower-case), each once and in order."""
    try:
        rows = list(csv.reader([line.replace("\n", " ").replace("\r", " ")], skipinitialspace=True))
    except csv.Error as error:
        raise ClaimtrackError(f"Cannot read the tags line of the form: {error}. Separate tags by commas.") from None
    items = rows[0] if rows else []
    return list(dict.fromkeys(names.tag_name(item) for item in items if item.strip()))


def changes(before: dict, after: dict) -> dict:
    """The keyword arguments of drafts.claim_patch for what differs between two readings of the form.

    A field AFTER leaves out is unchanged; tags become the ones to add and the ones to remove.
    """
    patch: dict = {}
    for field in (*FIELDS, TEXT):
        if field not in after or after[field] == before.get(field):
            continue
        if field == "tags":
            old, new = before.get("tags", []), after["tags"]
            added = [tag for tag in new if tag not in old]
            removed = [tag for tag in old if tag not in new]
            if added:
                patch["add_tags"] = added
            if removed:
                patch["remove_tags"] = removed
        else:
            patch[field] = after[field]
    return patch


def with_error(form: str, message: str) -> str:
    """FORM again, with MESSAGE in comment lines at the top (an earlier error's lines taken off)."""
    lines = form.split("\n")
    while lines and lines[0].startswith(("# Error: ", "#   ")):
        lines.pop(0)
    said = [ERROR_MARK + line if n == 0 else "#   " + line for n, line in enumerate(message.split("\n"))]
    return "\n".join([*said, "#   Correct it below and save again, or save it unchanged to give up.", *lines])


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
