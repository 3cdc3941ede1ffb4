"""Who said a quote: the attribution beside it ("X said", "said X, the founder of Y", "according to X",
"X reads:"), and what a pronoun, "the company" or a surname alone refers back to.

Attributions are read as plain English patterns around a reporting verb, with no language model: the
subject before the verb (a name, a pronoun, "the commission", "an Nvidia spokesperson") or the speaker
after it ("said Maya Lindqvist, a spokeswoman for OpenAI"), an apposition giving the role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack import names

_VERB_WORDS = """said says say told tells added adds wrote writes argued argues warned warns urged urges noted notes
insisted insists stressed stresses stated states explained explains expressed emphasised emphasized emphasises
emphasizes declared declares announced announces predicted predicts claimed claims asked asks replied replies
recalled recalls conceded concedes acknowledged acknowledges admitted admits observed observes commented comments
continued continues remarked remarks suggested suggests believes thinks cautioned cautions promised promises
pledged pledges vowed vows countered counters agreed agrees concluded concludes maintained maintains contended
contends tweeted posted reads read calling called describing described saying adding telling writing
estimated estimates proposed proposes mentioned mentions answered answers responded responds
exclaimed exclaims complained complains boasted boasts joked jokes quipped quips declared""".split()
VERB = (r"(?:pointed out|points out|according to|went on|goes on|" + "|".join(sorted(set(_VERB_WORDS), key=len,
                                                                                          reverse=True)) + r")")
VERB_RE = re.compile(rf"\b{VERB}\b")
# Verbs after which the speaker may follow ("said Maya Lindqvist"); never "told" (its object is the listener).
INVERTING = re.compile(r"^(?:said|says|added|adds|wrote|writes|asked|asks|continued|continues|explained|"
                       r"explains|noted|notes|recalled|recalls|warned|warns|argued|argues|insisted|insists|"
                       r"replied|replies|according to|stated|states|concluded|countered|cautioned)$")
PRONOUNS = {"he": "person", "she": "person", "it": "organisation", "they": "organisation"}
ANAPHOR_NOUNS = set("""company firm watchdog commission ministry regulator group agency department government
bank start-up startup maker giant lab laboratory institute university council committee bureau office
authority administration organisation organization association body court party board chipmaker
developer platform""".split())
DOCUMENT_NOUNS = set("""report note statement post section document paper filing study release letter blog
survey memo notice announcement circular guideline guidelines plan website""".split())
TITLE_WORDS = set("""secretary minister president deputy chairman chairwoman chair director professor prof
prof. dr dr. mr mr. mrs mrs. ms ms. senator sen. rep. representative governor gov. chief executive officer ceo
cto cfo coo premier vice commissioner spokesperson spokesman spokeswoman analyst judge justice general gen.
mayor ambassador founder co-founder chancellor king queen prince pope sheikh lord dame sir councilmember
councillor councilor councilman councilwoman superintendent expert commentator trustee inspector supervisor
alderman assemblymember delegate lawmaker coach captain officer sergeant detective attorney""".split())
PARTICIPLES = {"calling", "called", "describing", "described", "saying", "adding", "telling", "writing"}
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord"}
_CONNECTORS = {"of", "and", "for", "de", "van", "von", "bin", "al", "la", "le", "da", "du", "der", "&"}
_NOT_NAMES = set("""the a an in on at but and not it he she they we i this that his her their its our according
when after before as if most many some while if although though yet so then still also even now however for
with by from to one two three reporter reporters q a. mr ms""".split())
_TIME_WORDS = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
                         r"april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|"
                         r"jul|aug|sep|sept|oct|nov|dec|today|yesterday|tonight|morning|afternoon|evening|week|"
                         r"month|year|weekend|\d+(?:st|nd|rd|th)?)\b", re.I)
_TRAILING_TIME = re.compile(r"(?:,?\s+(?:on|in|at|during|earlier|later|last|this|early|late|over|by)\b[^,;\"“”]{0,40}"
                            r"|,\s*[^,]{0,30}\b(?:on|in)\s[^,]{0,30},)$")
_TRAILING_ADVERB = re.compile(r"\s+(?:also|later|then|further|previously|recently|has|had|have|was|were|is|once|"
                              r"again|repeatedly|separately|similarly|reportedly|publicly|privately|earlier|"
                              r"first|often|would|will|had|who|simply|flatly|bluntly|quickly|just|long|"
                              r"himself|herself|itself|always|never|once|still|even)$", re.I)
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Prof|Inc|Corp|Co|Ltd|No|Jan|Feb|Mar|"
                          r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|U\.S|U\.K|[A-Z])\.)[\"“”’']?$")
_TOKEN = re.compile(r"[\w’'.&-]+")
# A run of capitalised words, which may be broken over a line of hard-wrapped text.
NAME_RE = re.compile(r"[A-Z](?:[\w’'&-]|\.(?=[A-Z]))*(?:(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
                     r"(?:(?:of|and|for|de|van|von|bin|al|&)[ \t]+)?[A-Z](?:[\w’'&-]|\.(?=[A-Z]))*)*")


@dataclass(frozen=True)
class Attribution:
    """A speaker as the text names them: FORM is 'name', 'pronoun', 'anaphor' (the company), 'document'
    (the report) or 'role' (an unnamed person by role); ROLE from an apposition; AT where the verb is."""

    form: str
    words: str
    role: str | None
    at: int


def is_capitalised(token: str) -> bool:
    """Whether TOKEN starts with a capital letter or a digit followed by a capital (360 Security)."""
    return bool(token) and (token[0].isupper() or (token[0].isdigit() and len(token) > 1 and not token.isdigit()))


def clean_role(role: str | None) -> str | None:
    """An apposition as a role: no leading article, no relative clause, no dangling punctuation."""
    if not role:
        return None
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip(" ,.;:"), flags=re.I)
    if not role or role.split()[0].lower() in ("who", "which", "whose", "where"):
        return None
    role = re.split(r"\s+(?:who|which|whose)\s", role)[0]
    return role


def split_title(tokens: list[str]) -> tuple[str, str | None]:
    """A capitalised run as (name, role): "U.S. Commerce Secretary Gina Raimondo" -> the name and the title."""
    last = -1
    for i, token in enumerate(tokens[:-1]):
        if token.lower() in TITLE_WORDS:
            last = i
    if "of" in tokens[1:-1] and last < 0:
        cut = tokens.index("of")
        if cut >= 2 and kind_of(" ".join(tokens[:cut])) == "person":
            return " ".join(tokens[:cut]), None  # "Tadesse Bekele of Ethiopia"
    if last < 0:
        return " ".join(tokens), None
    title = [t for t in tokens[: last + 1] if t.lower() not in HONORIFICS]
    return " ".join(tokens[last + 1:]), (" ".join(title) or None)


def trailing_name(text: str) -> tuple[list[str], str] | None:
    """The capitalised run TEXT ends with, and the text before it; None when TEXT ends otherwise."""
    tokens = list(_TOKEN.finditer(text))
    if not tokens or text[tokens[-1].end():].strip():
        return None
    run = []
    i = len(tokens) - 1
    while i >= 0:
        word = tokens[i].group()
        if is_capitalised(word) and (not run or not re.search(r"['’]s$", word)):
            run.insert(0, tokens[i])
        elif word.lower() in _CONNECTORS and run and i > 0 and is_capitalised(tokens[i - 1].group()):
            run.insert(0, tokens[i])
        else:
            break
        i -= 1
    while run and (run[0].group().lower() in _NOT_NAMES or run[0].group().lower() in _CONNECTORS):
        run.pop(0)
    if not run:
        return None
    return [t.group() for t in run], text[: run[0].start()]


def subject_before(left: str, at: int) -> Attribution | None:
    """The subject that LEFT (the text before a reporting verb) ends with, with an apposition's role."""
    s = left.rstrip()
    for _ in range(4):
        before = s
        s = _TRAILING_ADVERB.sub("", s).rstrip()
        time = _TRAILING_TIME.search(s)
        if time and _TIME_WORDS.search(time.group()) or time and re.search(r"\b(?:post|statement|interview|"
                                                                             r"briefing|email|podcast)\b", time.group()):
            s = s[: time.start()].rstrip()
        if s == before:
            break
    role = None
    if s.endswith(","):
        inner = s[:-1]
        cut = inner.rfind(",")
        if cut > 0:
            role, s = inner[cut + 1:].strip(), inner[:cut].rstrip()
            found = trailing_name(role)
            if found and not found[1].strip() and not trailing_name(s):
                # "Wen's co-founder, Luo Bin, says": the apposition is the name.
                s, role = role, s[s.rfind(",") + 1:] if "," in s else s
    pronoun = re.search(r"(?:^|\s)(he|she|it|they)$", s, re.I)
    if pronoun:
        return Attribution("pronoun", pronoun.group(1).lower(), clean_role(role), at)
    found = trailing_name(s)
    if found:
        tokens, rest = found
        if not re.search(r"\b(?:of|for|at|from|with|to|by|in|on|about|than|like)\s*$", rest, re.I) and (
                len(tokens) > 1 or not re.search(r"['’]s\s*$", rest)):
            name, title = split_title(tokens)
            return Attribution("name", name, clean_role(role) or title, at)
    return noun_phrase(s, role, at)


