/* The clean kernel's page pre-pass (cut_page), included once by _kernel.c, which holds the
 * module table: kept in its own file so each stays readable in one sitting. Not a public
 * header: it relies on the includes and macros that _kernel.c defines before including it. */
/* cut_page(html, names) -> (str, int): the page without its scripts, styles, svgs, meta/link
 * tags and the comments that follow white space, and the bits of the tag names (a tuple of at
 * most 64 lower-case ASCII names) the rest may hold: the twin of pipeline/clean/page_cut.py
 * cut_page_python, which is the definition (and says why each rule is as it is). The
 * scan is written once over (data, kind) and inlined for each of the three string kinds,
 * so the reads compile to plain array reads. */
#define CP_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\f' || (c) == '\r')
#define CP_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define CP_LOW(c) (((c) >= 'A' && (c) <= 'Z') ? (c) + 32 : (c))
#define CP_INLINE static inline __attribute__((always_inline))
#define RD(i) PyUnicode_READ(kind, d, (i))

typedef struct {
    Py_ssize_t *at;  /* pairs: (cut start, end) or (tag name start, length) */
    Py_ssize_t n, cap;
} Pairs;

static int pairs_push(Pairs *p, Py_ssize_t a, Py_ssize_t b) {
    if (p->n + 2 > p->cap) {
        Py_ssize_t cap = p->cap ? 2 * p->cap : 64;
        Py_ssize_t *at = PyMem_Realloc(p->at, (size_t)cap * sizeof(Py_ssize_t));
        if (!at) return -1;
        p->at = at;
        p->cap = cap;
    }
    p->at[p->n++] = a;
    p->at[p->n++] = b;
    return 0;
}

CP_INLINE Py_ssize_t cp_find(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i, Py_UCS4 ch) {
    /* the first ch (ASCII) at or after i, -1 when none: memchr, or 8 / 4 characters a step */
    if (i >= n) return -1;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *p = memchr((const Py_UCS1 *)d + i, (int)ch, (size_t)(n - i));
        return p ? p - (const Py_UCS1 *)d : -1;
    }
#ifdef __SSE2__
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *p = d;
        __m128i needle = _mm_set1_epi16((short)ch);
        for (; i + 8 <= n; i += 8) {
            int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(p + i)), needle));
            if (mask) return i + (__builtin_ctz((unsigned)mask) >> 1);
        }
    } else {
        const Py_UCS4 *p = d;
        __m128i needle = _mm_set1_epi32((int)ch);
        for (; i + 4 <= n; i += 4) {
            int mask = _mm_movemask_epi8(_mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(p + i)), needle));
            if (mask) return i + (__builtin_ctz((unsigned)mask) >> 2);
        }
    }
#endif
    for (; i < n; i++)
        if (RD(i) == ch) return i;
    return -1;
}

CP_INLINE int cp_at(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i, const char *lit, int fold) {
    /* lit (ASCII; lower case when fold) starts at i: exactly, or in any ASCII case */
    for (; *lit; lit++, i++) {
        if (i >= n) return 0;
        Py_UCS4 c = RD(i);
        if ((fold ? CP_LOW(c) : c) != (Py_UCS4)(unsigned char)*lit) return 0;
    }
    return 1;
}

CP_INLINE Py_ssize_t cp_find_lit(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i, const char *lit, int fold) {
    /* the first occurrence of lit at or after i (its first character is not a letter) */
    for (;;) {
        i = cp_find(d, kind, n, i, (Py_UCS4)(unsigned char)lit[0]);
        if (i < 0) return -1;
        if (cp_at(d, kind, n, i, lit, fold)) return i;
        i++;
    }
}

CP_INLINE Py_ssize_t cp_name_end(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i) {
    for (; i < n; i++) {
        Py_UCS4 c = RD(i);
        if (CP_WS(c) || c == '/' || c == '>') break;
    }
    return i;
}

