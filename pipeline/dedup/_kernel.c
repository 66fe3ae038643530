/* The dedup hot path in one pass per step: word hashes, MinHash sketch, band slots.
 *
 * Why C: the numpy versions in shingles.py / minhash.py / index.py define the results
 * (tests hold this module to them bit for bit), but they pay ~40 numpy calls and a
 * Python loop per article, ~400 us in all; these loops do the same work in ~15 us.
 * Every table and constant (the normalisation table, the shingle and band multipliers,
 * the densification probes) is handed in from Python, so there is one definition of each.
 * All arithmetic is on uint64_t, wrapping mod 2**64 exactly as numpy's uint64 does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define DIGIT_FLAG (1u << 16)
#define DROPPED (1u << 17)
#define CP_MASK 0xFFFFu
#define M1 0xBF58476D1CE4E5B9ull
#define M2 0x94D049BB133111EBull
#define R 0x9E3779B97F4A7C15ull

typedef struct {
    uint64_t *out;
    Py_ssize_t n, cap;
    int in_word;
    uint64_t h, pw, digit;
} Words;

static int words_push(Words *w) {
    uint64_t h = w->h * M1;
    h ^= h >> 31;
    h = (h & ~1ull) | w->digit;
    if (w->n == w->cap) {
        Py_ssize_t cap = w->cap ? w->cap * 2 : 256;
        uint64_t *grown = PyMem_Realloc(w->out, (size_t)cap * sizeof(uint64_t));
        if (!grown) return -1;
        w->out = grown;
        w->cap = cap;
    }
    w->out[w->n++] = h;
    w->in_word = 0;
    return 0;
}

/* One UTF-16 unit through the normalisation table: 0 ends a word, DROPPED is skipped. */
static inline int words_unit(Words *w, const uint32_t *table, uint32_t unit) {
    uint32_t u = table[unit];
    if (u == DROPPED) return 0;
    if (u == 0) return w->in_word ? words_push(w) : 0;
    if (!w->in_word) {
        w->in_word = 1;
        w->h = 0;
        w->pw = 1;
        w->digit = 0;
    }
    w->h += (uint64_t)(u & CP_MASK) * w->pw;
    w->pw *= R;
    w->digit |= u >> 16;
    return 0;
}

/* word_hashes(text, table) -> bytes: little-endian uint64 per word (see shingles.word_hashes). */
static PyObject *word_hashes(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table)) return NULL;
    if (table.len != 65536 * (Py_ssize_t)sizeof(uint32_t)) {
        PyBuffer_Release(&table);
        return PyErr_Format(PyExc_ValueError, "table must be 65536 uint32 values");
    }
    const uint32_t *tab = table.buf;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Words w = {0};
    int err = 0;
    for (Py_ssize_t i = 0; i < len && !err; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        if (cp <= 0xFFFF) {
            err = words_unit(&w, tab, cp);
        } else {  /* a surrogate pair, as the UTF-16 encoding the numpy version reads */
            cp -= 0x10000;
            err = words_unit(&w, tab, 0xD800 + (cp >> 10));
            if (!err) err = words_unit(&w, tab, 0xDC00 + (cp & 0x3FF));
        }
    }
    if (!err && w.in_word) err = words_push(&w);
    PyBuffer_Release(&table);
    if (err) {
        PyMem_Free(w.out);
        return PyErr_NoMemory();
    }
    PyObject *out = PyBytes_FromStringAndSize((const char *)w.out, w.n * (Py_ssize_t)sizeof(uint64_t));
    PyMem_Free(w.out);
    return out;
}

#define BIN_BITS 8
#define BINS (1 << BIN_BITS)

static int need(Py_buffer *b, Py_ssize_t bytes, const char *what) {
    if (b->len < bytes) {
        PyErr_Format(PyExc_ValueError, "%s: need %zd bytes, got %zd", what, bytes, b->len);
        return -1;
    }
    return 0;
}

/* minhashes(hashes, k, max_tokens, pos, probe, rounds) -> bytes: BINS uint64 minima.
 * pos: k uint64 shingle multipliers; probe: BINS x rounds int64 densification probes. */
