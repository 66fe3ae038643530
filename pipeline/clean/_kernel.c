/* The clean stage's per-character passes in C: the match form's fold, the scan for the
 * display fixes a text needs, and the line tidy.
 *
 * Why C: fold() runs on every article's text and on many short strings (dateline parts,
 * lookups); the numpy table pass costs ~5 us of call overhead even on a 20-character
 * string. The table itself is built in Python (pipeline/clean/normalize.py) and handed
 * in, so there is one definition of the fold; tests hold this pass to it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

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

static PyMethodDef methods[] = {
    {"translate", translate, METH_VARARGS, "translate(text, table) -> str | None"},
    {"step_bits", step_bits, METH_VARARGS, "step_bits(text, table) -> int"},
    {"tidy_lines", tidy_lines, METH_VARARGS, "tidy_lines(text) -> str"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernel",
                                    "Compiled clean-stage character pass (see _kernel.c).", -1, methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