def noun_phrase(s: str, role: str | None, at: int) -> Attribution | None:
    """An unnamed speaker: "the company", "an Nvidia spokesperson", "Meta's chief scientist", "the report"."""
    clause = re.split(r"[,;:(]\s*|\bthat\s+|\s[-–—]+\s", s)[-1].strip()
    match = None if re.match(r"[A-Z][a-z]+s\s+(?:for|of|at|from)\s", clause) else re.search(r"(?:^|\s)((?:the|a|an|one|another|this|its|their|some|many|several|other|two|three)\s+|[A-Z][\w.-]*['’]s\s+)"
                      r"((?:[\w’'.-]+\s+){0,5}[\w’'.-]+)$", clause, re.I) or re.fullmatch(r"()([A-Z][\w.-]*\s+[a-z][\w-]+)", clause)
    if not match and re.fullmatch(r"[A-Z][a-z]+s(?:\s+(?:for|of|at|from)\s+(?:the\s+)?[\w-]+){0,2}", clause):
        return Attribution("role", clause[0].lower() + clause[1:], clean_role(role), at)  # "Lawyers for the companies"
    if not match:
        return None
    article, rest = match.group(1).strip(), match.group(2)
    head = rest.split()[-1].lower()
    if article.lower() in ("the", "this", "its", "their") and (head in ANAPHOR_NOUNS or len(rest.split()) == 1 and head not in DOCUMENT_NOUNS):
        # "the company", and "the official" after "a senior administration official" was quoted
        return Attribution("anaphor", head, clean_role(role), at)
    if head in DOCUMENT_NOUNS or any(w in DOCUMENT_NOUNS for w in rest.lower().split()):
        source = re.search(r"\b(?:from|by|of)\s+(?:the\s+)?([A-Z][^,]*)$", rest)
        if source and trailing_name(source.group(1)):
            name, title = split_title(trailing_name(source.group(1))[0])
            return Attribution("name", name, None, at)
        return Attribution("document", head, None, at)
    if any(is_capitalised(w) for w in rest.split()[-1:]) and not article.endswith(("s", "’s")):
        return None
    if re.match(r"of\s+the\s", rest) and role:  # "one of the people, an executive at ..."
        return Attribution("role", clean_role(role), None, at)
    words = rest if article.lower() in ("the", "a", "an", "one", "another", "this", "its", "their", "some", "many",
                                        "several", "other", "two", "three") else \
        f"{article} {rest}"
    return Attribution("role", words, clean_role(role), at)