static PyObject *minhashes(PyObject *self, PyObject *args) {
    Py_buffer hb, pb, qb;
    int k, rounds;
    Py_ssize_t max_tokens;
    if (!PyArg_ParseTuple(args, "y*iny*y*i", &hb, &k, &max_tokens, &pb, &qb, &rounds)) return NULL;
    PyObject *out = NULL;
    if (k < 1 || rounds < 0 || need(&pb, (Py_ssize_t)k * 8, "pos") < 0
        || need(&qb, (Py_ssize_t)BINS * rounds * 8, "probe") < 0)
        goto done;
    const uint64_t *words = hb.buf, *pos = pb.buf;
    const int64_t *probe = qb.buf;
    Py_ssize_t n = hb.len / 8;
    if (n > max_tokens) n = max_tokens;
    uint64_t mins[BINS];
    uint8_t present[BINS];
    memset(present, 0, sizeof present);
    for (int b = 0; b < BINS; b++) mins[b] = UINT64_MAX;
    Py_ssize_t shingles = n - k + 1;
    if (n == 0 || shingles <= 0) {  /* shorter than k words: one shingle, not mixed */
        uint64_t x = 0;
        for (Py_ssize_t i = 0; i < n; i++) x ^= words[i] * pos[i];
        mins[x >> (64 - BIN_BITS)] = x;
        present[x >> (64 - BIN_BITS)] = 1;
    } else {
        for (Py_ssize_t i = 0; i < shingles; i++) {
            uint64_t acc = 0;
            for (int j = 0; j < k; j++) acc += words[i + j] * pos[j];
            acc *= M2;
            acc ^= acc >> 31;
            unsigned b = (unsigned)(acc >> (64 - BIN_BITS));
            if (acc < mins[b]) mins[b] = acc;
            present[b] = 1;
        }
    }
    uint64_t dense[BINS];
    for (int i = 0; i < BINS; i++) {
        int src = -1;
        if (present[i]) {
            src = i;
        } else {
            for (int t = 0; t < rounds && src < 0; t++) {
                int64_t p = probe[i * rounds + t];
                if (present[p]) src = (int)p;
            }
            for (int step = 1; src < 0 && step < BINS; step++) {  /* next filled bin, wrapping */
                if (present[(i + step) % BINS]) src = (i + step) % BINS;
            }
        }
        dense[i] = mins[src];
    }
    out = PyBytes_FromStringAndSize((const char *)dense, sizeof dense);
done:
    PyBuffer_Release(&hb);
    PyBuffer_Release(&pb);
    PyBuffer_Release(&qb);
    return out;
}

/* band_keys(mins, mul, salt) -> bytes: per band of len(mul) rows, sum of rows x mul, ^ salt,
 * ^ >> 29 (see minhash.band_keys). */
static PyObject *band_keys(PyObject *self, PyObject *args) {
    Py_buffer mb, ub, sb;
    if (!PyArg_ParseTuple(args, "y*y*y*", &mb, &ub, &sb)) return NULL;
    PyObject *out = NULL;
    Py_ssize_t rows = ub.len / 8, bands = sb.len / 8;
    if (rows < 1 || need(&mb, bands * rows * 8, "mins") < 0) goto done;
    const uint64_t *mins = mb.buf, *mul = ub.buf, *salt = sb.buf;
    uint64_t keys[64];
    if (bands > 64) {
        PyErr_SetString(PyExc_ValueError, "at most 64 bands");
        goto done;
    }
    for (Py_ssize_t b = 0; b < bands; b++) {
        uint64_t key = 0;
        for (Py_ssize_t r = 0; r < rows; r++) key += mins[b * rows + r] * mul[r];
        key ^= salt[b];
        keys[b] = key ^ (key >> 29);
    }
    out = PyBytes_FromStringAndSize((const char *)keys, bands * 8);
done:
    PyBuffer_Release(&mb);
    PyBuffer_Release(&ub);
    PyBuffer_Release(&sb);
    return out;
}

/* signature(mins, bit) -> bytes: bits bit, bit+1 of each minhash, four per byte, the first
 * bin in the high bits (see minhash.signature). */
