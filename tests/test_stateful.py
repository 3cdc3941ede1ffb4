"""Random sequences of every kind of change, checked against a model of what the database should hold."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from typer.testing import CliRunner

from claimtrack.cli import app

SPEAKERS = ["Zhou Hongyi", "Yann LeCun", "Yin Ye"]
ALIASES = ["周鸿祎", "Meta AI chief", "BGI head"]
TEXTS = st.sampled_from(["cold water", "supplying weapons", "a wake-up call", "Newton moment", "H100 rules"])
TAGS = st.sets(st.sampled_from(["sora", "chips", "china-ai"]), max_size=2)
VERDICTS = ["unverified", "supported", "mixed", "misleading", "refuted", "unprovable"]
ATTRIBUTIONS = ["reported", "confirmed", "disputed", "misattributed"]


class Desk(RuleBasedStateMachine):
    """The model: claims by id, and speakers with their aliases."""

    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.db = self.folder / "claims.db"
        self.claims: dict[int, dict] = {}
        self.speakers: dict[str, set[str]] = {}
        self.next_id = 1

    def run(self, *args: str, expect: int = 0):
        result = CliRunner().invoke(app, ["--db", str(self.db), *args])
        assert result.exit_code == expect, (args, result.exit_code, result.stdout, result.stderr)
        return result

    def owner(self, name: str) -> str | None:
        return next((s for s, aliases in self.speakers.items() if name == s or name in aliases), None)

    @rule(text=TEXTS, speaker=st.sampled_from(SPEAKERS + ALIASES), tags=TAGS)
    def add(self, text, speaker, tags):
        owner = self.owner(speaker)
        if owner is None:
            self.speakers[speaker] = set()
            owner = speaker
        args = ["add", "--speaker", speaker, *[f"--tag={t}" for t in tags], "--", text]
        assert int(self.run(*args).stdout.split()[0]) == self.next_id
        self.claims[self.next_id] = {"text": text, "speaker": owner, "tags": set(tags), "verdict": "unverified",
                                     "attribution": "reported", "evidence": 0}
        self.next_id += 1

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), text=TEXTS)
    def edit(self, data, text):
        claim_id = data.draw(st.sampled_from(sorted(self.claims)))
        self.run("edit", str(claim_id), "--text", text)
        self.claims[claim_id]["text"] = text

    @precondition(lambda self: self.claims)
    @rule(data=st.data())
    def delete(self, data):
        claim_id = data.draw(st.sampled_from(sorted(self.claims)))
        self.run("delete", str(claim_id), "--yes")
        del self.claims[claim_id]

    @precondition(lambda self: self.speakers)
    @rule(data=st.data(), alias=st.sampled_from(ALIASES))
    def alias(self, data, alias):
        speaker = data.draw(st.sampled_from(sorted(self.speakers)))
        owner = self.owner(alias)
        if owner is not None and owner != speaker:
            self.run("speakers", "alias", speaker, alias, expect=1)
            return
        self.run("speakers", "alias", speaker, alias)
        if owner is None:
            self.speakers[speaker].add(alias)

    @precondition(lambda self: len(self.speakers) >= 2)
    @rule(data=st.data())
    def merge(self, data):
        duplicate, keep = data.draw(st.lists(st.sampled_from(sorted(self.speakers)), min_size=2, max_size=2, unique=True))
        self.run("speakers", "merge", duplicate, keep)
        self.speakers[keep] |= self.speakers.pop(duplicate) | {duplicate}
        for claim in self.claims.values():
            if claim["speaker"] == duplicate:
                claim["speaker"] = keep

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), stance=st.sampled_from(["supports", "refutes", "context", "correction"]))
    def evidence(self, data, stance):
        claim_id = data.draw(st.sampled_from(sorted(self.claims)))
        self.run("evidence", "add", str(claim_id), "--url", f"https://example.com/{claim_id}/{stance}", "--stance", stance)
        self.claims[claim_id]["evidence"] += 1

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), verdict=st.sampled_from(VERDICTS), attribution=st.sampled_from(ATTRIBUTIONS))
    def standing(self, data, verdict, attribution):
        claim_id = data.draw(st.sampled_from(sorted(self.claims)))
        self.run("verdict", str(claim_id), verdict)
        self.run("attribution", str(claim_id), attribution)
        self.claims[claim_id].update(verdict=verdict, attribution=attribution)

    @precondition(lambda self: self.claims)
    @rule()
    def export_then_import(self):
        exported = self.folder / "export.jsonl"
        self.run("export", "--format", "jsonl", "--output", str(exported))
        result = self.run("import", str(exported))
        assert f"0 added, 0 updated, {len(self.claims)} unchanged" in result.stdout

    @invariant()
    def database_matches_the_model(self):
        if not self.db.exists():
            return
        listed = json.loads(self.run("list", "--json").stdout)
        seen = {c["id"]: {"text": c["text"], "speaker": c["speaker"], "tags": set(c["tags"]), "verdict": c["verdict"],
                          "attribution": c["attribution"]} for c in listed}
        expected = {i: {k: v for k, v in c.items() if k != "evidence"} for i, c in self.claims.items()}
        assert seen == expected
        speakers = json.loads(self.run("speakers", "--json").stdout)
        assert {s["name"]: set(s["aliases"]) for s in speakers} == self.speakers
        assert {s["name"]: s["claims"] for s in speakers} == {
            name: sum(1 for c in self.claims.values() if c["speaker"] == name) for name in self.speakers}
        evidence = json.loads(self.run("evidence", "list", "--json").stdout)
        assert {i: sum(1 for e in evidence if e["claim_id"] == i) for i in self.claims} == {
            i: c["evidence"] for i, c in self.claims.items()}


Desk.TestCase.settings = settings(max_examples=12, stateful_step_count=12, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])
TestDesk = Desk.TestCase
