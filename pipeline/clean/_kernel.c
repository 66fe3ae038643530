/* The clean stage's per-character passes in C: the match form's fold, the scan for the
 * display fixes a text needs, the line tidy, and the reading of a page's class/id names.
 *
 * Why C: fold() runs on every article's text and on many short strings (dateline parts,
 * lookups); the numpy table pass costs ~5 us of call overhead even on a 20-character
 * string. The table itself is built in Python (pipeline/clean/normalize.py) and handed
 * in, so there is one definition of the fold; tests hold this pass to it. class_role
 * reads the ~150 new class/id strings of every web page (a regex pass and set lookups
 * per string cost ~7 us in Python); its word lists come in from furniture.py as a dict
 * (read once into a C hash table), and class_reading adds the content rules of the same
 * string. cut_page is the page pre-pass (pipeline/clean/page_cut.py): one scan over the
 * raw page that cuts scripts, styles, svgs and unread attributes before lexbor parses it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define DROPPED 0xFFFFu
#define COMPLEX 0xFFFEu

/* Each pass is written once as a macro over the character type and expanded for the three
 * string kinds, so the inner loops read plain arrays instead of switching on the kind. */

#define TRANSLATE_LOOP(T)                                          \
    {                                                              \
        const T *p = data;                                         \
        for (Py_ssize_t i = 0; i < len; i++) {                     \
            Py_UCS4 cp = p[i];                                     \
            uint16_t u = cp > 0xFFFF ? COMPLEX : tab[cp];          \
            if (u == DROPPED) continue;                            \
            if (u == COMPLEX) { complex = 1; break; }              \
            buf[n++] = u;                                          \
        }                                                          \
    }

/* translate(text, table) -> str | None: every character through a 65,536-entry uint16
 * table; DROPPED entries are removed; None when a character is outside the BMP or its
 * entry is COMPLEX (the caller then takes the string passes). */
static PyObject *translate(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table)) return NULL;
    PyObject *out = NULL;
    if (table.len != 65536 * (Py_ssize_t)sizeof(uint16_t)) {
        PyErr_SetString(PyExc_ValueError, "table must be 65536 uint16 values");
        goto done;
    }
    const uint16_t *tab = table.buf;
    int kind = PyUnicode_KIND(text), complex = 0;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), n = 0;
    uint16_t *buf = PyMem_Malloc((size_t)(len ? len : 1) * sizeof(uint16_t));
    if (!buf) {
        PyErr_NoMemory();
        goto done;
    }
    if (kind == PyUnicode_1BYTE_KIND) TRANSLATE_LOOP(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) TRANSLATE_LOOP(Py_UCS2)
    else TRANSLATE_LOOP(Py_UCS4)
    out = complex ? Py_NewRef(Py_None) : PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, buf, n);
    PyMem_Free(buf);
done:
    PyBuffer_Release(&table);
    return out;
}

#define STEP_LOOP(T)                                               \
    {                                                              \
        const T *p = data;                                         \
        for (Py_ssize_t i = 0; i < len; i++) {                     \
            Py_UCS4 cp = p[i];                                     \
            if (cp <= 0xFFFF) bits |= tab[cp];                     \
        }                                                          \
    }

/* step_bits(text, table) -> int: the OR of table[ch] over the characters of text (a
 * 65,536-entry uint8 table of fix-step bits; characters outside the BMP have none). */
static PyObject *step_bits(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table)) return NULL;
    if (table.len != 65536) {
        PyBuffer_Release(&table);
        return PyErr_Format(PyExc_ValueError, "table must be 65536 bytes");
    }
    const uint8_t *tab = table.buf;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    unsigned bits = 0;
    if (kind == PyUnicode_1BYTE_KIND) STEP_LOOP(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) STEP_LOOP(Py_UCS2)
    else STEP_LOOP(Py_UCS4)
    PyBuffer_Release(&table);
    return PyLong_FromUnsignedLong(bits);
}

/* One pass of tidy_lines over an array of T; writes to out (when not NULL) and returns
 * the output length, or -1 when out is NULL and the text is already tidy. */
