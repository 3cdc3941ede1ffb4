"""Finding attributed quotes in an article: its paragraphs, the quotations, who said them and when.

The public face is `read_article` (bytes or text to an `Article`) and `extract_quotes` (an article's
text to `Candidate` quotes); both are pure functions, with no database and no network.
"""

from __future__ import annotations


def __getattr__(name):
    # The package stays light to import: its modules load when their names are first used.
    if name in ("read_article", "Article"):
        from claimtrack.extract import article

        return getattr(article, name)
    if name in ("extract_quotes",):
        from claimtrack.extract import candidates

        return getattr(candidates, name)
    if name == "Candidate":
        from claimtrack.extract import candidates

        return candidates.Candidate
    raise AttributeError(name)


__all__ = ["Article", "Candidate", "extract_quotes", "read_article"]