_AFTER_STOP = re.compile(r",|(?<!\b[A-Z])(?<!\bDr|\bMr|\bMs|\bSt|\bJr|\bSr)(?<!\bMrs|\bGen|\bSen|\bRep|\bGov)\.(?:\s|$)|;|:|\s(?:who|which|whose|on|in|at|earlier|later|last|this|during|when|after|"
                         r"before|as|adding|laughing|smiling|referring|speaking|told|while|to|via|over)\s")


def speaker_after(after: str, at: int) -> Attribution | None:
    """The speaker following an inverted verb: "said Maya Lindqvist, a spokeswoman for OpenAI."."""
    after = after.lstrip()
    pronoun = re.match(r"(he|she|it|they)\b", after, re.I)
    if pronoun:
        return Attribution("pronoun", pronoun.group(1).lower(), None, at)
    stop = _AFTER_STOP.search(after + " ")
    head = after[: stop.start()] if stop else after
    rest = after[stop.start():] if stop else ""
    role = None
    appos = re.match(r",\s*([^,.;]+?(?:\.[A-Z][^,.;]*?)*)(?:,|\.(?:\s|$)|;|$)", rest)
    if appos:
        role = appos.group(1)
    tokens = _TOKEN.findall(re.sub(r"^(?:the|The)\s+(?=[A-Z])", "", head.strip()))
    if tokens and all(is_capitalised(t) or t.lower() in _CONNECTORS for t in tokens):
        while tokens and tokens[0].lower() in _NOT_NAMES:
            tokens.pop(0)
        if tokens:
            name, title = split_title(tokens)
            return Attribution("name", name, clean_role(role) or title, at)
        return None
    np = noun_phrase(head.strip(), None, at)
    if np and np.form == "role" and re.match(r"of\s+the\s", np.words) and clean_role(role):
        return Attribution("role", clean_role(role), None, at)  # "one of the people, an executive at ..."
    if np and np.form == "role" and role and trailing_name(role) and not trailing_name(role)[1].strip():
        name, _ = split_title(trailing_name(role)[0])
        return Attribution("name", name, clean_role(np.words), at)
    if np:
        return Attribution(np.form, np.words, clean_role(role) if np.form == "role" else None, at)
    return None