#define TIDY_FN(NAME, T)                                                            \
    static Py_ssize_t NAME(const T *p, Py_ssize_t len, T *out) {                    \
        Py_ssize_t n = 0, line = 0;                                                 \
        int changed = 0;                                                            \
        while (line <= len) {                                                       \
            Py_ssize_t eol = line;                                                  \
            while (eol < len && p[eol] != '\n') eol++;                              \
            Py_ssize_t a = line, b = eol;                                           \
            while (a < b && Py_UNICODE_ISSPACE(p[a])) a++;                          \
            while (b > a && Py_UNICODE_ISSPACE(p[b - 1])) b--;                      \
            if (a != line || b != eol || (b == a && (eol < len || line > 0))) changed = 1; \
            if (b > a) {                                                            \
                if (n && out) out[n] = '\n';                                        \
                if (n) n++;                                                         \
                for (Py_ssize_t i = a; i < b; i++) {                                \
                    if (p[i] == ' ' && i > a && p[i - 1] == ' ') {                  \
                        changed = 1;                                                \
                        continue;                                                   \
                    }                                                               \
                    if (out) out[n] = p[i];                                         \
                    n++;                                                            \
                }                                                                   \
            }                                                                       \
            line = eol + 1;                                                         \
        }                                                                           \
        return (!out && !changed) ? -1 : n;                                         \
    }

TIDY_FN(tidy1, Py_UCS1)
TIDY_FN(tidy2, Py_UCS2)
TIDY_FN(tidy4, Py_UCS4)

/* tidy_lines(text) -> str: runs of two or more U+0020 become one, every "\n"-separated
 * line is stripped of white space (str.strip's definition), empty lines are dropped.
 * A text that is already tidy comes back as the same object. */
static PyObject *tidy_lines(PyObject *self, PyObject *args) {
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U", &text)) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), n;
    if (kind == PyUnicode_1BYTE_KIND) n = tidy1(data, len, NULL);
    else if (kind == PyUnicode_2BYTE_KIND) n = tidy2(data, len, NULL);
    else n = tidy4(data, len, NULL);
    if (n < 0) return Py_NewRef(text);
    void *buf = PyMem_Malloc((size_t)(n ? n : 1) * kind);
    if (!buf) return PyErr_NoMemory();
    if (kind == PyUnicode_1BYTE_KIND) tidy1(data, len, buf);
    else if (kind == PyUnicode_2BYTE_KIND) tidy2(data, len, buf);
    else tidy4(data, len, buf);
    PyObject *out = PyUnicode_FromKindAndData(kind, buf, n);
    PyMem_Free(buf);
    return out;
}


/* class_role(raw, vocab) -> int: the role bits of a "class id" string (the twin of
 * pipeline/clean/furniture.py role_of_python, which is the definition). The string's
 * words: BEM modifiers ("--" and the word and "-" characters after it) dropped, "-" and
 * "_" read as spaces, camelCase split (unless the string is all lower or all upper case),
 * lower-cased, runs of [a-z0-9]. vocab maps a word to bits (1 strong, 2 weak, 4 lead,
 * 8 starts a two-word entry) and "first second" to the bits of that pair. The result:
 * STRONG (2) or WEAK (1) level, | LEAD (4). */
#define ASCII_ALNUM(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || ((c) >= '0' && (c) <= '9'))

typedef struct {
    PyObject *vocab;
    char *buf;          /* the previous word, a space, the word being read */
    Py_ssize_t n;       /* end of the word being read */
    Py_ssize_t start;   /* its start */
    long prev_bits;     /* vocab bits of the previous word (-1: none yet) */
    long bits;          /* OR of the bits of every word and pair */
} Words;

/* A dict with str keys read into a C hash table once per dict (looked up by ASCII bytes,
 * without making a str per lookup). The table keeps the dict and its values alive and is
 * rebuilt when another dict, or one of another size, comes in: the callers pass module
 * constants (a dict changed in place at the same size would not be read again). */
typedef struct {
    char *key;          /* NULL: an empty slot */
    Py_ssize_t len;
    PyObject *value;    /* a reference of the table's own */
} Slot;

typedef struct {
    PyObject *dict;
    Py_ssize_t size, mask;
    Slot *slots;
} StrTable;

static StrTable vocab_table, rules_table;