CP_INLINE int cp_name_is(const void *d, const int kind, Py_ssize_t a, Py_ssize_t e, const char *name) {
    /* the tag name d[a:e], ASCII lower-cased, equals name */
    for (; a < e; a++, name++) {
        if (!*name) return 0;
        Py_UCS4 c = RD(a);
        if (CP_LOW(c) != (Py_UCS4)(unsigned char)*name) return 0;
    }
    return *name == 0;
}

CP_INLINE int cp_name_in(const void *d, const int kind, Py_ssize_t a, Py_ssize_t e, const char *const *names) {
    for (; *names; names++)
        if (cp_name_is(d, kind, a, e, *names)) return 1;
    return 0;
}

CP_INLINE int cp_same_name(const void *d, const int kind, Py_ssize_t a, Py_ssize_t b, Py_ssize_t len) {
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 x = RD(a + k), y = RD(b + k);
        if (CP_LOW(x) != CP_LOW(y)) return 0;
    }
    return 1;
}

#define CP_NAME_MAX 31

/* A list of lower-case ASCII names from Python (cut_page's names and keep), kept from one
 * call to the next while the same tuple comes in. */
typedef struct {
    PyObject *tuple;
    int count;
    char name[64][CP_NAME_MAX + 1];
    Py_ssize_t len[64];
    uint64_t first[128];             /* bits of the names starting with each character */
    uint64_t bylen[CP_NAME_MAX + 1]; /* bits of the names of each length */
} NameList;

static NameList cp_names, cp_keep;

static int cp_set_list(NameList *list, PyObject *names) {
    if (names == list->tuple) return 0;
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    list->count = 0;
    memset(list->first, 0, sizeof list->first);
    memset(list->bylen, 0, sizeof list->bylen);
    Py_CLEAR(list->tuple);
    if (count > 64) {
        PyErr_SetString(PyExc_ValueError, "at most 64 names");
        return -1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k);
        Py_ssize_t len = 0;
        const char *utf8 = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &len) : NULL;
        int ok = utf8 && len >= 1 && len <= CP_NAME_MAX && PyUnicode_IS_ASCII(name);
        for (Py_ssize_t j = 0; ok && j < len; j++) ok = !(utf8[j] >= 'A' && utf8[j] <= 'Z');
        if (!ok) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "names: lower-case ASCII, 1-31 characters");
            return -1;
        }
        memcpy(list->name[k], utf8, (size_t)len);
        list->len[k] = len;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        list->first[(unsigned char)list->name[k][0]] |= (uint64_t)1 << k;
        list->bylen[list->len[k]] |= (uint64_t)1 << k;
    }
    list->count = (int)count;
    Py_INCREF(names);
    list->tuple = names;
    return 0;
}

static uint64_t cp_list_bits(const NameList *list, const char *buf, Py_ssize_t len) {
    /* the bits of the names equal to buf[:len] (ASCII, 0 < len <= CP_NAME_MAX) */
    if (len < 1) return 0;
    uint64_t bits = 0, maybe = list->first[(unsigned char)buf[0] & 127] & list->bylen[len];
    while (maybe) {
        int k = __builtin_ctzll(maybe);
        maybe &= maybe - 1;
        if (memcmp(list->name[k], buf, (size_t)len) == 0) bits |= (uint64_t)1 << k;
    }
    return bits;
}

CP_INLINE Py_ssize_t cp_read_name(const void *d, const int kind, Py_ssize_t a, Py_ssize_t e, char *buf) {
    /* the name d[a:e] ASCII lower-cased into buf; -1 when longer than CP_NAME_MAX or not
     * ASCII (then it is none of the names the scan knows) */
    Py_ssize_t len = e - a;
    if (len > CP_NAME_MAX) return -1;
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 c = RD(a + k);
        if (c >= 128) return -1;
        buf[k] = (char)CP_LOW(c);
    }
    return len;
}

