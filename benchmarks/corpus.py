"""A deterministic synthetic corpus of claims, in claimtrack's JSONL interchange format.

    python benchmarks/corpus.py 100000 corpus-100k.jsonl

Realistic in shape: about 20,000 speakers with a long-tailed number of claims each, quotes of
50 to 400 characters (some non-ASCII) drawn from a 4,000-word vocabulary with Zipf-like word
frequencies (the topic words, "export" and "rules" among them, sit in the middle of the table),
1 to 4 tags, dates at mixed precision, and a third of the claims with evidence and a verdict.
The same size always gives the same bytes.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import uuid

SEED = 20240219
SPEAKERS = 20_000
TOPIC_WORDS = (
    "ai chips export rules model video sora china nvidia market compute training data open source "
    "regulator industry gap years investment cloud security policy state firms launch research "
    "weapons war barrel cold water head physical world simulator newton moment talent cluster"
).split()
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "len", "var", "dor", "zu", "qi", "an", "el", "or"]


def _vocabulary(size: int = 4000) -> list[str]:
    """Words by frequency rank, as in real text: a few very common, most rare; topic words mid-table."""
    rng = random.Random(SEED + 1)
    filler = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size * 2)})
    rng.shuffle(filler)
    words = ["the", "a", "of", "to", "and", "in", "is", "that", "it", "for", "on", "we", "will", "not", "be"]
    words += [w for w in filler if w not in TOPIC_WORDS][: size - len(words) - len(TOPIC_WORDS)]
    for n, word in enumerate(TOPIC_WORDS):
        words.insert(40 + 7 * n, word)
    return words


WORDS = _vocabulary()
# Zipf's law: the word of rank r turns up in proportion to 1 / r.
_CUMULATIVE = list(itertools.accumulate(1 / rank for rank in range(1, len(WORDS) + 1)))
NON_ASCII = ["周鸿祎", "人工智能", "芯片", "Zhōu", "São Paulo", "naïve", "Ünal", "Ἀθῆναι", "🚀"]
TAGS = ["sora", "chips", "china-ai", "export-controls", "nvidia", "openai", "state-firms", "policy",
        "video", "llm", "compute", "talent", "investment", "security", "état"] + [f"topic-{n}" for n in range(85)]
OUTLETS = ["Reuters", "Bloomberg", "Caixin", "SCMP", "Financial Times", "The Paper", "Xinhua", "36Kr",
           "tech360.tv", "Nikkei Asia"]
QUALIFIERS = [None] * 8 + ["early", "mid", "late", "around", "circa"]
VERDICTS = ["supported", "mixed", "misleading", "refuted", "unprovable"]
STANCES = ["supports", "refutes", "context", "correction"]


def speaker_name(n: int) -> str:
    """A name for speaker N; the first few are the ones the benchmark asks for."""
    first = ["Zhou", "Li", "Wang", "Zhang", "Chen", "Maria", "José", "Anna", "Yann", "Amina"][n % 10]
    return f"{first} Speaker{n:05d}"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _text(rng: random.Random) -> str:
    length = rng.randint(50, 400)
    words = []
    while sum(len(w) + 1 for w in words) < length:
        word = rng.choices(WORDS, cum_weights=_CUMULATIVE)[0]
        words.append(rng.choice(NON_ASCII) if rng.random() < 0.03 else word)
    return " ".join(words)[:length].strip()


def _said(rng: random.Random) -> dict:
    year = rng.randint(2015, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    kind = rng.random()
    qualifier = rng.choice(QUALIFIERS)
    if kind < 0.45:
        value, precision = f"{year}-{month:02d}-{day:02d}", "day"
        qualifier = None
    elif kind < 0.8:
        value, precision = f"{year}-{month:02d}", "month"
    elif kind < 0.9:
        value, precision = f"{year}-{(month - 1) // 3 * 3 + 1:02d}", "quarter"
    else:
        value, precision = f"{year}", "year"
    return {"said_on": value, "said_precision": precision, "said_text": value,
            "said_approximate": qualifier is not None, "said_qualifier": qualifier}


def _source(rng: random.Random, n: int, kind: str) -> dict:
    return {
        "url": f"https://news{rng.randint(1, 400)}.example/{kind}/{n}",
        "outlet": rng.choice(OUTLETS), "title": f"Report {n}", "published_on": f"{rng.randint(2016, 2025)}-"
        f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "published_precision": "day",
        "published_text": None, "published_approximate": False, "published_qualifier": None,
        "archived_url": None, "recorded_at": "2025-01-01T00:00:00Z",
    }


def record(rng: random.Random, n: int, speaker: int) -> dict:
    """Claim N by SPEAKER."""
    claim_uuid = _uuid(rng)
    stamp = "2025-01-01T00:00:00Z"
    data = {
        "uuid": claim_uuid, "kind": "quote" if rng.random() < 0.7 else "claim", "text": _text(rng),
        "role": None, "context": None, "note": None, "created_at": stamp, "updated_at": stamp,
        "speaker": {"name": speaker_name(speaker), "aliases": []},
        "source": _source(rng, n, "story") if rng.random() < 0.8 else None,
        "tags": sorted(set(rng.choice(TAGS) for _ in range(rng.randint(1, 4)))),
        "appearances": [], "evidence": [], "verdict": "unverified", "attribution": "reported",
        **_said(rng),
    }
    history = [{"uuid": _uuid(rng), "at": stamp, "effective_on": "2025-01-01", "effective_precision": "day",
                "field": "created", "old": None, "new": data["kind"], "note": None, "evidence": []}]
    if n % 3 == 0:
        evidence_uuid = _uuid(rng)
        data["evidence"] = [{"uuid": evidence_uuid, "stance": rng.choice(STANCES), "quote": None, "note": None,
                             "added_at": stamp, "source": _source(rng, n, "check")}]
        verdict = rng.choice(VERDICTS)
        data["verdict"] = verdict
        history.append({"uuid": _uuid(rng), "at": stamp, "effective_on": "2025-01-02", "effective_precision": "day",
                        "field": "verdict", "old": "unverified", "new": verdict, "note": None,
                        "evidence": [evidence_uuid]})
    data["history"] = history
    return data


def speaker_for(rng: random.Random) -> int:
    """A long tail: a few speakers say a lot, most say little."""
    return min(int(rng.paretovariate(1.2)) - 1, SPEAKERS - 1) if rng.random() < 0.5 else rng.randrange(SPEAKERS)


def write(size: int, path: str) -> None:
    """Write SIZE claims to PATH, one JSON object a line."""
    rng = random.Random(SEED)
    records = (record(rng, n, speaker_for(rng)) for n in range(size))
    with open(path, "w", encoding="utf-8") as out:
        for data in records:
            out.write(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])
