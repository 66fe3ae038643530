"""The per-article content summary the dedup decisions use: word hashes, fingerprint, shape."""

from __future__ import annotations

import numpy as np
import xxhash

from pipeline.dedup.shingles import word_hashes

_ONE = np.uint64(1)


class Tokens:
    """The words of a text after case folding and Arabic normalisation, as 64-bit hashes."""

    __slots__ = ("hashes",)

    def __init__(self, text: str) -> None:
        self.hashes = word_hashes(text)

    def __len__(self) -> int:
        return len(self.hashes)

    def fingerprint(self, words: int | None = None) -> str:
        """128-bit XXH3 of the normalized word sequence (layout and punctuation do not count)."""
        return xxhash.xxh3_128_hexdigest(self.hashes[:words].tobytes())

    def shape(self) -> str:
        """A hash of the wording with every number blanked: equal shapes mean only figures changed."""
        blanked = self.hashes & _ONE  # 1 for a word with a digit …
        blanked -= _ONE  # … → mask 0; otherwise all ones
        blanked &= self.hashes
        return xxhash.xxh3_64_hexdigest(blanked.tobytes())