static PyObject *signature(PyObject *self, PyObject *args) {
    Py_buffer mb;
    int bit;
    if (!PyArg_ParseTuple(args, "y*i", &mb, &bit)) return NULL;
    Py_ssize_t n = mb.len / 8;
    const uint64_t *mins = mb.buf;
    PyObject *out = NULL;
    if (bit < 0 || bit > 62 || n % 4) {
        PyErr_SetString(PyExc_ValueError, "signature: bit in 0..62 and a multiple of 4 bins");
        goto done;
    }
    out = PyBytes_FromStringAndSize(NULL, n / 4);
    if (!out) goto done;
    uint8_t *sig = (uint8_t *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i += 4) {
        uint8_t v = 0;
        for (int j = 0; j < 4; j++) v = (uint8_t)((v << 2) | ((mins[i + j] >> bit) & 3));
        sig[i / 4] = v;
    }
done:
    PyBuffer_Release(&mb);
    return out;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* band_slots(keys, bucket_bits, memory_bits) -> (checks, buckets, memory):
 * per band key, bits 8-31 as 4 base64 characters, the top bucket_bits as 2 characters,
 * and the in-memory bucket (the stored bucket and the top extra check bits). */
static PyObject *band_slots(PyObject *self, PyObject *args) {
    Py_buffer kb;
    int bucket_bits, memory_bits;
    if (!PyArg_ParseTuple(args, "y*ii", &kb, &bucket_bits, &memory_bits)) return NULL;
    Py_ssize_t bands = kb.len / 8;
    const uint64_t *keys = kb.buf;
    int extra = memory_bits - bucket_bits;
    PyObject *memory = PyList_New(bands);
    char *checks = PyMem_Malloc((size_t)bands * 4 + 1), *buckets = PyMem_Malloc((size_t)bands * 2 + 1);
    PyObject *out = NULL;
    if (!memory || !checks || !buckets || bucket_bits != 12 || extra < 0 || extra > 24) {
        if (memory && checks && buckets) PyErr_SetString(PyExc_ValueError, "bucket bits");
        else if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t b = 0; b < bands; b++) {
        uint64_t key = keys[b];
        uint64_t bucket = key >> (64 - bucket_bits);
        uint32_t hi = (uint32_t)((key >> 20) & 0xFFF), lo = (uint32_t)((key >> 8) & 0xFFF);
        checks[4 * b] = B64[hi >> 6];
        checks[4 * b + 1] = B64[hi & 63];
        checks[4 * b + 2] = B64[lo >> 6];
        checks[4 * b + 3] = B64[lo & 63];
        buckets[2 * b] = B64[bucket >> 6];
        buckets[2 * b + 1] = B64[bucket & 63];
        uint64_t mem = (bucket << extra) | ((key >> (32 - extra)) & ((1u << extra) - 1));
        PyObject *v = PyLong_FromUnsignedLongLong(mem);
        if (!v) goto done;
        PyList_SET_ITEM(memory, b, v);
    }
    out = Py_BuildValue("(s#s#O)", checks, bands * 4, buckets, bands * 2, memory);
done:
    PyBuffer_Release(&kb);
    Py_XDECREF(memory);
    PyMem_Free(checks);
    PyMem_Free(buckets);
    return out;
}

/* Append (seq, band) to the two result lists; -1 with an exception set on failure. */
static int append_hit(PyObject *seqs, PyObject *bands, long long seq_no, Py_ssize_t band) {
    PyObject *seq = PyLong_FromLongLong(seq_no);
    PyObject *bn = PyLong_FromSsize_t(band);
    int bad = !seq || !bn || PyList_Append(seqs, seq) < 0 || PyList_Append(bands, bn) < 0;
    Py_XDECREF(seq);
    Py_XDECREF(bn);
    return bad ? -1 : 0;
}

/* posted(off, base, n, stride, lo, keys, seqs, bands): append to the lists seqs and bands
 * the sequence numbers (3-byte, mod 2**24, re-based to lo) posted under keys[band] in each
 * band of the sorted arrays (see postings.Postings.candidates). */
static PyObject *posted(PyObject *self, PyObject *args) {
    Py_buffer ob, bb;
    Py_ssize_t n, stride;
    long long lo;
    PyObject *keys, *seqs, *bands;
    if (!PyArg_ParseTuple(args, "y*y*nnLO!O!O!", &ob, &bb, &n, &stride, &lo, &PyList_Type, &keys,
                          &PyList_Type, &seqs, &PyList_Type, &bands))
        return NULL;
    const uint32_t *off = ob.buf;
    const uint8_t *base = bb.buf;
    Py_ssize_t nkeys = PyList_GET_SIZE(keys), offs = ob.len / 4;
    PyObject *result = NULL;
    for (Py_ssize_t band = 0; band < nkeys; band++) {
        Py_ssize_t q = PyLong_AsSsize_t(PyList_GET_ITEM(keys, band));
        if (q == -1 && PyErr_Occurred()) goto done;
        Py_ssize_t at = band * stride + q;
        if (q < 0 || q + 1 >= stride || at + 1 >= offs) {
            PyErr_SetString(PyExc_IndexError, "bucket out of range");
            goto done;
        }
        Py_ssize_t start = band * n + off[at], end = band * n + off[at + 1];
        if (end * 3 > bb.len) {
            PyErr_SetString(PyExc_IndexError, "postings shorter than their offsets");
            goto done;
        }
        for (Py_ssize_t i = start; i < end; i++) {
            const uint8_t *p = base + 3 * i;
            long long s24 = p[0] | (p[1] << 8) | ((long long)p[2] << 16);
            if (append_hit(seqs, bands, lo + ((s24 - lo) & 0xFFFFFF), band) < 0) goto done;
        }
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&ob);
    PyBuffer_Release(&bb);
    return result;
}

/* buffered(dkeys, dseqs, count, keys, seqs, bands): the append buffer's matches. dkeys is
 * rows of int32 buckets (one per band), dseqs their int64 sequence numbers; for each of the
 * first count rows and each band whose bucket equals keys[band], append (seq, band). */
static PyObject *buffered(PyObject *self, PyObject *args) {
    Py_buffer kb, sb;
    Py_ssize_t count;
    PyObject *keys, *seqs, *bands;
    if (!PyArg_ParseTuple(args, "y*y*nO!O!O!", &kb, &sb, &count, &PyList_Type, &keys,
                          &PyList_Type, &seqs, &PyList_Type, &bands))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t nb = PyList_GET_SIZE(keys);
    int32_t q[64];
    if (nb < 1 || nb > 64 || count < 0 || kb.len < count * nb * 4 || sb.len < count * 8) {
        PyErr_SetString(PyExc_ValueError, "buffered: buffer shorter than count rows");
        goto done;
    }
    for (Py_ssize_t b = 0; b < nb; b++) {
        long v = PyLong_AsLong(PyList_GET_ITEM(keys, b));
        if (v == -1 && PyErr_Occurred()) goto done;
        q[b] = (int32_t)v;
    }
    const int32_t *dk = kb.buf;
    const int64_t *ds = sb.buf;
    for (Py_ssize_t i = 0; i < count; i++) {
        const int32_t *row = dk + i * nb;
        for (Py_ssize_t b = 0; b < nb; b++) {
            if (row[b] == q[b] && append_hit(seqs, bands, ds[i], b) < 0) goto done;
        }
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&kb);
    PyBuffer_Release(&sb);
    return result;
}

static PyMethodDef methods[] = {
    {"word_hashes", word_hashes, METH_VARARGS, "word_hashes(text, table) -> bytes of uint64"},
    {"minhashes", minhashes, METH_VARARGS,
     "minhashes(hashes, k, max_tokens, pos, probe, rounds) -> bytes of BINS uint64"},
    {"band_keys", band_keys, METH_VARARGS, "band_keys(mins, mul, salt) -> bytes of uint64"},
    {"signature", signature, METH_VARARGS, "signature(mins, bit) -> bytes, 2 bits per bin"},
    {"band_slots", band_slots, METH_VARARGS, "band_slots(keys, bucket_bits, memory_bits)"},
    {"posted", posted, METH_VARARGS, "posted(off, base, n, stride, lo, keys, seqs, bands)"},
    {"buffered", buffered, METH_VARARGS, "buffered(dkeys, dseqs, count, keys, seqs, bands)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernel",
                                    "Compiled dedup hot path (see _kernel.c).", -1, methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
