"""Normalising Chinese questions: width, punctuation, fillers, aliases; and the tokens we index."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.content.models import Dictionary

# Keep letters, digits and CJK; everything else (punctuation, spaces, emoji, controls) goes.
_DROP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MAX_CHARS = 600


def basic_normalize(text: str) -> str:
    """NFKC (full width → half width), lower case, and only letters, digits and Chinese characters."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({basic_normalize(w) for w in words if basic_normalize(w)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


class Normalizer:
    """Turns a question into the canonical text and tokens the index works on."""

    def __init__(self, dictionary: Dictionary):
        self._canonical: dict[str, str] = {}
        for canonical, others in dictionary.aliases.items():
            for word in others:
                self._canonical[basic_normalize(word)] = basic_normalize(canonical)
        # A canonical word maps to itself so that an alias inside it (三公 in 三公经费) is left alone.
        for canonical in dictionary.aliases:
            self._canonical[basic_normalize(canonical)] = basic_normalize(canonical)
        self._aliases = _alternation(self._canonical)
        self._fillers = _alternation(self.canonical(f) for f in dictionary.fillers)
        self._terms = tuple(sorted({basic_normalize(t) for t in dictionary.terms if len(basic_normalize(t)) > 2}))

    def canonical(self, text: str) -> str:
        """Basic normalisation with aliases replaced by their canonical word (what cues are looked for in)."""
        text = basic_normalize(text[: MAX_CHARS * 2])[:MAX_CHARS]
        if self._aliases is not None:
            text = self._aliases.sub(lambda m: self._canonical[m.group(0)], text)
        return text

    def strip(self, canonical: str) -> str:
        """Fillers removed (unless nothing would be left)."""
        if self._fillers is None:
            return canonical
        return self._fillers.sub("", canonical) or canonical

    def normalize(self, text: str) -> str:
        """The text matching works on: canonical, without fillers."""
        return self.strip(self.canonical(text))

    def tokens(self, normalized: str) -> list[str]:
        """Character bigrams (single characters for one-character texts) plus whole domain terms."""
        grams = [normalized] if len(normalized) == 1 else [normalized[i:i + 2] for i in range(len(normalized) - 1)]
        grams.extend("#" + term for term in self._terms if term in normalized)
        return grams