/* The cuts made so far, and what the comment and line-break rules need to know. */
typedef struct {
    Pairs *cuts;
    Py_ssize_t kept, guard;
    Py_UCS4 last;
    int have_last;
} Cutter;

CP_INLINE int cp_cut(const void *d, const int kind, Cutter *c, Py_ssize_t a, Py_ssize_t b) {
    /* page_cut's cut(): 1 when cut, 0 when refused (right behind a NEWLINE_EATERS tag), -1 on
     * no memory */
    if (a == c->guard) return 0;
    if (a > c->kept) {
        c->last = RD(a - 1);
        c->have_last = 1;
    }
    if (pairs_push(c->cuts, a, b) < 0) return -1;
    c->kept = b;
    return 1;
}

enum { T_BEFORE, T_NAME, T_AFTER_NAME, T_BEFORE_VALUE, T_DOUBLE, T_SINGLE, T_UNQUOTED, T_AFTER_QUOTED, T_SELF };

CP_INLINE Py_ssize_t cp_tag_end(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i, int *self_closing,
                                Cutter *strip) {
    /* page_cut.tag_end: just after the tag's '>' (self_closing set), -1 at the page's end;
     * with strip, each attribute not in cp_keep is cut with what stands before it (-2 on
     * no memory) */
    int st = T_BEFORE;
    Py_ssize_t start = 0, name_end = 0, prev = i;
    char buf[CP_NAME_MAX + 1];
    *self_closing = 0;
#define DONE(END)                                                                          \
    do {                                                                                   \
        if (strip) {                                                                       \
            Py_ssize_t end_ = (END), len_ = cp_read_name(d, kind, start, name_end, buf);   \
            if ((len_ < 0 || !cp_list_bits(&cp_keep, buf, len_)) && cp_cut(d, kind, strip, prev, end_) < 0) \
                return -2;                                                                 \
            prev = end_;                                                                   \
        }                                                                                  \
    } while (0)
    while (i < n) {
        Py_UCS4 c = RD(i);
        Py_ssize_t p = i;
        i++;
        switch (st) {
        case T_BEFORE:
        case T_AFTER_QUOTED:
            if (CP_WS(c)) st = T_BEFORE;
            else if (c == '/') st = T_SELF;
            else if (c == '>') return i;
            else {
                start = p;
                st = T_NAME;
            }
            break;
        case T_NAME:
            if (CP_WS(c)) {
                name_end = p;
                st = T_AFTER_NAME;
            } else if (c == '/') {
                name_end = p;
                st = T_SELF;
                DONE(p);
            } else if (c == '>') {
                name_end = p;
                DONE(p);
                return i;
            } else if (c == '=') {
                name_end = p;
                st = T_BEFORE_VALUE;
            }
            break;
        case T_AFTER_NAME:
            if (c == '/') {
                st = T_SELF;
                DONE(name_end);
            } else if (c == '=') {
                st = T_BEFORE_VALUE;
            } else if (c == '>') {
                DONE(name_end);
                return i;
            } else if (!CP_WS(c)) {
                DONE(name_end);
                start = p;
                st = T_NAME;
            }
            break;
        case T_BEFORE_VALUE:
            if (c == '"') st = T_DOUBLE;
            else if (c == '\'') st = T_SINGLE;
            else if (c == '>') {
                DONE(p);
                return i;
            } else if (!CP_WS(c)) st = T_UNQUOTED;
            break;
        case T_DOUBLE:
        case T_SINGLE: {
            Py_ssize_t q = c == (st == T_DOUBLE ? '"' : '\'') ? i - 1 : cp_find(d, kind, n, i, st == T_DOUBLE ? '"' : '\'');
            if (q < 0) return -1;
            i = q + 1;
            st = T_AFTER_QUOTED;
            DONE(i);
            break;
        }
        case T_UNQUOTED:
            if (CP_WS(c)) {
                st = T_BEFORE;
                DONE(p);
            } else if (c == '>') {
                DONE(p);
                return i;
            }
            break;
        default: /* T_SELF */
            if (c == '>') {
                *self_closing = 1;
                return i;
            }
            i--;
            st = T_BEFORE;
        }
    }
#undef DONE
    return -1;
}

