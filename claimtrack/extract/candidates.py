"""Quotes proposed from an article: where each one is, who said it, in what role and when, and how sure.

`extract_quotes` puts quotes.py (where the quotations are) and speakers.py (who said them) together over
one article, reading it in order so that "he", "the company" and a surname alone refer back to the
speakers named before them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable

from claimtrack.dates import PartialDate
from claimtrack.extract import quotes as q
from claimtrack.extract import speakers as sp

LOW_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Candidate:
    """One quote found in an article, as a claim to propose. PIECES are (start, end) offsets into the
    article's text, each the words inside one pair of marks; QUOTE is them joined by single spaces."""

    quote: str
    pieces: tuple[tuple[int, int], ...]
    speaker: str | None
    role: str | None
    said: PartialDate | None
    confidence: float
    sentence: str
    paragraph: int

    def to_record(self) -> dict:
        """The quote as an import record (claimtrack.interchange), with its confidence and sentence added."""
        return {
            "kind": "quote",
            "text": self.quote,
            "speaker": self.speaker,
            "role": self.role,
            "said_on": self.said.value if self.said else None,
            "said_precision": self.said.precision if self.said else None,
            "said_text": self.said.text if self.said else None,
            "said_approximate": self.said.approximate if self.said else None,
            "said_qualifier": self.said.qualifier if self.said else None,
            "confidence": round(self.confidence, 2),
            "sentence": self.sentence,
        }


def said_date(sentence: str, published: PartialDate | None) -> PartialDate | None:
    """The date SENTENCE gives for a statement, read by claimtrack.extract.when when it is there."""
    try:
        from claimtrack.extract.when import said_date as read
    except ImportError:
        return None
    try:
        return read(sentence, published)
    except Exception:  # noqa: BLE001 - a date that cannot be read is no reason to lose the quote
        return None


_LABELLING = re.compile(r"\b(?:a|an|the|of|as|called|dubbed|named|so-called|its|his|her|their|our|this|these|"
                        r"those|what|for|by|with|into)\s*$", re.I)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"“”’']?\s+(?=[\"“”‘'(]?[A-Z0-9])")
_ABBREVIATION = sp.ABBREVIATION