static uint64_t fnv1a(const char *p, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static void table_clear(StrTable *t) {
    if (t->slots)
        for (Py_ssize_t k = 0; k <= t->mask; k++) {
            PyMem_Free(t->slots[k].key);
            Py_XDECREF(t->slots[k].value);
        }
    PyMem_Free(t->slots);
    t->slots = NULL;
    t->mask = t->size = 0;
    Py_CLEAR(t->dict);
}

static int table_for(StrTable *t, PyObject *dict) {
    /* make t the table of dict (ASCII str keys only: others are never looked up here) */
    if (t->dict == dict && t->size == PyDict_GET_SIZE(dict)) return 0;
    table_clear(t);
    Py_ssize_t cap = 16;
    while (cap < 4 * PyDict_GET_SIZE(dict)) cap *= 2;
    t->slots = PyMem_Calloc((size_t)cap, sizeof(Slot));
    if (!t->slots) {
        PyErr_NoMemory();
        return -1;
    }
    t->mask = cap - 1;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyUnicode_IS_ASCII(key)) continue;
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        const char *bytes = (const char *)PyUnicode_DATA(key);
        Py_ssize_t k = (Py_ssize_t)(fnv1a(bytes, len) & (uint64_t)t->mask);
        while (t->slots[k].key) k = (k + 1) & t->mask;
        t->slots[k].key = PyMem_Malloc((size_t)(len ? len : 1));
        if (!t->slots[k].key) {
            table_clear(t);
            PyErr_NoMemory();
            return -1;
        }
        memcpy(t->slots[k].key, bytes, (size_t)len);
        t->slots[k].len = len;
        t->slots[k].value = Py_NewRef(value);
    }
    Py_INCREF(dict);
    t->dict = dict;
    t->size = PyDict_GET_SIZE(dict);
    return 0;
}

static PyObject *table_get(const StrTable *t, const char *key, Py_ssize_t len) {
    /* the value of the ASCII key, NULL when absent (no exception) */
    Py_ssize_t k = (Py_ssize_t)(fnv1a(key, len) & (uint64_t)t->mask);
    for (; t->slots[k].key; k = (k + 1) & t->mask)
        if (t->slots[k].len == len && memcmp(t->slots[k].key, key, (size_t)len) == 0) return t->slots[k].value;
    return NULL;
}

static int vocab_bits(Words *w, const char *key, Py_ssize_t n, long *out) {
    (void)w;  /* (its vocab is vocab_table's dict) */
    PyObject *hit = table_get(&vocab_table, key, n);
    *out = 0;
    if (!hit) return 0;
    *out = PyLong_AsLong(hit);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int end_word(Words *w) {
    Py_ssize_t len = w->n - w->start;
    long b, pair;
    if (len == 0) return 0;
    if (vocab_bits(w, w->buf + w->start, len, &b) < 0) return -1;
    w->bits |= b & 7;
    if (w->prev_bits >= 0 && (w->prev_bits & 8)) {  /* buf holds "previous word": the pair key */
        if (vocab_bits(w, w->buf, w->n, &pair) < 0) return -1;
        w->bits |= pair & 7;
    }
    memmove(w->buf, w->buf + w->start, (size_t)len);
    w->buf[len] = ' ';
    w->n = w->start = len + 1;
    w->prev_bits = b;
    return 0;
}

static long role_bits(PyObject *text, PyObject *vocab) {
    /* class_role's result, -1 with an exception set on failure */
    if (table_for(&vocab_table, vocab) < 0) return -1;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), m = 0;
    Py_UCS4 *u = PyMem_Malloc((size_t)(len ? len : 1) * sizeof(Py_UCS4));
    Words w = {vocab, PyMem_Malloc((size_t)(2 * len + 2)), 0, 0, -1, 0};
    long out = -1;
    if (!u || !w.buf) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < len;) {  /* BEM modifiers out ("--[\w-]*"), "-" and "_" as spaces */
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '-' && i + 1 < len && PyUnicode_READ(kind, data, i + 1) == '-') {
            for (i += 2; i < len; i++) {
                Py_UCS4 d = PyUnicode_READ(kind, data, i);
                if (d != '-' && d != '_' && !(d < 128 ? ASCII_ALNUM(d) : Py_UNICODE_ISALNUM(d))) break;
            }
            continue;
        }
        u[m++] = (c == '-' || c == '_') ? ' ' : c;
        i++;
    }
    int lower_ok = 1, lower_cased = 0, upper_ok = 1, upper_cased = 0;  /* str.islower, str.isupper */
    for (Py_ssize_t k = 0; k < m; k++) {
        Py_UCS4 c = u[k];
        int up, lo, ti = 0;
        if (c < 128) {
            up = c >= 'A' && c <= 'Z';
            lo = c >= 'a' && c <= 'z';
        } else {
            up = Py_UNICODE_ISUPPER(c);
            lo = Py_UNICODE_ISLOWER(c);
            ti = Py_UNICODE_ISTITLE(c);
        }
        if (up || ti) lower_ok = 0;
        else if (lo) lower_cased = 1;
        if (lo || ti) upper_ok = 0;
        else if (up) upper_cased = 1;
    }
    int camel = !((lower_ok && lower_cased) || (upper_ok && upper_cased));
    for (Py_ssize_t k = 0; k < m; k++) {
        Py_UCS4 c = u[k], p = k ? u[k - 1] : 0;
        if (camel && c >= 'A' && c <= 'Z' && ((p >= 'a' && p <= 'z') || (p >= '0' && p <= '9'))) {
            if (end_word(&w) < 0) goto done;
        }
        if (c < 128) {
            char ch = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                w.buf[w.n++] = ch;
                continue;
            }
        } else if (c == 0x212A) {  /* KELVIN SIGN lower-cases to "k" */
            w.buf[w.n++] = 'k';
            continue;
        } else if (c == 0x130) {  /* CAPITAL I WITH DOT lower-cases to "i" and a combining dot */
            w.buf[w.n++] = 'i';
        }
        if (end_word(&w) < 0) goto done;
    }
    if (end_word(&w) < 0) goto done;
    out = ((w.bits & 1) ? 2 : (w.bits & 2) ? 1 : 0) | (w.bits & 4);