CP_INLINE Py_ssize_t cp_comment_end(const void *d, const int kind, Py_ssize_t n, Py_ssize_t lt) {
    Py_ssize_t a = cp_find_lit(d, kind, n, lt + 2, "-->", 0);
    /* (a "--!>" only counts before that "-->": the search stops there) */
    Py_ssize_t b = cp_find_lit(d, kind, a < 0 ? n : a + 3, lt + 4, "--!>", 0);
    if (a < 0 && b < 0) return -1;
    if (b < 0 || (a >= 0 && a < b)) return a + 3;
    return b + 4;
}

CP_INLINE Py_ssize_t cp_raw_end(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i, Py_ssize_t a, Py_ssize_t e,
                                Py_ssize_t *close_start) {
    /* page_cut.raw_end for the element named d[a:e]: the end tag's start in close_start,
     * the offset after it returned; -1 when unclosed */
    Py_ssize_t len = e - a;
    for (;;) {
        Py_ssize_t lt = cp_find(d, kind, n, i, '<');
        if (lt < 0 || lt + 2 + len >= n) return -1;
        i = lt + 1;
        if (RD(lt + 1) != '/' || !cp_same_name(d, kind, lt + 2, a, len)) continue;
        Py_UCS4 c = RD(lt + 2 + len);
        if (!(CP_WS(c) || c == '/' || c == '>')) continue;
        int sc;
        *close_start = lt;
        return cp_tag_end(d, kind, n, lt + 2 + len, &sc, NULL);
    }
}

static const char *const SVG_STOP_NAMES[] = {
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
    "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr",
    "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u",
    "ul", "var", "font", "textarea", "xmp", "iframe", "noembed", "noframes",
    "noscript", "plaintext", "foreignobject", "math", "template", "input", "select", "keygen", "frameset",
    "html", NULL};
static const char *const SVG_INTEGRATION_NAMES[] = {"title", "desc", NULL};
/* the start tags the scan acts on (page_cut's CUT_RAW, CUT_VOID, SKIP_RAW, STOP, NEWLINE_EATERS) */
enum { N_OTHER, N_FRAMESET, N_STOP, N_EATER, N_VOID, N_SCRIPT, N_STYLE, N_SKIP, N_SVG };
static const struct {
    const char *name;
    size_t len;
    int cls;
} NAME_CLASSES[] = {
    {"frameset", 8, N_FRAMESET}, {"plaintext", 9, N_STOP}, {"math", 4, N_STOP}, {"pre", 3, N_EATER},
    {"listing", 7, N_EATER}, {"meta", 4, N_VOID}, {"link", 4, N_VOID}, {"script", 6, N_SCRIPT},
    {"style", 5, N_STYLE}, {"textarea", 8, N_SKIP}, {"title", 5, N_SKIP}, {"xmp", 3, N_SKIP},
    {"iframe", 6, N_SKIP}, {"noembed", 7, N_SKIP}, {"noframes", 8, N_SKIP}, {"svg", 3, N_SVG}, {NULL, 0, 0},
};

static int cp_name_class(const char *buf, Py_ssize_t len) {
    if (len < 3 || len > 9) return N_OTHER;
    for (int k = 0; NAME_CLASSES[k].name; k++)
        if (NAME_CLASSES[k].len == (size_t)len && memcmp(NAME_CLASSES[k].name, buf, (size_t)len) == 0)
            return NAME_CLASSES[k].cls;
    return N_OTHER;
}