class _Reader:
    """One article's text, read once: paragraphs, sentence starts, names and attributions in order."""

    def __init__(self, text: str, known: Callable[[str], str | None] | None):
        self.text = text
        self.known = known
        self.spans = q.paragraphs(text)
        self.starts = [s for s, _ in self.spans]
        self.mentions = sp.mentions(text)
        self.mention_at = [m[0] for m in self.mentions]
        self.events: list[tuple[int, str, str, str | None, int]] = []  # (at, name, kind, role, paragraph)
        self.boundaries = sorted({s for s, _ in self.spans} | {m.end() for m in _BOUNDARY.finditer(text)
                                                               if not _ABBREVIATION.search(text[:m.start()])})
        self._read_attributions()

    def paragraph_of(self, at: int) -> int:
        """The index of the paragraph holding offset AT."""
        return max(0, bisect.bisect_right(self.starts, at) - 1)

    def sentence_start(self, at: int) -> int:
        """Where the sentence holding offset AT begins (never before its paragraph)."""
        i = bisect.bisect_right(self.boundaries, at) - 1
        start = self.boundaries[i] if i >= 0 else 0
        return max(start, self.spans[self.paragraph_of(at)][0] if self.spans else 0)

    def sentence(self, at: int) -> str:
        """The sentence holding offset AT."""
        start = self.sentence_start(at)
        i = bisect.bisect_right(self.boundaries, at)
        end = self.boundaries[i] if i < len(self.boundaries) else len(self.text)
        para_end = self.spans[self.paragraph_of(at)][1] if self.spans else len(self.text)
        return self.text[start: min(end, para_end)].strip()

    def _read_attributions(self) -> None:
        """Every "X said" of the article (quoted or not) in order, so later pronouns and surnames resolve."""
        for verb in sp.VERB_RE.finditer(self.text):
            start = self.sentence_start(verb.start())
            if verb.group() == "according to":
                found = sp.speaker_after(self.text[verb.end(): verb.end() + 120], verb.start())
            else:
                found = sp.subject_before(self.text[start: verb.start()], verb.start())
            if found:
                self.note(found)

    def note(self, attribution: sp.Attribution) -> tuple[str | None, str, str | None]:
        """Resolve ATTRIBUTION and remember its speaker as the last one named; (speaker, kind, role)."""
        name, kind, role = self.resolve(attribution)
        if name:
            event = (attribution.at, name, kind, role, self.paragraph_of(attribution.at))
            if event not in self.events:
                bisect.insort(self.events, event, key=lambda e: e[0])
        return name, kind, role

    def _earlier(self, at: int):
        """Events and mentions before AT, nearest first."""
        i = bisect.bisect_left(self.events, at, key=lambda e: e[0])
        j = bisect.bisect_left(self.mention_at, at)
        return self.events[:i][::-1], self.mentions[:j][::-1]

    def resolve(self, a: sp.Attribution) -> tuple[str | None, str, str | None]:
        """The speaker an attribution stands for: (canonical name or None, kind, role)."""
        events, mentions = self._earlier(a.at)
        if a.form == "name":
            return self._name(a.words, a.role, a.at)
        if a.form == "role":
            return a.words, "person", a.role
        if a.form == "pronoun":
            kind = sp.PRONOUNS[a.words]
            for _, name, k, role, _ in events:
                if k == kind:
                    return name, k, role
            for _, name, k, _ in mentions:
                if k == kind and (kind == "organisation" or len(name.split()) > 1):
                    return self._name(name, None, a.at)
            return None, kind, a.role
        # "the commission": the last organisation whose name has that word, else the last one named.
        word = a.words if a.form == "anaphor" else None
        if word:
            for _, name, k, role, _ in events:
                if word in name.lower().split()[:1] + name.lower().split()[-1:]:
                    return name, k, role
            if word not in sp.ANAPHOR_NOUNS:
                return word, "person", a.role
            for _, name, k, role, _ in events:
                if k == "organisation" and word in name.lower().split():
                    return name, k, role
            for _, name, k, _ in mentions:
                if k == "organisation" and word in name.lower().split():
                    return name, k, None
        for _, name, k, role, _ in events:
            if k == "organisation":
                return name, k, role
        for pick_subjects in (True, False):
            for _, name, k, subject in mentions:
                if k == "organisation" and (subject or not pick_subjects):
                    return name, k, None
        return None, "organisation", None

    def _name(self, words: str, role: str | None, at: int) -> tuple[str | None, str, str | None]:
        """A name as the article first gives it in full: "Zhou" -> "Zhou Hongyi"; its role if known."""
        words = re.sub(r"^(?:the|The)\s+", "", words.strip())
        words = re.sub(r"['’]s$", "", words)
        name = words
        if len(words.split()) == 1:
            key = words.lower()
            for pool in (self._earlier(at)[1], self.mentions):
                full = next((m[1] for m in pool if len(m[1].split()) > 1 and m[2] == "person"
                             and key in m[1].lower().split()), None)
                if full:
                    name = full
                    break
            else:
                # "Corvid" after "Corvid Systems": an organisation by the first word of its full name.
                name = next((m[1] for m in self.mentions if m[2] == "organisation" and len(m[1].split()) > 1
                             and m[1].split()[0].lower() == key), None) or next(
                    (" ".join(m[1].split()[1:]) for m in self.mentions if m[2] == "organisation"
                     and len(m[1].split()) > 2 and m[1].split()[1].lower() == key), words)
        kind = sp.kind_of(name) if name == words else sp.kind_of(name) if len(name.split()) > 1 and \
            sp.kind_of(name) == "organisation" else "person"
        if self.known:
            known = self.known(name)
            if known:
                name = known
        if role is None:
            role = next((e[3] for e in self.events if e[1] == name and e[3]), None)
        return name, kind, role


def _gap_is_attribution(text: str, start: int, end: int) -> bool:
    """Whether TEXT[START:END], between two quoted pieces, is only their attribution ('," Raman said. "')."""
    gap = text[start:end]
    if len(gap.split()) > 30 or not sp.VERB_RE.search(gap):
        return False
    inner = gap.strip().rstrip(".,:;—– ")
    ends = [m for m in re.finditer(r"[.!?]\s+[A-Z]", inner) if not sp.ABBREVIATION.search(inner[: m.start() + 1])]
    return not ends and not any(m in gap for m in q.DOUBLE_MARKS)