def attribution_after(tail: str, offset: int) -> Attribution | None:
    """The attribution right after a quote's closing mark: '," Zhou said.' or '," said Maya Lindqvist'."""
    sentence = tail
    for end in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"“])", tail):
        if not ABBREVIATION.search(tail[: end.start()]):
            sentence = tail[: end.start()]
            break
    body = re.match(r"^[\s,.;:!?—–-]*", sentence)
    start = body.end()
    for verb in VERB_RE.finditer(sentence, start):
        between = sentence[start: verb.start()]
        if len(between.split()) > 12:
            break
        if not between.strip():
            if INVERTING.match(verb.group()):
                return speaker_after(sentence[verb.end():], offset + verb.start())
            continue
        found = subject_before(between, offset + verb.start())
        if found:
            return found
        break
    return None


def attribution_before(head: str, offset: int) -> Attribution | None:
    """The attribution in the text before a quote within its sentence: 'X, the founder of Y, said that'."""
    according = list(re.finditer(r"\b[Aa]ccording to\s+([^\"“”]+)", head))
    quoted = [m.span() for m in re.finditer(r"[\"“”„«»][^\"“”„«»]*[\"“”„«»]", head)]
    verbs = [v for v in VERB_RE.finditer(head) if not any(a < v.start() < b for a, b in quoted)]
    for verb in reversed(verbs):
        if verb.group().lower() == "according to" or verb.group() in PARTICIPLES:
            continue
        found = subject_before(head[: verb.start()], offset + verb.start())
        if found:
            return found
    for match in reversed(according):
        found = speaker_after(match.group(1), offset + match.start())
        if found:
            return found
    return None


def mentions(text: str) -> list[tuple[int, str, str, bool]]:
    """Every name the text mentions: (offset, name, kind, subject), SUBJECT when it opens a clause."""
    found = []
    for match in NAME_RE.finditer(text):
        tokens = match.group().split()
        start = match.start()
        while tokens and tokens[0].lower().strip(".,") in _NOT_NAMES | _CONNECTORS:
            start = text.index(tokens[1], start + len(tokens[0])) if len(tokens) > 1 else start
            tokens.pop(0)
        while tokens and tokens[-1].lower() in _CONNECTORS:
            tokens.pop()
        if not tokens:
            continue
        tokens[-1] = re.sub(r"['’]s?$", "", tokens[-1]).rstrip(".")
        owner = max((i for i, t in enumerate(tokens[:-1]) if re.search(r"['’]s$", t)), default=-1)
        if owner >= 0:  # "Britain's Digital Markets Office"
            start = text.index(tokens[owner + 1], start)
            tokens = tokens[owner + 1:]
        if len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) > 5:
            continue  # a dateline (WASHINGTON)
        before = text[max(0, start - 4): start]
        sentence_start = start == 0 or re.search(r"(?:[.!?]\s|\n|\s[-–—]+\s|^\s*)$", before) is not None
        if len(tokens) == 1 and sentence_start and not re.search(r"[a-z][A-Z]", tokens[0]):
            # A lone capitalised word opening a sentence is usually an ordinary word, not a name.
            follows = text[match.end(): match.end() + 14]
            if not re.match(r"\s+(?:on|in|said|says|has|is|was|will|would|did|does)\b", follows):
                continue
        if all(t.isupper() and len(t) > 1 for t in tokens) and len(tokens) > 1:
            continue  # a dateline (SAN FRANCISCO)
        name, _ = split_title(tokens)
        if not name:
            continue
        found.append((start, name, kind_of(name), sentence_start or text[start - 5: start] == "that "))
    return found


_ORG_EXTRA = set("""securities capital research ventures intelligence lab studios systems motors semiconductor
semiconductors airlines pharmaceuticals energy electronics robotics networks platforms software ai inc. corp.
co. ltd. agency department ministry commission""".split())


def kind_of(name: str) -> str:
    """'person' or 'organisation' for a name, as names.guess_speaker_kind, with business words and lone words
    (OpenAI, Nvidia: a person is named in full before a surname stands alone)."""
    if names.guess_speaker_kind(name) == "organisation":
        return "organisation"
    words = name.split()
    if any(w.lower().strip(",") in _ORG_EXTRA for w in words) or len(words) == 1:
        return "organisation"
    if re.search(r"[a-z][A-Z]", name) or any(w.isupper() and len(w) > 1 for w in words):
        return "organisation"
    return "person"