static int cp_formatting(const char *buf, Py_ssize_t len) {
    /* page_cut.KEEP_ATTRIBUTES_OF */
#define IS(S) (memcmp(buf, S, sizeof(S) - 1) == 0)
    switch (len) {
    case 1: return buf[0] == 'b' || buf[0] == 'i' || buf[0] == 's' || buf[0] == 'u';
    case 2: return IS("em") || IS("tt");
    case 3: return IS("big");
    case 4: return IS("code") || IS("font") || IS("nobr");
    case 5: return IS("small");
    case 6: return IS("strike") || IS("strong");
    default: return 0;
    }
#undef IS
}

CP_INLINE Py_ssize_t cp_svg_end(const void *d, const int kind, Py_ssize_t n, Py_ssize_t i, Py_ssize_t a, Py_ssize_t e,
                                Pairs *stack) {
    /* page_cut._svg_end (the svg's name at d[a:e]); -1 also on no memory (then with an
     * exception set: the caller checks PyErr_Occurred) */
    stack->n = 0;
    if (pairs_push(stack, a, e - a) < 0) return -1;
    for (;;) {
        Py_ssize_t lt = cp_find(d, kind, n, i, '<');
        if (lt < 0 || lt + 1 >= n) return -1;
        Py_UCS4 c = RD(lt + 1);
        int sc;
        if (cp_at(d, kind, n, lt, "<!--", 0)) {
            i = cp_comment_end(d, kind, n, lt);
            if (i < 0) return -1;
        } else if (cp_at(d, kind, n, lt, "<![CDATA[", 0)) {
            Py_ssize_t end = cp_find_lit(d, kind, n, lt + 9, "]]>", 0);
            if (end < 0) return -1;
            i = end + 3;
        } else if (c == '!' || c == '?') {
            Py_ssize_t gt = cp_find(d, kind, n, lt + 2, '>');
            if (gt < 0) return -1;
            i = gt + 1;
        } else if (c == '/') {
            if (lt + 2 >= n || !CP_ALPHA(RD(lt + 2))) return -1;
            Py_ssize_t ne = cp_name_end(d, kind, n, lt + 2), len = ne - (lt + 2);
            Py_ssize_t end = cp_tag_end(d, kind, n, ne, &sc, NULL);
            if (end < 0) return -1;
            Py_ssize_t k = stack->n - 2;
            for (; k >= 0; k -= 2)
                if (stack->at[k + 1] == len && cp_same_name(d, kind, stack->at[k], lt + 2, len)) break;
            if (k < 0) return -1;  /* an end tag naming no open svg element closes HTML ones */
            stack->n = k;
            i = end;
            if (stack->n == 0) return i;
        } else if (CP_ALPHA(c)) {
            Py_ssize_t ne = cp_name_end(d, kind, n, lt + 1);
            Py_ssize_t end = cp_tag_end(d, kind, n, ne, &sc, NULL);
            Py_ssize_t top = stack->n - 2;
            if (end < 0 || cp_name_in(d, kind, lt + 1, ne, SVG_STOP_NAMES) ||
                cp_name_in(d, kind, stack->at[top], stack->at[top] + stack->at[top + 1], SVG_INTEGRATION_NAMES))
                return -1;
            if (!sc && pairs_push(stack, lt + 1, ne - (lt + 1)) < 0) return -1;
            i = end;
        } else {
            i = lt + 1;
        }
    }
}

/* the scan: fills cuts and seen (the names' bits); strips attributes when strip; returns 1
 * when the page is to be left whole (a frameset), 2 when the scan stopped before the page's
 * end, 0, or -1 on no memory */
