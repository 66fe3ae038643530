"""Linear-chain CRF decoding over cached per-word scores, exact and mostly vectorised.

Why this shape: the model is trained with python-crfsuite (C++), but handing ~20
feature strings per token to it costs ~8 µs a token. So the trained weights are
exported (``ner-xx.npz``); each distinct word's contribution to the label scores is
summed once per window position (numpy, in batches) and cached, so a token costs a few
array lookups. Decoding runs an exact Viterbi generated for the model's labels; on
sequences of ``PRUNE_FROM`` tokens or more it first skips the tokens whose label is
provably ``O`` (about two thirds of English news tokens under an IO model; see
``CRFModel.sure_outside``). The path equals CRFsuite's. IOB2 models (ar, es) decode
every token. The numpy/Python code here is the definition; when the compiled kernel
(``_kernel.c``, see ``compiled.py``) is built, the new words' feature sums, the
emission scores and the Viterbi run there instead, with bit-identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice, repeat

import numpy as np

from pipeline.entities.compiled import kernel as _kernel
from pipeline.entities.features import FeatureExtractor

Array = np.ndarray
_FORCED = -1e9  # a label score that no path can afford
_SLOTS = 5  # window positions of a word's features: 0, -1, +1, -2, +2
_NEXT, _FAR = 0, 1  # the virtual words just beyond a sequence's ends, and two beyond
_RESERVED = 2
# Shorter sequences skip ``CRFModel.sure_outside`` (measured: it only pays off beyond
# ~500 tokens of English news, where it drops two thirds of them).
PRUNE_FROM = 500


def compile_viterbi(labels: list[str], trans: list[list[float]]) -> Callable[[list[float]], list[int]]:
    """Generate a Viterbi decoder unrolled for these labels and transition weights.

    Takes the emission scores flattened row by row (tokens × labels).
    Why generated code: a first-order chain over 7 labels is ~40 float additions and
    comparisons a token; spelled out with the weights as constants, CPython runs them
    several times faster than a generic loop or per-token numpy calls. An ``I-X``
    label may only follow ``B-X`` or ``I-X`` (valid IOB2 output by construction).
    """
    nl = len(labels)
    states = ", ".join(f"s{i}" for i in range(nl))
    lines = ["def viterbi(flat):",
             f"    it = zip(*[iter(flat)] * {nl})",
             f"    {states}, = next(it)",
             "    back = []",
             "    push = back.append",
             f"    for {', '.join(f'e{i}' for i in range(nl))}, in it:"]
    for j, label in enumerate(labels):
        sources = _sources(labels, j)
        first, rest = sources[0], sources[1:]
        lines.append(f"        b = s{first} + {trans[first][j]!r}; a{j} = {first}")
        for i in rest:
            lines.append(f"        v = s{i} + {trans[i][j]!r}")
            lines.append(f"        if v > b: b = v; a{j} = {i}")
        lines.append(f"        n{j} = b + e{j}")
    lines += [f"        push(({', '.join(f'a{j}' for j in range(nl))},))",
              f"        {states} = {', '.join(f'n{j}' for j in range(nl))}",
              f"    last = [{states}]",
              "    k = last.index(max(last))",
              "    path = [k]",
              "    for bp in reversed(back):",
              "        k = bp[k]",
              "        path.append(k)",
              "    path.reverse()",
              "    return path"]
    namespace: dict[str, Callable[[list[float]], list[int]]] = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - code built from numbers above
    return namespace["viterbi"]


def _sources(labels: list[str], j: int) -> list[int]:
    """The labels that may precede label ``j`` (I-X only after B-X or I-X)."""
    if labels[j].startswith("I-"):
        return [i for i, src in enumerate(labels) if src[2:] == labels[j][2:]]
    return list(range(len(labels)))


class CRFModel:
    """Exported CRFsuite weights with a per-word cache of summed state scores.

    ``labels[0]`` is ``O``. Word ids 0 and 1 are the virtual words one and two places
    beyond either end of a sequence: they carry the BOS/EOS features, so a sequence's
    scores are one gather and four shifted sums. ``max_words`` bounds the cache: when
    it is full, all but the words seen first (the frequent ones) are dropped.
    """

    def __init__(self, labels: list[str], attributes: list[str], weights: Array,
                 transitions: Array, features: FeatureExtractor, max_words: int = 1 << 17) -> None:
        order = sorted(range(len(labels)), key=lambda i: labels[i] != "O")  # O first
        self.labels = [labels[i] for i in order]
        nl = len(self.labels)
        w = weights[:, order].astype(np.float32)
        # C order: the compiled kernel reads them as flat buffers (same values)
        self.weights = np.ascontiguousarray(np.vstack([w, np.zeros((1, nl), np.float32)]))  # last row: no feature
        self.trans = np.ascontiguousarray(transitions[np.ix_(order, order)], dtype=np.float64)
        self.index = {a: i for i, a in enumerate(attributes)}
        self.features = features
        self.max_words = max_words
        self._init_bigrams()
        self.viterbi = compile_viterbi(self.labels, self.trans.tolist())
        self._allowed = np.zeros((nl, nl), dtype=np.uint8)  # [i, j]: i may precede j
        for j in range(nl):
            self._allowed[_sources(self.labels, j), j] = 1
        self._init_bounds()
        self.ids: dict[str, int] = {}
        self.rows = np.zeros((1024, _SLOTS, nl), dtype=np.float32)
        self.pair_word = np.full(1024, self._pair_none, dtype=np.int64)  # bigram word per id
        none = len(self.weights) - 1
        row = [self.index.get(a, none) for a in ("BOS", "EOS", "-2BOS", "+2EOS")]
        self.rows[_NEXT, 1:] = self.weights[row]  # slots -1, +1, -2, +2 of the neighbour

    # --- word bigrams: "bw=prev|cur" scores the current token, "fw=prev|cur" the previous
    def _init_bigrams(self) -> None:
        pairs: dict[tuple[str, str], list[int]] = {}
        for a, i in self.index.items():
            if a.startswith(("bw=", "fw=")):
                pair = a[3:]
                cut = 1 if pair.startswith("|") else pair.find("|")  # the token "|" itself
                key = (pair[:cut], pair[cut + 1:])
                pairs.setdefault(key, [-1, -1])[0 if a[0] == "b" else 1] = i
        vocab: dict[str, int] = {}
        for prev, cur in pairs:
            vocab.setdefault(prev, len(vocab))
            vocab.setdefault(cur, len(vocab))
        self._pair_vocab = vocab
        # a word in no bigram gets id ``none``; codes p * base + c are unique and those
        # with ``none`` in them match no listed pair
        self._pair_none = len(vocab)
        self._pair_base = len(vocab) + 1
        codes = [vocab[p] * self._pair_base + vocab[c] for p, c in pairs]
        order = np.argsort(np.array(codes, dtype=np.int64))
        end = np.iinfo(np.int64).max  # a sentinel: every search lands on a valid index
        self._pair_codes = np.append(np.array(codes, dtype=np.int64)[order], end)
        rows = np.array(list(pairs.values()), dtype=np.int64).reshape(-1, 2)[order]
        rows[rows < 0] = len(self.weights) - 1
        self._pair_cur = self.weights[rows[:, 0]].astype(np.float64)
        self._pair_prev = self.weights[rows[:, 1]].astype(np.float64)

    # --- the word cache -------------------------------------------------------------------
    def word_ids(self, words: list[str]) -> list[int]:
        """Cache ids of a token sequence, adding the words not seen yet."""
        if len(self.ids) + len(words) > self.max_words:
            self.ids = dict(islice(self.ids.items(), max(0, min(self.max_words // 2,
                                                                 self.max_words - len(words)))))
        if _kernel is not None:
            found, missing = _kernel.word_ids(self.ids, words)
            if found is None:
                self._add(missing)
                found, missing = _kernel.word_ids(self.ids, words)
            return found  # type: ignore[no-any-return]
        ids = list(map(self.ids.get, words))
        if None in ids:
            self._add(list(dict.fromkeys(w for w, i in zip(words, ids) if i is None)))
            ids = list(map(self.ids.__getitem__, words))
        return ids  # type: ignore[return-value]

    def _add(self, words: list[str]) -> None:
        """Sum the weights of new words' features for each window position, in one batch."""
        lists = list(map(self.features.compute, words))
        pv, pnone = self._pair_vocab.get, self._pair_none
        pair_ids = [pv(f[5][0], pnone) for f in lists]
        first = len(self.ids) + _RESERVED
        end = first + len(words)
        while end > len(self.rows):
            self.rows = np.concatenate([self.rows, np.zeros_like(self.rows)])
            self.pair_word = np.concatenate([self.pair_word, np.full_like(self.pair_word, pnone)])
        if _kernel is not None:
            _kernel.feature_sums(self.index, lists, len(self.weights) - 1, self.weights,
                                 len(self.labels), self.rows[first:end])
        else:
            self.rows[first:end] = self.feature_sums_numpy(lists)
        self.pair_word[first:end] = pair_ids
        self.ids.update(zip(words, range(first, end)))

    def feature_sums_numpy(self, lists: list[tuple[list[str], ...]]) -> Array:
        """Words × slots × labels: each slot's feature weights summed (float32), unknown
        features scoring 0; the definition ``_kernel.feature_sums`` is tested against."""
        get, none = self.index.get, len(self.weights) - 1
        flat: list[int] = []
        starts: list[int] = []
        for word_lists in lists:
            for slot in range(_SLOTS):
                starts.append(len(flat))
                flat.append(none)  # never an empty segment for reduceat
                flat += map(get, word_lists[slot], repeat(none))  # unknown features: the zero row
        if not lists:
            return np.zeros((0, _SLOTS, len(self.labels)), dtype=np.float32)
        sums = np.add.reduceat(self.weights[np.array(flat, dtype=np.intp)],
                               np.array(starts, dtype=np.intp), axis=0)
        return sums.reshape(len(lists), _SLOTS, -1)

    # --- scores -----------------------------------------------------------------------------
    def emissions(self, words: list[str]) -> Array:
        """State scores (tokens × labels) of a token sequence."""
        ids = self.word_ids(words)
        if _kernel is None:
            return self.emissions_numpy(ids)
        e = np.empty((len(ids), len(self.labels)))
        _kernel.emissions(ids, self.rows, len(self.labels), self.pair_word, self._pair_codes,
                          self._pair_cur, self._pair_prev, self._pair_base, e)
        return e

    def emissions_numpy(self, ids: list[int]) -> Array:
        """``emissions`` of cached word ids: the definition the kernel is tested against."""
        a = np.array([_FAR, _NEXT, *ids, _NEXT, _FAR], dtype=np.intp)
        r = self.rows.take(a, axis=0)  # (n + 4) × slots × labels; take: 2x a fancy index
        e = r[2:-2, 0].astype(np.float64)
        e += r[1:-3, 1]  # the previous word's features seen from here
        e += r[3:-1, 2]
        e += r[:-4, 3]
        e += r[4:, 4]
        pw = self.pair_word.take(a[2:-2])
        codes = pw[:-1] * self._pair_base + pw[1:]
        pos = np.searchsorted(self._pair_codes, codes)
        at = np.flatnonzero(self._pair_codes[pos] == codes)
        if len(at):
            pos = pos[at]
            e[at + 1] += self._pair_cur[pos]  # no repeats in ``at``: plain fancy += is exact
            e[at] += self._pair_prev[pos]
        return e

    def _init_bounds(self) -> None:
        """Per-label margins for ``sure_outside``, from the transitions alone (IO labels)."""
        t = self.trans
        self._io = not any(lab.startswith(("B-", "I-")) for lab in self.labels)
        # relabelling j as O changes the transition from the previous label p by
        # t[p, O] - t[p, j], the one to the next label n by t[O, n] - t[j, n]:
        # row 0 bounds it for any neighbour (none: 0), row 1 is the value for an O one
        into = t[:, [0]] - t
        out = t[[0], :] - t
        self._into = np.vstack([np.minimum(0.0, into.min(axis=0)), into[0]])
        self._out = np.vstack([np.minimum(0.0, out.min(axis=1)), out[:, 0]])

    def sure_outside(self, e: Array, rounds: int = 2) -> Array:
        """Tokens that are ``O`` on every best path (IO labels; none for IOB2 models).

        A token qualifies when relabelling it ``O`` raises the score of every path that
        gives it another label, whatever its neighbours' labels (first round) or, next
        to tokens already known to be O, given theirs. The chain then splits exactly at
        those tokens.
        """
        n = len(e)
        if not self._io:
            return np.zeros(n, dtype=bool)
        margin = e[:, :1] - e
        margin[:, 0] = np.inf
        sure = np.zeros(n + 2, dtype=np.intp)  # padded: no neighbour counts as "any"
        for _ in range(rounds):
            gain = margin + self._into[sure[:-2]] + self._out[sure[2:]]
            sure[1:-1] = (gain > 0).all(axis=1)
        return sure[1:-1].astype(bool)

    def best_path(self, e: Array, prune_from: int = PRUNE_FROM) -> Array:
        """Label indices of the best path (exact): Viterbi over the tokens not surely O.

        Sequences shorter than ``prune_from`` tokens go straight to the Viterbi: finding
        and cutting out the sure tokens costs more than it saves there.
        """
        n = len(e)
        if n < prune_from or not self._io:
            return self.viterbi_path(e)
        sure = self.sure_outside(e)
        if not sure.any():
            return self.viterbi_path(e)
        if sure.all():
            return np.zeros(n, dtype=np.intp)
        # each run of sure tokens collapses to one token forced to O: the transitions into
        # and out of the run are the same, the O→O ones inside it are a constant
        run_start = sure.copy()
        run_start[1:] &= ~sure[:-1]
        keep = np.flatnonzero(~sure | run_start)
        sub = e[keep]
        forced = sure[keep]
        sub[forced, 1:] = _FORCED
        sub[forced, 0] = 0.0
        path = np.zeros(n, dtype=np.intp)
        path[keep] = self.viterbi_path(sub)
        return path

    def viterbi_path(self, e: Array) -> Array:
        """The best path over all of ``e`` (tokens × labels): the compiled Viterbi when
        built, else the generated one (``compile_viterbi``, the definition)."""
        if _kernel is None or not len(e):
            return np.array(self.viterbi(e.ravel().tolist()), dtype=np.intp)
        path = np.empty(len(e), dtype=np.intp)
        _kernel.viterbi(np.ascontiguousarray(e, dtype=np.float64), len(self.labels),
                        self.trans, self._allowed, path)
        return path

    def confidence(self, e: Array, path: Array, at: Array) -> Array:
        """P(label | neighbours' labels) of the tokens ``at``: a cheap stand-in for marginals.

        Inside a multi-token name the neighbours share the label, which makes this
        optimistic; the entity takes the minimum over its tokens, set by its edges.
        """
        t = self.trans
        score = e[at]  # a fancy index: already a copy
        # masked additions only when a sequence edge is among ``at`` (else the same sums)
        prev = at > 0
        if prev.all():
            score += t[path[at - 1]]
        else:
            score[prev] += t[path[at[prev] - 1]]
        nxt = at < len(path) - 1
        if nxt.all():
            score += t[:, path[at + 1]].T
        else:
            score[nxt] += t[:, path[at[nxt] + 1]].T
        score -= score.max(axis=1, keepdims=True)
        np.exp(score, out=score)
        return np.asarray(score[np.arange(len(at)), path[at]] / score.sum(axis=1))

    def decode(self, words: list[str]) -> list[str]:
        """Labels of the best path (the training view: gold tokens in, labels out)."""
        if not words:
            return []
        names = self.labels
        return [names[k] for k in self.best_path(self.emissions(words)).tolist()]