done:
    PyMem_Free(u);
    PyMem_Free(w.buf);
    return out;
}

static PyObject *class_role(PyObject *self, PyObject *args) {
    PyObject *text, *vocab;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyDict_Type, &vocab)) return NULL;
    long bits = role_bits(text, vocab);
    return bits < 0 ? NULL : PyLong_FromLong(bits);
}

/* class_reading(raw, vocab, class_rules, substrings, substring_rule) -> (int, tuple): the
 * twin of pipeline/clean/page_walk.py reading_python (the definition): class_role's bits,
 * and the content rules the string's class part (before its last space; without one, all
 * but the last character) matches: class_rules[token] for each of its str.split() tokens
 * found there, in order, then substring_rule when it is >= 0 and one of substrings occurs
 * in the class part. */
static PyObject *class_reading(PyObject *self, PyObject *args) {
    PyObject *text, *vocab, *rules, *subs;
    int sub_rule;
    if (!PyArg_ParseTuple(args, "UO!O!O!i", &text, &PyDict_Type, &vocab, &PyDict_Type, &rules, &PyTuple_Type, &subs,
                          &sub_rule))
        return NULL;
    long bits = role_bits(text, vocab);
    if (bits < 0 || table_for(&rules_table, rules) < 0) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), end = len - 1;
    while (end >= 0 && PyUnicode_READ(kind, data, end) != ' ') end--;
    if (end < 0) end = len > 0 ? len - 1 : 0;
    PyObject *found = PyList_New(0), *out = NULL;
    if (!found) return NULL;
    for (Py_ssize_t i = 0; i < end;) {
        while (i < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
        Py_ssize_t j = i;
        while (j < end && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j))) j++;
        if (j > i) {
            char ascii[64];
            Py_ssize_t len = j - i, k = 0;
            for (; len <= 64 && k < len; k++) {  /* an ASCII token: the table, no str made */
                Py_UCS4 c = PyUnicode_READ(kind, data, i + k);
                if (c >= 128) break;
                ascii[k] = (char)c;
            }
            PyObject *hit;
            if (len <= 64 && k == len) {
                hit = table_get(&rules_table, ascii, len);
            } else {
                PyObject *token = PyUnicode_Substring(text, i, j);
                if (!token) goto done;
                hit = PyDict_GetItemWithError(rules, token);
                Py_DECREF(token);
                if (!hit && PyErr_Occurred()) goto done;
            }
            if (hit && PyList_Append(found, hit) < 0) goto done;
        }
        i = j;
    }
    if (sub_rule >= 0 && end > 0) {
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(subs); k++) {
            PyObject *word = PyTuple_GET_ITEM(subs, k);
            if (!PyUnicode_Check(word)) {
                PyErr_SetString(PyExc_TypeError, "substrings must be str");
                goto done;
            }
            Py_ssize_t at = PyUnicode_Find(text, word, 0, end, 1);
            if (at == -2) goto done;
            if (at >= 0) {
                PyObject *idx = PyLong_FromLong(sub_rule);
                if (!idx) goto done;
                int r = PyList_Append(found, idx);
                Py_DECREF(idx);
                if (r < 0) goto done;
                break;
            }
        }
    }
    PyObject *tuple = PyList_AsTuple(found);
    if (!tuple) goto done;
    out = Py_BuildValue("(lN)", bits, tuple);
done:
    Py_DECREF(found);
    return out;
}