CP_INLINE int cp_scan(const void *d, const int kind, Py_ssize_t n, Pairs *cuts, Pairs *stack, uint64_t *seen,
                      int strip) {
    Cutter cut = {cuts, 0, -1, 0, 0};
    Py_ssize_t i = 0;
    int gone, stopped = 1, r, in_select = 0;
    char buf[CP_NAME_MAX + 1];
#define CUT(A, B)                                   \
    do {                                            \
        if ((r = cp_cut(d, kind, &cut, (A), (B))) < 0) return -1; \
        gone = r;                                   \
    } while (0)
    for (;;) {
        Py_ssize_t lt = cp_find(d, kind, n, i, '<');
        if (lt < 0 || lt + 1 >= n) {
            stopped = 0;
            break;
        }
        Py_UCS4 c = RD(lt + 1);
        int sc;
        if (cp_at(d, kind, n, lt, "<!--", 0)) {
            Py_ssize_t end = cp_comment_end(d, kind, n, lt);
            if (end < 0) break;
            Py_UCS4 prev = lt > cut.kept ? RD(lt - 1) : cut.last;
            if ((lt > cut.kept || cut.have_last) && CP_WS(prev)) CUT(lt, end);
            i = end;
        } else if (c == '!' || c == '?') {
            Py_ssize_t gt = cp_find(d, kind, n, lt + 2, '>');
            if (gt < 0) break;
            i = gt + 1;
        } else if (c == '/') {
            if (lt + 2 < n && CP_ALPHA(RD(lt + 2))) {
                Py_ssize_t e = cp_name_end(d, kind, n, lt + 2);
                Py_ssize_t end = cp_tag_end(d, kind, n, e, &sc, NULL);
                if (end < 0) break;
                i = end;
                Py_ssize_t len = cp_read_name(d, kind, lt + 2, e, buf);
                if (len == 6 && memcmp(buf, "select", 6) == 0) in_select = 0;
            } else {
                Py_ssize_t gt = cp_find(d, kind, n, lt + 2, '>');
                if (gt < 0) break;
                i = gt + 1;
            }
        } else if (CP_ALPHA(c)) {
            Py_ssize_t a = lt + 1, e = cp_name_end(d, kind, n, a);
            Py_ssize_t len = cp_read_name(d, kind, a, e, buf);
            int cls = len < 0 ? N_OTHER : cp_name_class(buf, len);
            gone = 0;
            if (cls == N_FRAMESET) return 1;
            if (cls == N_STOP || (in_select && (cls == N_STYLE || (cls == N_SKIP && !(len == 8 && memcmp(buf, "textarea", 8) == 0)))))
                break;  /* (inside a select the parser ignores these: their content is markup) */
            if (len == 6 && memcmp(buf, "select", 6) == 0) in_select = 1;
            int stripped = strip && cls != N_VOID && cls != N_SCRIPT && cls != N_STYLE && cls != N_SVG &&
                           !(len >= 0 && cp_formatting(buf, len));
            Cutter before = cut;
            Py_ssize_t cuts_before = cuts->n;
            Py_ssize_t end = cp_tag_end(d, kind, n, e, &sc, stripped ? &cut : NULL);
            if (end == -2) return -1;
            if (end < 0) {  /* an unterminated tag: its attributes stay */
                cut = before;
                cuts->n = cuts_before;
                break;
            }
            i = end;
            if (cls == N_EATER) {
                cut.guard = i;
            } else if (cls == N_VOID) {
                CUT(lt, i);
            } else if (cls == N_SCRIPT || cls == N_STYLE || cls == N_SKIP) {
                Py_ssize_t close_start, close = cp_raw_end(d, kind, n, i, a, e, &close_start);
                if (close < 0) break;
                if (cls == N_SCRIPT) {
                    Py_ssize_t at = cp_find_lit(d, kind, close_start, i, "<!--", 0);
                    if (at >= 0) {  /* a "<script" after "<!--": the tokenizer's end may be later */
                        Py_ssize_t k = at, hazard = 0;
                        while ((k = cp_find_lit(d, kind, close_start, k, "<script", 1)) >= 0) {
                            if (k + 7 < close_start) {
                                Py_UCS4 f = RD(k + 7);
                                if (CP_WS(f) || f == '/' || f == '>') {
                                    hazard = 1;
                                    break;
                                }
                            }
                            k++;
                        }
                        if (hazard) break;
                    }
                }
                if (cls != N_SKIP) CUT(lt, close);
                i = close;
            } else if (cls == N_SVG) {
                Py_ssize_t svg = sc ? i : cp_svg_end(d, kind, n, i, a, e, stack);
                if (svg < 0) {
                    if (PyErr_Occurred()) return -1;
                    break;
                }
                CUT(lt, svg);
                i = svg;
            }
            if (!gone && len > 0) *seen |= cp_list_bits(&cp_names, buf, len);
        } else {
            i = lt + 1;
        }
    }
#undef CUT
    if (cuts->n && cp_find_lit(d, kind, n, i, "<frameset", 1) >= 0) return 1;  /* after the scan stopped */
    return stopped ? 2 : 0;
}