def _units(text: str, spans: list[tuple[int, int]], skip: set[int]) -> list[list[q.Piece]]:
    """Quoted pieces, a quote running over paragraphs (each reopened with a mark) as one unit."""
    units: list[list[q.Piece]] = []
    for index, (start, end) in enumerate(spans):
        if index in skip:
            continue
        pieces = q.quoted_pieces(text, start, end, index)
        for k, piece in enumerate(pieces):
            previous = units[-1][-1] if units else None
            if (k == 0 and previous is not None and not previous.closed and previous.paragraph == index - 1
                    and q.starts_with_mark(text, start, end)):
                units[-1].append(piece)
            else:
                units.append([piece])
    return units


def extract_quotes(text: str, *, published: PartialDate | None = None,
                   known_speakers: Callable[[str], str | None] | None = None) -> list[Candidate]:
    """Every attributed quote of an article's plain TEXT, in the order they appear."""
    if not isinstance(text, str) or not text.strip():
        return []
    article = _Reader(text, known_speakers)
    labels = q.transcript_labels(text, article.spans)
    answers = q.transcript_pieces(text, article.spans, labels) if labels else []
    answered = {p.paragraph for answer in answers for p in answer}
    found = []
    units = _units(text, article.spans, answered)
    attributed = [_attribute(article, unit) for unit in units]
    merged: list[tuple[list[q.Piece], tuple]] = []
    for unit, attribution in zip(units, attributed):
        if merged:
            last_unit, last_attribution = merged[-1]
            tail = last_unit[-1]
            if (tail.closed and tail.paragraph == unit[0].paragraph
                    and _gap_is_attribution(text, tail.close, unit[0].open)
                    and (attribution[0] is None or attribution[2] >= 0.85 and attribution[1] == last_attribution[1]
                         or attribution[2] < 0.85)):
                merged[-1] = (last_unit + unit, last_attribution)
                continue
        merged.append((unit, attribution))
    for unit, (attribution, speaker, confidence, kind, role) in merged:
        quote = " ".join(text[p.start: p.end] for p in unit)
        if not quote.strip():
            continue
        direct = confidence >= 0.85
        if q.words(quote) <= 2 and not direct or q.looks_like_title(quote) and not direct:
            continue
        if q.words(quote) <= 3 and _LABELLING.search(text[max(0, unit[0].open - 20): unit[0].open]):
            continue  # 'a "hundred-model war"', 'the "AI Plus" initiative': a name for something, not a claim
        found.append(_candidate(article, unit, quote, attribution, speaker, confidence, role, published))
    for answer in answers:
        candidate = _answer(article, answer, labels, published)
        if q.words(candidate.quote) > 2:  # "Thank you." closes an interview; it is no claim
            found.append(candidate)
    found.sort(key=lambda c: c.pieces[0])
    return found


def _attribute(article: _Reader, unit: list[q.Piece]):
    """(attribution, speaker, confidence, kind, role) for a unit of quoted pieces."""
    text = article.text
    first = unit[0]
    para_start, para_end = article.spans[first.paragraph]
    candidates = []
    for piece in unit:
        if piece.closed:
            limit = text.find("\n", piece.close, para_end)
            limit = para_end if limit < 0 else limit
            nxt = min((text.find(m, piece.close, limit) for m in q.DOUBLE_MARKS if text.find(m, piece.close, limit) >= 0),
                      default=limit)
            after = sp.attribution_after(text[piece.close: nxt], piece.close)
            if after:
                candidates.append((after, 0.9))
                break
        if piece is first:
            head = sp.attribution_before(text[article.sentence_start(first.open): first.open],
                                         article.sentence_start(first.open))
            if head:
                candidates.append((head, 0.9))
                break
    if not candidates:
        earlier = sp.attribution_before(text[para_start: first.open], para_start)
        if earlier:
            candidates.append((earlier, 0.8))
    if not candidates and first.paragraph > 0:
        # A quote with no attribution of its own, as a paragraph opens: the speaker last named before it.
        previous = [e for e in article.events if e[0] < first.open and e[4] >= first.paragraph - 1]
        if previous:
            at, name, kind, role, _ = previous[-1]
            return sp.Attribution("name", name, role, at), name, 0.7, kind, role
        _, mentions = article._earlier(first.open)
        for at, name, kind, _ in mentions:
            if kind == "person" and len(name.split()) > 1 and article.paragraph_of(at) >= first.paragraph - 1:
                return sp.Attribution("name", name, None, at), name, 0.6, kind, None
    if not candidates:
        return None, None, LOW_CONFIDENCE, None, None
    attribution, confidence = candidates[0]
    speaker, kind, role = article.note(attribution)
    if speaker is None:
        return attribution, None, LOW_CONFIDENCE, kind, None
    if attribution.form in ("pronoun", "anaphor", "document"):
        confidence -= 0.05
    return attribution, speaker, confidence, kind, role


