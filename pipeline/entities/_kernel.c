/* The tagger's hot loops: token scan, clitic split, word-id lookup, per-word feature
 * sums, emission scores, Viterbi, the Arabic character folds, the gazetteer's script test.
 *
 * Why C: tokenize.py and crf.py define every result in Python/numpy
 * (tests/unit/test_entities_kernel.py holds this module to them bit for bit), but there a
 * token costs a regex pass plus list work, a generated-Python Viterbi step, a dozen numpy
 * calls per sequence and a Python loop per new word's features; here the same work runs
 * in plain loops. The operations and their order are the definitions' exactly: TOKEN_RE's
 * alternatives tried in order with re's character classes, float32 sums of a word's
 * feature weights in np.add.reduceat's (pairwise) order, float64 emission sums slot by
 * slot then the word-pair scores, and Viterbi's strict ``>`` over sources in ascending
 * order (first best wins). Every table comes from Python (the model, the abbreviation
 * list), so there is one definition of each.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define SLOTS 5
#define MAX_LABELS 64

/* A contiguous buffer of exactly ``count`` items of ``size`` bytes (0 on success). */
static int check_len(Py_buffer *b, Py_ssize_t count, Py_ssize_t size, const char *what) {
    if (b->len != count * size) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd bytes, got %zd", what, count * size, b->len);
        return -1;
    }
    return 0;
}

/* numpy's float32 pairwise sum of each column ``j < nl`` of the rows ``idx[0:n]`` of ``w``
 * into ``res[j]`` (numpy/_core/src/umath/loops_utils.h.src): below 8 terms in order from
 * 0; up to 128 eight interleaved partial sums combined as a tree, then the rest in order;
 * beyond that, split in two at a multiple of 8. np.add.reduceat adds it to a segment's
 * first row. All columns at once, row by row: each column sees numpy's operations in
 * numpy's order (columns never mix), and a row is read once instead of once a column. */