static int cp_scan1(const void *d, Py_ssize_t n, Pairs *c, Pairs *s, uint64_t *seen, int strip) {
    return cp_scan(d, PyUnicode_1BYTE_KIND, n, c, s, seen, strip);
}
static int cp_scan2(const void *d, Py_ssize_t n, Pairs *c, Pairs *s, uint64_t *seen, int strip) {
    return cp_scan(d, PyUnicode_2BYTE_KIND, n, c, s, seen, strip);
}
static int cp_scan4(const void *d, Py_ssize_t n, Pairs *c, Pairs *s, uint64_t *seen, int strip) {
    return cp_scan(d, PyUnicode_4BYTE_KIND, n, c, s, seen, strip);
}

static PyObject *cut_page(PyObject *self, PyObject *args) {
    PyObject *text, *names, *keep = Py_None, *page = NULL, *out = NULL;
    if (!PyArg_ParseTuple(args, "UO!|O", &text, &PyTuple_Type, &names, &keep)) return NULL;
    if (keep != Py_None && !PyTuple_Check(keep)) {
        PyErr_SetString(PyExc_TypeError, "keep: a tuple of attribute names, or None");
        return NULL;
    }
    if (cp_set_list(&cp_names, names) < 0 || (keep != Py_None && cp_set_list(&cp_keep, keep) < 0)) return NULL;
    int strip = keep != Py_None;
    int kind = PyUnicode_KIND(text);
    const char *d = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Pairs cuts = {NULL, 0, 0}, stack = {NULL, 0, 0};
    uint64_t seen = 0;
    uint64_t everything = cp_names.count == 64 ? ~(uint64_t)0 : ((uint64_t)1 << cp_names.count) - 1;
    int r = kind == PyUnicode_1BYTE_KIND ? cp_scan1(d, n, &cuts, &stack, &seen, strip)
          : kind == PyUnicode_2BYTE_KIND ? cp_scan2(d, n, &cuts, &stack, &seen, strip)
          : cp_scan4(d, n, &cuts, &stack, &seen, strip);
    if (r < 0) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    if (r > 0) seen = everything;
    if (r == 1 || cuts.n == 0) {
        out = Py_BuildValue("(OK)", text, (unsigned long long)seen);
        goto done;
    }
    char *buf = PyMem_Malloc((size_t)(n ? n : 1) * (size_t)kind);
    if (!buf) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t m = 0, from = 0;
    for (Py_ssize_t k = 0; k < cuts.n; k += 2) {
        Py_ssize_t a = cuts.at[k], b = cuts.at[k + 1];
        memcpy(buf + m * kind, d + from * kind, (size_t)(a - from) * (size_t)kind);
        m += a - from;
        from = b;
    }
    memcpy(buf + m * kind, d + from * kind, (size_t)(n - from) * (size_t)kind);
    m += n - from;
    page = PyUnicode_FromKindAndData(kind, buf, m);
    PyMem_Free(buf);
    if (page) out = Py_BuildValue("(NK)", page, (unsigned long long)seen);
done:
    PyMem_Free(cuts.at);
    PyMem_Free(stack.at);
    return out;
}
#undef RD