_QUOTED = re.compile("[" + q.DOUBLE_MARKS + "][^" + q.DOUBLE_MARKS + "]*[" + q.DOUBLE_MARKS + "]?")


def _blank(sentence: str) -> str:
    """SENTENCE with its quoted words replaced by spaces, so a date inside a quote is not the statement's."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), sentence)


def _date(article: _Reader, attribution: sp.Attribution | None, speaker: str | None, paragraph: int,
          published: PartialDate | None) -> PartialDate | None:
    """The date of the attribution's sentence, else of the same speaker's statement just before it."""
    if attribution is None:
        return None
    said = said_date(_blank(article.sentence(attribution.at)), published)
    if said or not speaker:
        return said
    for at, name, _, _, index in reversed(article.events):
        if at < attribution.at and name == speaker and index >= paragraph - 1:
            said = said_date(_blank(article.sentence(at)), published)
            if said:
                return said
    return None


def _candidate(article, unit, quote, attribution, speaker, confidence, role, published) -> Candidate:
    """A Candidate for quoted pieces and what was found about them."""
    text = article.text
    first = unit[0]
    if len(unit) > 1 or not first.closed:
        start, end = article.spans[first.paragraph]
        sentence = text[start:end]
    else:
        sentence = article.sentence(first.start)
    said = _date(article, attribution, speaker, first.paragraph, published)
    return Candidate(quote, tuple((p.start, p.end) for p in unit), speaker, role, said, confidence, sentence,
                     first.paragraph)


def _answer(article: _Reader, answer: list[q.Piece], labels, published) -> Candidate:
    """A transcript's answer: 'A:' stands for the person interviewed (the first person the article names),
    any other label for the speaker it names."""
    text = article.text
    label = answer[0].label or ""
    quote = " ".join(text[p.start: p.end] for p in answer)
    first_label = min(labels)
    intro_end = article.spans[first_label][0]
    speaker, role, confidence, said = None, None, LOW_CONFIDENCE, None
    if label.upper() in ("A", "ANSWER"):
        people = [m[1] for m in article.mentions if m[2] == "person" and len(m[1].split()) > 1 and m[0] < intro_end
                  and q.words(text[slice(*article.spans[article.paragraph_of(m[0])])]) > 12] or \
            [m[1] for m in article.mentions if m[2] == "person" and len(m[1].split()) > 1 and m[0] < intro_end]
        if people:
            # The person interviewed is the one the title and introduction name most often.
            chosen = max(people, key=lambda name: (sum(n == name or name.endswith(n) for n in people), -people.index(name)))
            speaker, _, role = article._name(chosen, None, intro_end)
            confidence = 0.75
        for start, end in article.spans[:first_label]:
            for sentence in re.split(r"(?<=[.!?])\s+", text[start:end]):
                said = said or (said_date(sentence, published)
                                if re.search(r"\b(?:spoke|interview|talked|conversation|sat down)", sentence) else None)
    else:
        speaker, _, role = article._name(label.title() if label.isupper() else label, None, answer[0].start)
        confidence = 0.8
    if speaker and article.known:
        speaker = article.known(speaker) or speaker
    start, end = article.spans[answer[0].paragraph]
    return Candidate(quote, tuple((p.start, p.end) for p in answer), speaker, role, said, confidence,
                     text[start:end], answer[0].paragraph)