static void pairwise_rows(const float *w, const Py_ssize_t *idx, Py_ssize_t n, Py_ssize_t nl,
                          float *res) {
    if (n < 8) {
        for (Py_ssize_t j = 0; j < nl; j++) res[j] = 0.f;
        for (Py_ssize_t i = 0; i < n; i++) {
            const float *row = w + idx[i] * nl;
            for (Py_ssize_t j = 0; j < nl; j++) res[j] += row[j];
        }
        return;
    }
    if (n <= 128) {
        float r[8][MAX_LABELS];
        Py_ssize_t i;
        for (int k = 0; k < 8; k++) {
            const float *row = w + idx[k] * nl;
            for (Py_ssize_t j = 0; j < nl; j++) r[k][j] = row[j];
        }
        for (i = 8; i < n - (n % 8); i += 8)
            for (int k = 0; k < 8; k++) {
                const float *row = w + idx[i + k] * nl;
                for (Py_ssize_t j = 0; j < nl; j++) r[k][j] += row[j];
            }
        for (Py_ssize_t j = 0; j < nl; j++)
            res[j] = ((r[0][j] + r[1][j]) + (r[2][j] + r[3][j])) + ((r[4][j] + r[5][j]) + (r[6][j] + r[7][j]));
        for (; i < n; i++) {
            const float *row = w + idx[i] * nl;
            for (Py_ssize_t j = 0; j < nl; j++) res[j] += row[j];
        }
        return;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    float right[MAX_LABELS];
    pairwise_rows(w, idx, n2, nl, res);
    pairwise_rows(w, idx + n2, n - n2, nl, right);
    for (Py_ssize_t j = 0; j < nl; j++) res[j] += right[j];
}

/* feature_sums(index, lists, none, weights, nl, out) -> None
 *
 * For each word's feature lists (slots 0..4 of FeatureExtractor.compute), out[w, slot] is
 * np.add.reduceat's float32 sum of weights[none] then weights[index.get(f, none)] for f
 * in the slot's list (CRFModel.feature_sums_numpy). weights: float32 (W x nl); out:
 * writable float32 (len(lists) x SLOTS x nl). */
static PyObject *feature_sums(PyObject *self, PyObject *args) {
    PyObject *index, *lists;
    Py_ssize_t none, nl;
    Py_buffer wb, ob;
    if (!PyArg_ParseTuple(args, "O!O!ny*nw*", &PyDict_Type, &index, &PyList_Type, &lists,
                          &none, &wb, &nl, &ob))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t *idx = NULL, cap = 0;
    Py_ssize_t nw = PyList_GET_SIZE(lists);
    if (nl <= 0 || nl > MAX_LABELS || wb.len % (nl * (Py_ssize_t)sizeof(float)) != 0) {
        PyErr_SetString(PyExc_ValueError, "weights: bad shape");
        goto done;
    }
    Py_ssize_t rows = wb.len / (nl * (Py_ssize_t)sizeof(float));
    if (none < 0 || none >= rows) {
        PyErr_SetString(PyExc_ValueError, "none: not a row of weights");
        goto done;
    }
    if (check_len(&ob, nw * SLOTS * nl, sizeof(float), "out") < 0) goto done;
    const float *w = wb.buf;
    float *out = ob.buf;
    for (Py_ssize_t i = 0; i < nw; i++) {
        PyObject *word = PyList_GET_ITEM(lists, i);
        if (!PyTuple_Check(word) || PyTuple_GET_SIZE(word) < SLOTS) {
            PyErr_SetString(PyExc_TypeError, "lists: each item must be a tuple of >= 5 lists");
            goto done;
        }
        for (int s = 0; s < SLOTS; s++) {
            PyObject *feats = PyTuple_GET_ITEM(word, s);
            if (!PyList_Check(feats)) {
                PyErr_SetString(PyExc_TypeError, "lists: slot items must be lists");
                goto done;
            }
            Py_ssize_t n = PyList_GET_SIZE(feats);
            if (n > cap) {
                Py_ssize_t grown = n < 64 ? 64 : 2 * n;
                Py_ssize_t *more = PyMem_Realloc(idx, (size_t)grown * sizeof(Py_ssize_t));
                if (more == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                idx = more;
                cap = grown;
            }
            for (Py_ssize_t k = 0; k < n; k++) {
                PyObject *hit = PyDict_GetItemWithError(index, PyList_GET_ITEM(feats, k));
                Py_ssize_t row = none;
                if (hit != NULL) {
                    row = PyLong_AsSsize_t(hit);
                    if (row == -1 && PyErr_Occurred()) goto done;
                    if (row < 0 || row >= rows) {
                        PyErr_SetString(PyExc_ValueError, "index: row out of range");
                        goto done;
                    }
                } else if (PyErr_Occurred()) {
                    goto done;
                }
                idx[k] = row;
            }
            float *acc = out + (i * SLOTS + s) * nl;
            const float *first = w + none * nl;
            if (n) {
                float sum[MAX_LABELS];
                pairwise_rows(w, idx, n, nl, sum);
                for (Py_ssize_t j = 0; j < nl; j++) acc[j] = first[j] + sum[j];
            } else {
                for (Py_ssize_t j = 0; j < nl; j++) acc[j] = first[j];
            }
        }
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(idx);
    PyBuffer_Release(&wb);
    PyBuffer_Release(&ob);
    return result;
}

/* The first index of ``codes[0:m]`` (sorted ascending) not below ``key`` (numpy searchsorted). */
static Py_ssize_t lower_bound(const int64_t *codes, Py_ssize_t m, int64_t key) {
    const int64_t *lo = codes;
    Py_ssize_t len = m;
    while (len > 1) { /* branch-free halving (Khuong & Morin), m >= 1 */
        Py_ssize_t half = len / 2;
        lo = (lo[half] < key) ? lo + half : lo;
        len -= half;
    }
    return (lo - codes) + (*lo < key);
}

/* emissions(ids, rows, nl, pair_word, pair_codes, pair_cur, pair_prev, base, out) -> None
 *
 * CRFModel.emissions: token t's scores are rows[t, 0] + rows[t-1, 1] + rows[t+1, 2]
 * + rows[t-2, 3] + rows[t+2, 4] in float64 (ids 0 and 1 beyond the ends), then
 * pair_cur of the pair (t-1, t) and pair_prev of (t, t+1) where listed. rows: float32
 * (R x SLOTS x nl); pair_word: int64 (R); pair_codes: int64, sorted, a sentinel last;
 * pair_cur / pair_prev: float64 (len(pair_codes) - 1 x nl); out: float64 (len(ids) x nl). */
static PyObject *emissions(PyObject *self, PyObject *args) {
    PyObject *ids;
    Py_ssize_t nl;
    long long base;
    Py_buffer rb, pwb, pcb, cub, prb, ob;
    if (!PyArg_ParseTuple(args, "O!y*ny*y*y*y*Lw*", &PyList_Type, &ids, &rb, &nl, &pwb, &pcb,
                          &cub, &prb, &base, &ob))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t *pad = NULL;
    Py_ssize_t n = PyList_GET_SIZE(ids);
    if (nl <= 0 || nl > MAX_LABELS || rb.len % (SLOTS * nl * (Py_ssize_t)sizeof(float)) != 0) {
        PyErr_SetString(PyExc_ValueError, "rows: bad shape");
        goto done;
    }
    Py_ssize_t nrows = rb.len / (SLOTS * nl * (Py_ssize_t)sizeof(float));
    Py_ssize_t npairs = pcb.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (nrows < 2 || pwb.len < nrows * (Py_ssize_t)sizeof(int64_t) || npairs < 0
        || pcb.len % (Py_ssize_t)sizeof(int64_t) != 0
        || check_len(&cub, npairs * nl, sizeof(double), "pair_cur") < 0
        || check_len(&prb, npairs * nl, sizeof(double), "pair_prev") < 0
        || check_len(&ob, n * nl, sizeof(double), "out") < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "emissions: bad tables");
        goto done;
    }
    pad = PyMem_Malloc((size_t)(n + 4) * sizeof(Py_ssize_t));
    if (pad == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    pad[0] = 1;
    pad[1] = 0;
    pad[n + 2] = 0;
    pad[n + 3] = 1;
    for (Py_ssize_t t = 0; t < n; t++) {
        Py_ssize_t id = PyLong_AsSsize_t(PyList_GET_ITEM(ids, t));
        if (id == -1 && PyErr_Occurred()) goto done;
        if (id < 0 || id >= nrows) {
            PyErr_SetString(PyExc_ValueError, "ids: word id out of range");
            goto done;
        }
        pad[t + 2] = id;
    }
    const float *rows = rb.buf;
    const int64_t *pw = pwb.buf, *codes = pcb.buf;
    const double *cur = cub.buf, *prev = prb.buf;
    double *e = ob.buf;
    const Py_ssize_t stride = SLOTS * nl;
    for (Py_ssize_t t = 0; t < n; t++) {
        const float *r0 = rows + pad[t + 2] * stride;
        const float *r1 = rows + pad[t + 1] * stride + nl;
        const float *r2 = rows + pad[t + 3] * stride + 2 * nl;
        const float *r3 = rows + pad[t] * stride + 3 * nl;
        const float *r4 = rows + pad[t + 4] * stride + 4 * nl;
        double *row = e + t * nl;
        for (Py_ssize_t j = 0; j < nl; j++) {
            double v = (double)r0[j];
            v += (double)r1[j];
            v += (double)r2[j];
            v += (double)r3[j];
            v += (double)r4[j];
            row[j] = v;
        }
    }
    /* word pairs: every (t, t+1) whose code is listed; cur to t+1 first, then prev to t.
     * pad[t + 2] is reused to hold the pair's table row (-1: none) once t's id is read. */
    for (Py_ssize_t t = 0; t + 1 < n; t++) {
        int64_t code = pw[pad[t + 2]] * (int64_t)base + pw[pad[t + 3]];
        Py_ssize_t pos = lower_bound(codes, npairs + 1, code);
        pad[t + 2] = (pos < npairs && codes[pos] == code) ? pos : -1;
    }
    for (Py_ssize_t t = 0; t + 1 < n; t++) {
        if (pad[t + 2] < 0) continue;
        double *row = e + (t + 1) * nl;
        const double *add = cur + pad[t + 2] * nl;
        for (Py_ssize_t j = 0; j < nl; j++) row[j] += add[j];
    }
    for (Py_ssize_t t = 0; t + 1 < n; t++) {
        if (pad[t + 2] < 0) continue;
        double *row = e + t * nl;
        const double *add = prev + pad[t + 2] * nl;
        for (Py_ssize_t j = 0; j < nl; j++) row[j] += add[j];
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(pad);
    PyBuffer_Release(&rb);
    PyBuffer_Release(&pwb);
    PyBuffer_Release(&pcb);
    PyBuffer_Release(&cub);
    PyBuffer_Release(&prb);
    PyBuffer_Release(&ob);
    return result;
}

/* viterbi(e, nl, trans, allowed, out) -> None
 *
 * The generated decoder of crf.compile_viterbi: e float64 (n x nl), trans float64
 * (nl x nl), allowed uint8 (nl x nl, allowed[i * nl + j]: label i may precede j),
 * out: writable intp (n), the best path. Ties go to the lower source, then to the lower
 * last label, as there. */
static PyObject *viterbi(PyObject *self, PyObject *args) {
    Py_buffer eb, tb, ab, ob;
    Py_ssize_t nl;
    if (!PyArg_ParseTuple(args, "y*ny*y*w*", &eb, &nl, &tb, &ab, &ob)) return NULL;
    PyObject *result = NULL;
    unsigned char *back = NULL;
    if (nl <= 0 || nl > MAX_LABELS || eb.len % (nl * (Py_ssize_t)sizeof(double)) != 0) {
        PyErr_SetString(PyExc_ValueError, "e: bad shape");
        goto done;
    }
    Py_ssize_t n = eb.len / (nl * (Py_ssize_t)sizeof(double));
    if (check_len(&tb, nl * nl, sizeof(double), "trans") < 0
        || check_len(&ab, nl * nl, 1, "allowed") < 0
        || check_len(&ob, n, sizeof(Py_ssize_t), "out") < 0)
        goto done;
    const double *e = eb.buf, *tr = tb.buf;
    const unsigned char *ok = ab.buf;
    Py_ssize_t *path = ob.buf;
    for (Py_ssize_t j = 0; j < nl; j++) {
        Py_ssize_t i = 0;
        while (i < nl && !ok[i * nl + j]) i++;
        if (i == nl) {
            PyErr_SetString(PyExc_ValueError, "allowed: a label without sources");
            goto done;
        }
    }
    if (n == 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    back = PyMem_Malloc((size_t)(n * nl));
    if (back == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double s[MAX_LABELS], next[MAX_LABELS];
    memcpy(s, e, (size_t)nl * sizeof(double));
    for (Py_ssize_t t = 1; t < n; t++) {
        const double *et = e + t * nl;
        unsigned char *bt = back + t * nl;
        for (Py_ssize_t j = 0; j < nl; j++) {
            Py_ssize_t a = -1;
            double b = 0.0;
            for (Py_ssize_t i = 0; i < nl; i++) {
                if (!ok[i * nl + j]) continue;
                double v = s[i] + tr[i * nl + j];
                if (a < 0 || v > b) {
                    b = v;
                    a = i;
                }
            }
            bt[j] = (unsigned char)a;
            next[j] = b + et[j];
        }
        memcpy(s, next, (size_t)nl * sizeof(double));
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t j = 1; j < nl; j++)
        if (s[j] > s[k]) k = j;
    path[n - 1] = k;
    for (Py_ssize_t t = n - 1; t > 0; t--) {
        k = back[t * nl + k];
        path[t - 1] = k;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(back);
    PyBuffer_Release(&eb);
    PyBuffer_Release(&tb);
    PyBuffer_Release(&ab);
    PyBuffer_Release(&ob);
    return result;
}

/* word_ids(ids, words) -> (list[int] | None, list[str])
 *
 * Each word's id in the dict ``ids``: (the ids, []) when all are there, else (None, the
 * missing words once each, in order of first appearance). */
static PyObject *word_ids(PyObject *self, PyObject *args) {
    PyObject *ids, *words;
    if (!PyArg_ParseTuple(args, "O!O!", &PyDict_Type, &ids, &PyList_Type, &words)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(words);
    PyObject *out = PyList_New(n), *missing = NULL, *seen = NULL, *result = NULL;
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        PyObject *hit = PyDict_GetItemWithError(ids, word);
        if (hit != NULL) {
            if (missing == NULL) PyList_SET_ITEM(out, i, Py_NewRef(hit));
            continue;
        }
        if (PyErr_Occurred()) goto done;
        if (missing == NULL) {
            missing = PyList_New(0);
            seen = PySet_New(NULL);
            if (missing == NULL || seen == NULL) goto done;
        }
        int known = PySet_Contains(seen, word);
        if (known < 0) goto done;
        if (!known && (PySet_Add(seen, word) < 0 || PyList_Append(missing, word) < 0)) goto done;
    }
    if (missing == NULL) {
        result = Py_BuildValue("(ON)", out, PyList_New(0));
    } else {
        result = Py_BuildValue("(OO)", Py_None, missing);
    }
done:
    Py_DECREF(out); /* unfilled slots are NULL: list dealloc skips them */
    Py_XDECREF(missing);
    Py_XDECREF(seen);
    return result;
}

/* split_words(words, starts, cuts) -> (words, starts)
 *
 * tokenize.split_at: every word with cut offsets (a tuple of increasing ints, empty:
 * keep whole) becomes its pieces, each starting at the word's start plus the offset.
 * The arguments come back as they are when no word has a cut. */
static PyObject *split_words(PyObject *self, PyObject *args) {
    PyObject *words, *starts, *cuts;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyList_Type, &words, &PyList_Type, &starts,
                          &PyList_Type, &cuts))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(words);
    if (PyList_GET_SIZE(starts) != n || PyList_GET_SIZE(cuts) != n) {
        PyErr_SetString(PyExc_ValueError, "words, starts and cuts must have one item each");
        return NULL;
    }
    Py_ssize_t extra = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(cuts, i);
        if (!PyTuple_Check(c)) {
            PyErr_SetString(PyExc_TypeError, "cuts: tuples expected");
            return NULL;
        }
        extra += PyTuple_GET_SIZE(c);
    }
    if (extra == 0) return Py_BuildValue("(OO)", words, starts);
    PyObject *ow = PyList_New(n + extra), *os = PyList_New(n + extra), *result = NULL;
    if (ow == NULL || os == NULL) goto done;
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = PyList_GET_ITEM(words, i), *start = PyList_GET_ITEM(starts, i);
        PyObject *c = PyList_GET_ITEM(cuts, i);
        Py_ssize_t m = PyTuple_GET_SIZE(c);
        if (m == 0) {
            PyList_SET_ITEM(ow, k, Py_NewRef(word));
            PyList_SET_ITEM(os, k, Py_NewRef(start));
            k++;
            continue;
        }
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words: str expected");
            goto done;
        }
        Py_ssize_t s0 = PyLong_AsSsize_t(start);
        if (s0 == -1 && PyErr_Occurred()) goto done;
        Py_ssize_t last = 0, len = PyUnicode_GET_LENGTH(word);
        for (Py_ssize_t j = 0; j <= m; j++) {
            Py_ssize_t cut = len;
            if (j < m) {
                cut = PyLong_AsSsize_t(PyTuple_GET_ITEM(c, j));
                if (cut == -1 && PyErr_Occurred()) goto done;
                if (cut <= last || cut >= len) {
                    PyErr_SetString(PyExc_ValueError, "cuts: increasing offsets inside the word expected");
                    goto done;
                }
            }
            PyObject *piece = PyUnicode_Substring(word, last, cut);
            if (piece == NULL) goto done;
            PyList_SET_ITEM(ow, k, piece);
            PyObject *at = PyLong_FromSsize_t(s0 + last);
            if (at == NULL) goto done;
            PyList_SET_ITEM(os, k, at);
            k++;
            last = cut;
        }
    }
    result = Py_BuildValue("(OO)", ow, os);
done:
    Py_XDECREF(ow); /* on error the unfilled slots are NULL: list dealloc skips them */
    Py_XDECREF(os);
    return result;
}

/* --- tokenize.TOKEN_RE as a scanner ------------------------------------------------------
 * Character classes as Python's re module defines them on str: \w is str.isalnum() or
 * "_", \d is str.isdecimal(), \s is str.isspace(); tests hold it to the regex. */
static inline int ascii_alpha(Py_UCS4 c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline int is_word(Py_UCS4 c) {
    if (c < 128) return ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_';
    return Py_UNICODE_ISALNUM(c);
}
/* [^\W\d_]: a word character that is neither a decimal digit nor "_" (no letter is a
 * decimal digit, so: a letter, or a non-decimal digit or numeral such as "²" or "½") */
static inline int is_letter(Py_UCS4 c) {
    if (c < 128) return ascii_alpha(c);
    return Py_UNICODE_ISALPHA(c)
           || (!Py_UNICODE_ISDECIMAL(c) && (Py_UNICODE_ISDIGIT(c) || Py_UNICODE_ISNUMERIC(c)));
}
/* [\w\u0640\u064B-\u065F\u0670]: word characters plus tatweel and Arabic harakat */
static inline int is_wchar(Py_UCS4 c) {
    return is_word(c) || c == 0x0640 || (c >= 0x064B && c <= 0x065F) || c == 0x0670;
}

typedef struct {
    PyObject *obj;
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static inline Py_UCS4 char_at(const Text *t, Py_ssize_t i) {
    return PyUnicode_READ(t->kind, t->data, i);
}
static inline int word_at(const Text *t, Py_ssize_t i) {
    return i >= 0 && i < t->len && is_word(char_at(t, i));
}
/* \b between positions i - 1 and i */
static inline int boundary(const Text *t, Py_ssize_t i) { return word_at(t, i - 1) != word_at(t, i); }

/* The length of the TOKEN_RE match at p (not a space): its first alternative that matches,
 * as the regex engine tries them; -1 on error. */
static Py_ssize_t token_at(const Text *t, Py_ssize_t p, PyObject *abbrevs) {
    const Py_ssize_t n = t->len;
    const Py_UCS4 c = char_at(t, p);
    if (is_letter(c)) {
        if (p + 1 < n && char_at(t, p + 1) == '.') {
            /* (?:[^\W\d_]\.){2,}  |  \b[A-ZÀ-ÞА-Я]\. */
            Py_ssize_t k = 1;
            while (p + 2 * k + 1 < n && is_letter(char_at(t, p + 2 * k)) && char_at(t, p + 2 * k + 1) == '.')
                k++;
            if (k >= 2) return 2 * k;
            if (boundary(t, p)
                && ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE) || (c >= 0x410 && c <= 0x42F)))
                return 2;
        }
        /* (?=[^\W\d_]{1,5}\.)\b(?:ABBREVIATIONS)\.(?!\w): the whole letter run is listed */
        Py_ssize_t r = 1;
        while (r <= 5 && p + r < n && is_letter(char_at(t, p + r))) r++;
        if (r <= 5 && p + r < n && char_at(t, p + r) == '.' && boundary(t, p) && !word_at(t, p + r + 1)) {
            PyObject *run = PyUnicode_Substring(t->obj, p, p + r);
            if (run == NULL) return -1;
            int listed = PySet_Contains(abbrevs, run);
            Py_DECREF(run);
            if (listed < 0) return -1;
            if (listed) return r + 1;
        }
    }
    if (is_wchar(c)) {
        /* W(?:(?:[-.,:/&]|['’](?![sS]\b))W)*  with W = [\w\u0640\u064B-\u065F\u0670]+ */
        Py_ssize_t q = p + 1;
        for (;;) {
            while (q < n && is_wchar(char_at(t, q))) q++;
            if (q + 1 >= n || !is_wchar(char_at(t, q + 1))) break;
            Py_UCS4 s = char_at(t, q);
            if (s == '-' || s == '.' || s == ',' || s == ':' || s == '/' || s == '&') {
                q += 1;
                continue;
            }
            if (s == '\'' || s == 0x2019) {
                Py_UCS4 after = char_at(t, q + 1);
                if ((after == 's' || after == 'S') && boundary(t, q + 2)) break;
                q += 1;
                continue;
            }
            break;
        }
        return q - p;
    }
    if ((c == '\'' || c == 0x2019) && p + 1 < n) {
        /* ['’][sS]\b */
        Py_UCS4 s = char_at(t, p + 1);
        if ((s == 's' || s == 'S') && boundary(t, p + 2)) return 2;
    }
    if (c == '.' && p + 2 < n && char_at(t, p + 1) == '.' && char_at(t, p + 2) == '.') return 3;
    if (c == '-' && p + 1 < n && char_at(t, p + 1) == '-') return 2;
    return 1; /* \S */
}

/* split_tokens(text, abbreviations) -> (words, starts)
 *
 * tokenize.split_tokens (TOKEN_RE's matches and their offsets) in one pass;
 * abbreviations: the set of ABBREVIATIONS (without their full stop). */
static PyObject *split_tokens(PyObject *self, PyObject *args) {
    PyObject *text, *abbrevs;
    if (!PyArg_ParseTuple(args, "UO", &text, &abbrevs)) return NULL;
    if (!PyAnySet_Check(abbrevs)) {
        PyErr_SetString(PyExc_TypeError, "abbreviations: a set or frozenset expected");
        return NULL;
    }
    Text t = {text, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    PyObject *words = PyList_New(0), *starts = PyList_New(0), *result = NULL;
    if (words == NULL || starts == NULL) goto done;
    Py_ssize_t p = 0;
    while (p < t.len) {
        if (Py_UNICODE_ISSPACE(char_at(&t, p))) {
            p++;
            continue;
        }
        Py_ssize_t len = token_at(&t, p, abbrevs);
        if (len < 0) goto done;
        PyObject *word = PyUnicode_Substring(text, p, p + len);
        if (word == NULL) goto done;
        int bad = PyList_Append(words, word);
        Py_DECREF(word);
        if (bad < 0) goto done;
        PyObject *start = PyLong_FromSsize_t(p);
        if (start == NULL) goto done;
        bad = PyList_Append(starts, start);
        Py_DECREF(start);
        if (bad < 0) goto done;
        p += len;
    }
    result = PyTuple_Pack(2, words, starts);
done:
    Py_XDECREF(words);
    Py_XDECREF(starts);
    return result;
}

/* any_in_ranges(text, ranges, negate) -> bool
 *
 * re.search of the character class [lo0-hi0lo1-hi1...] (``[^...]`` when negate) in text,
 * as a yes/no (gazetteer.py's script presence test, presence_python): ranges are int32
 * (lo, hi) pairs, both ends included. Why: three regex scans of every Arabic article for
 * Latin, Cyrillic and other letters cost more than the Arabic automaton's hits. */
static PyObject *any_in_ranges(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer rb;
    int negate;
    if (!PyArg_ParseTuple(args, "Uy*p", &text, &rb, &negate)) return NULL;
    PyObject *result = NULL;
    if (rb.len % (Py_ssize_t)(2 * sizeof(int32_t)) != 0) {
        PyErr_SetString(PyExc_ValueError, "ranges: int32 (lo, hi) pairs");
        goto done;
    }
    const int32_t *r = rb.buf;
    Py_ssize_t nr = rb.len / (Py_ssize_t)(2 * sizeof(int32_t));
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int found = 0;
    for (Py_ssize_t i = 0; i < n && !found; i++) {
        int64_t c = (int64_t)PyUnicode_READ(kind, data, i);
        int in = 0;
        for (Py_ssize_t k = 0; k < nr; k++) {
            if (c >= r[2 * k] && c <= r[2 * k + 1]) {
                in = 1;
                break;
            }
        }
        found = in != negate;
    }
    result = Py_NewRef(found ? Py_True : Py_False);
done:
    PyBuffer_Release(&rb);
    return result;
}

static PyMethodDef methods[] = {
    {"feature_sums", feature_sums, METH_VARARGS,
     "feature_sums(index, lists, none, weights, nl, out) -> None (float32 sums per word and slot)"},
    {"emissions", emissions, METH_VARARGS,
     "emissions(ids, rows, nl, pair_word, pair_codes, pair_cur, pair_prev, base, out) -> None"},
    {"viterbi", viterbi, METH_VARARGS, "viterbi(e, nl, trans, allowed, out) -> None"},
    {"split_tokens", split_tokens, METH_VARARGS, "split_tokens(text, abbreviations) -> (words, starts)"},
    {"split_words", split_words, METH_VARARGS, "split_words(words, starts, cuts) -> (words, starts)"},
    {"word_ids", word_ids, METH_VARARGS, "word_ids(ids, words) -> (ids | None, missing words)"},
    {"any_in_ranges", any_in_ranges, METH_VARARGS, "any_in_ranges(text, ranges, negate) -> bool"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernel",
                                    "Compiled CRF tagger loops (see _kernel.c).", -1, methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
