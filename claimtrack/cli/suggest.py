"""What a usage error suggests: the closest command or option to a mistyped one, and quotes for a value
of several words. Imported only when the command line has a mistake in it."""

from __future__ import annotations

import difflib
import re

# Words people reach for that are not claimtrack's: a command or option that means what they meant.
COMMAND_WORDS = {
    "ls": ["list"], "find": ["search"], "grep": ["search"], "rm": ["delete"], "del": ["delete"],
    "remove": ["delete"], "new": ["add"], "create": ["add"], "view": ["show"], "info": ["show"],
    "get": ["show"], "modify": ["edit"], "update": ["edit"], "unrm": ["restore"], "undelete": ["restore"],
}
# An option for a date that claimtrack splits by meaning: any of the command's date options may be the one.
DATE_WORDS = ("--date", "--when", "--day", "--time", "--dated", "--said-on", "--published-on", "--at")
DATE_OPTIONS = ("--said", "--published", "--on", "--since", "--until", "--as-of")
OPTION_WORDS = {
    "--author": ["--speaker"], "--by": ["--speaker"], "--who": ["--speaker"], "--person": ["--speaker"],
    "--name": ["--speaker"], "--url": ["--source", "--url"], "--link": ["--source", "--url"],
    "--source": ["--url"], "--from": ["--since"], "--to": ["--until"], "--tags": ["--tag"],
    "--comment": ["--note"], "--type": ["--kind"], "--rating": ["--verdict"], "--max": ["--limit"],
}
_NO_SUCH_COMMAND = re.compile(r"^No such command '(.*)'\.")


def closest(word: str, known: list[str], synonyms: dict[str, list[str]]) -> list[str]:
    """The known names WORD most likely meant: a synonym, the names it begins, then close spellings."""
    lowered = word.lower()
    if lowered in known:
        return [lowered]  # --Said: the right name in the wrong case
    found = [name for name in synonyms.get(lowered, ()) if name in known]
    if len(lowered.lstrip("-")) >= 2:
        found += [name for name in known if name.startswith(lowered)]
    spelled = difflib.get_close_matches(lowered, known, n=3, cutoff=0.6)
    if spelled:
        # Only the spellings about as close as the closest: serch is search, not serve too.
        likeness = {name: difflib.SequenceMatcher(None, lowered, name).ratio() for name in spelled}
        best = max(likeness.values())
        found += [name for name in spelled if likeness[name] >= best - 0.1]
    return list(dict.fromkeys(found))[:3]


def closest_option(word: str, known: list[str]) -> list[str]:
    """The options of a command WORD most likely meant; a word for a date gets every date option it has."""
    if word.lower() in DATE_WORDS:
        dated = [name for name in DATE_OPTIONS if name in known]
        if dated:
            return dated
    return closest(word, known, OPTION_WORDS)


def either(names: list[str]) -> str:
    """"list", "--said or --published", "a, b or c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _options(command) -> list[str]:
    return sorted({name for param in command.params for name in (*param.opts, *param.secondary_opts)
                   if name.startswith("--")})


def improve(error) -> None:
    """Rewrite a usage ERROR's message in place: with the closest command or option, or the quotes it needs."""
    ctx = getattr(error, "ctx", None)
    message = error.message
    if type(error).__name__ == "NoSuchOption" and ctx is not None:
        # The parser's own guess ("Possible options: --note, --title" for --date) is replaced, not added to.
        error.possibilities = None
        word = error.option_name
        found = closest_option(word, _options(ctx.command))
        error.message = f"No such option: {word}." + (f" Did you mean {either(found)}?" if found else "")
    elif (match := _NO_SUCH_COMMAND.match(message)) and ctx is not None:
        word = match.group(1)
        found = closest(word, list(ctx.command.list_commands(ctx)), COMMAND_WORDS)
        error.message = f"No such command '{word}'." + (f" Did you mean {either(found)}?" if found else "")
    elif message.startswith("Got unexpected extra argument"):
        error.message = (f"{message}. A value of more than one word goes in quotes: "
                         '"a barrel of cold water", --speaker "Zhou Hongyi", --said "February 2024".')
