/* The clean stage's per-character table pass (the match form's fold) in C.
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
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), n = 0;
    uint16_t *buf = PyMem_Malloc((size_t)(len ? len : 1) * sizeof(uint16_t));
    if (!buf) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        uint16_t u = cp > 0xFFFF ? COMPLEX : tab[cp];
        if (u == DROPPED) continue;
        if (u == COMPLEX) {
            PyMem_Free(buf);
            out = Py_NewRef(Py_None);
            goto done;
        }
        buf[n++] = u;
    }
    out = PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, buf, n);
    PyMem_Free(buf);
done:
    PyBuffer_Release(&table);
    return out;
}

static PyMethodDef methods[] = {
    {"translate", translate, METH_VARARGS, "translate(text, table) -> str | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernel",
                                    "Compiled clean-stage character pass (see _kernel.c).", -1, methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