/* strip_tags(html, block_names) -> str: serialized HTML to text lines, the twin of
 * pipeline/clean/html.py strip_tags_python (the definition): comments become a space,
 * white-space runs (str.split's) one space, a tag named in block_names (a set; "<name" or
 * "</name" and the word ends there) a line break, any other "<...>" nothing. */
static int word_char(Py_UCS4 c) { return c < 128 ? (ASCII_ALNUM(c) || c == '_') : Py_UNICODE_ISALNUM(c); }

static Py_ssize_t find_gt(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t from, Py_ssize_t *cache) {
    /* the first '>' at or after from (n when none); cache keeps the last answer: the
     * callers ask with growing from, so the whole scan stays linear */
    if (*cache >= from) return *cache;
    Py_ssize_t j = from;
    while (j < n && s[j] != '>') j++;
    *cache = j;
    return j;
}

static PyObject *strip_tags(PyObject *self, PyObject *args) {
    PyObject *text, *names;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyFrozenSet_Type, &names)) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), m = 0;
    Py_UCS4 *a = PyUnicode_AsUCS4Copy(text);
    Py_UCS4 *b = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_UCS4));
    PyObject *out = NULL;
    if (!a || !b) {
        if (a && !b) PyErr_NoMemory();
        goto done;
    }
    /* comments: "<!--" up to the first "-->" after it becomes one space */
    for (Py_ssize_t i = 0; i < n;) {
        if (a[i] == '<' && i + 3 < n && a[i + 1] == '!' && a[i + 2] == '-' && a[i + 3] == '-') {
            Py_ssize_t j = i + 4;
            while (j + 2 < n && !(a[j] == '-' && a[j + 1] == '-' && a[j + 2] == '>')) j++;
            if (j + 2 < n) {
                b[m++] = ' ';
                i = j + 3;
                continue;
            }
            while (i < n) b[m++] = a[i++];  /* no "-->" later: no later comment either */
            break;
        }
        b[m++] = a[i++];
    }
    /* white space: runs become one space, none at the ends (" ".join(s.split())) */
    n = 0;
    for (Py_ssize_t i = 0; i < m;) {
        if (Py_UNICODE_ISSPACE(b[i])) {
            while (i < m && Py_UNICODE_ISSPACE(b[i])) i++;
            if (n && i < m) a[n++] = ' ';
            continue;
        }
        a[n++] = b[i++];
    }
    /* block tags: a line break */
    m = 0;
    Py_ssize_t gt = -1;
    for (Py_ssize_t i = 0; i < n;) {
        if (a[i] == '<') {
            Py_ssize_t k = i + 1;
            if (k < n && a[k] == '/') k++;
            Py_ssize_t e = k;
            while (e < n && word_char(a[e])) e++;
            if (e > k) {
                Py_ssize_t j = find_gt(a, n, e, &gt);
                if (j < n) {
                    PyObject *name = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a + k, e - k);
                    if (!name) goto done;
                    int hit = PySet_Contains(names, name);
                    Py_DECREF(name);
                    if (hit < 0) goto done;
                    if (hit) {
                        b[m++] = '\n';
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        b[m++] = a[i++];
    }
    /* any other tag: nothing */
    n = 0;
    gt = -1;
    for (Py_ssize_t i = 0; i < m;) {
        if (b[i] == '<') {
            Py_ssize_t j = find_gt(b, m, i + 1, &gt);
            if (j < m) {
                i = j + 1;
                continue;
            }
        }
        a[n++] = b[i++];
    }
    out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a, n);
done:
    PyMem_Free(a);
    PyMem_Free(b);
    return out;
}

#include "_page_cut.h"  /* cut_page: the page pre-pass */

static PyMethodDef methods[] = {
    {"translate", translate, METH_VARARGS, "translate(text, table) -> str | None"},
    {"step_bits", step_bits, METH_VARARGS, "step_bits(text, table) -> int"},
    {"tidy_lines", tidy_lines, METH_VARARGS, "tidy_lines(text) -> str"},
    {"class_role", class_role, METH_VARARGS, "class_role(raw, vocab) -> int"},
    {"class_reading", class_reading, METH_VARARGS,
     "class_reading(raw, vocab, class_rules, substrings, substring_rule) -> (int, tuple)"},
    {"strip_tags", strip_tags, METH_VARARGS, "strip_tags(html, block_names) -> str"},
    {"cut_page", cut_page, METH_VARARGS, "cut_page(html, names, keep=None) -> (str, int)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernel",
                                    "Compiled clean-stage character pass (see _kernel.c).", -1, methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
