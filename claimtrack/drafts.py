"""Turning what the user typed into validated drafts and patches for the store."""

from __future__ import annotations

from claimtrack import dates, names
from claimtrack.dates import DateSettings, PartialDate
from claimtrack.errors import ClaimtrackError
from claimtrack.model import KINDS, ClaimDraft, ClaimPatch, SourceDraft
from claimtrack.urls import check_url


def check_kind(kind: str) -> str:
    """A claim kind, lower-cased, or an error listing the kinds."""
    value = kind.strip().lower()
    if value not in KINDS:
        raise ClaimtrackError(f"'{kind}' is not a kind. Use one of: {', '.join(KINDS)}.")
    return value


def said_and_published(
    said: str | None, published: str | None, settings: DateSettings, published_base: PartialDate | None = None
) -> tuple[PartialDate | None, PartialDate | None]:
    """Parse the two dates of a claim: relative said-dates count from the publication date."""
    published_date = dates.parse(published, None, settings) if published else None
    base = published_date or published_base
    said_date = dates.parse(said, base, settings) if said else None
    return said_date, published_date


def said_reader(said: str | None, settings: DateSettings):
    """How to read --said once the publication date it counts from is known (None without --said)."""
    said = names.clean_optional(said)
    if not said:
        return None
    return lambda published: dates.parse(said, published, settings)


def new_source(
    url: str | None, outlet: str | None, title: str | None, published: str | None, settings: DateSettings,
    *, url_required: bool = False, archived_url: str | None = None,
) -> SourceDraft:
    """A validated SourceDraft from the --url/--source, --outlet, --title, --published and --archived-url
    options."""
    url = names.clean_optional(url)
    if url_required and not url:
        raise ClaimtrackError("The URL is empty. Give the address of the page with --url.")
    published = names.clean_optional(published)
    archived_url = names.clean_optional(archived_url)
    if archived_url and not url:
        raise ClaimtrackError("--archived-url is the archived copy of a page: give the page too (--source URL).")
    if archived_url and url and check_url(archived_url).strip() == url.strip():
        raise ClaimtrackError("--archived-url is the page's own address. Give the address of its archived copy "
                              "(e.g. https://web.archive.org/web/2024.../the-page), or leave it out.")
    return SourceDraft(
        url=check_url(url) if url else None,
        outlet=names.clean_optional(outlet),
        title=names.clean_optional(title),
        published=dates.parse(published, None, settings) if published else None,
        archived_url=check_url(archived_url) if archived_url else None,
    )


def new_claim(
    text: str,
    speaker: str,
    *,
    settings: DateSettings,
    kind: str = "quote",
    role: str | None = None,
    said: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: str | None = None,
    tags: list[str] | None = None,
    context: str | None = None,
    note: str | None = None,
    archived_url: str | None = None,
) -> ClaimDraft:
    """A validated ClaimDraft from the options of `claimtrack add`."""
    source = new_source(url, outlet, title, published, settings, archived_url=archived_url)
    said = names.clean_optional(said)
    return ClaimDraft(
        text=names.clean(text, "text"),
        speaker=names.clean(speaker, "speaker"),
        kind=check_kind(kind),
        role=names.clean_optional(role),
        said=dates.parse(said, source.published, settings) if said else None,
        source=source,
        tags=tuple(dict.fromkeys(names.tag_name(tag) for tag in tags or ())),
        context=names.clean_optional(context),
        note=names.clean_optional(note),
    )


def claim_patch(
    *,
    settings: DateSettings,
    current_published: PartialDate | None,
    text: str | None = None,
    speaker: str | None = None,
    kind: str | None = None,
    role: str | None = None,
    said: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: str | None = None,
    context: str | None = None,
    note: str | None = None,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
) -> ClaimPatch:
    """A validated ClaimPatch from the options of `claimtrack edit`: None means not given, "" clears."""
    changes: dict = {}
    if text is not None:
        changes["text"] = names.clean(text, "text")
    if speaker is not None:
        changes["speaker"] = names.clean(speaker, "speaker")
    if kind is not None:
        changes["kind"] = check_kind(kind)
    for name, value in (("role", role), ("outlet", outlet), ("title", title), ("context", context), ("note", note)):
        if value is not None:
            changes[name] = names.clean_optional(value)
    if url is not None:
        changes["url"] = check_url(url) if url.strip() else None
    said_date, published_date = said_and_published(
        names.clean_optional(said), names.clean_optional(published), settings, current_published
    )
    if said is not None:
        changes["said"] = said_date
    if published is not None:
        changes["published"] = published_date
    add = tuple(dict.fromkeys(names.tag_name(tag) for tag in add_tags or ()))
    remove = tuple(dict.fromkeys(names.tag_name(tag) for tag in remove_tags or ()))
    if not changes and not add and not remove:
        raise ClaimtrackError("Nothing to change. Give at least one option, e.g. --text, --said or --tag.")
    return ClaimPatch(**changes, add_tags=add, remove_tags=remove)

