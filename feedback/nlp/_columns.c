/* The sentiment features' hot loop in C: the distinct feature columns of a batch of texts.
 *
 * The same features as ``features.sentiment_tokens`` (hashed as ``features.feature_index``
 * hashes them: MurmurHash3 x86 32-bit, seed 0, of the UTF-8 string, modulo 2**20), computed
 * without building a Python string per feature. What needs the lexicons (a word's kind, its
 * polarity, its "w:"/"n:" columns …) comes from ``features._native_word_info`` through a
 * memo table passed in; everything per text (negation scope, word bigrams, lexicon counts,
 * characters and character pairs) is done here. ``features.py`` uses this module only when
 * it was built from this very file (SOURCE_SHA256, set by tools/build_native.py), and the
 * tests check it against ``sentiment_tokens`` on every shipped text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#ifndef SOURCE_SHA256
#define SOURCE_SHA256 "unknown"
#endif

#define COLUMN_MASK ((1u << 20) - 1) /* N_FEATURES = 2**20 */
#define NEGATION_SCOPE 3

/* The layout of a word's info tuple (``features._native_word_info``). */
enum { INFO_KIND, INFO_POLARITY, INFO_FLAGS, INFO_W_COL, INFO_N_COL, INFO_BARE, INFO_CONTEXT,
       INFO_SIZE };
enum { KIND_WORD = 0, KIND_NEGATOR = 1, KIND_BREAK = 2 };
enum { FLAG_POST_NEGATOR = 1, FLAG_PARTICLE = 2, FLAG_CONTRAST = 4 };
/* Polarity codes: 0 none, 1 pos, 2 neg. Lexicon hits, by kind: */
enum { HIT_POS = 0, HIT_NEG = 1, HIT_NOT_POS = 2, HIT_NOT_NEG = 3, N_HITS = 4 };
static const char *HIT_NAMES[N_HITS] = {"pos", "neg", "not-pos", "not-neg"};

/* Columns of the lexicon-verdict features: "p:<kind>", "p:<kind>*2", "p:<kind>*3" per
 * kind, then "p:lean+", "p:lean-", "p:none". */
static uint32_t verdict_columns[N_HITS][3];
static uint32_t lean_plus, lean_minus, lean_none;

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

/* MurmurHash3_x86_32 (Austin Appleby, public domain), as scikit-learn's murmurhash3_32. */
static uint32_t murmur3(const unsigned char *data, size_t len)
{
    const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
    uint32_t h = 0, k;
    size_t blocks = len / 4, i;
    for (i = 0; i < blocks; i++) {
        memcpy(&k, data + 4 * i, 4); /* little-endian, as on every machine we run on */
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
        h = rotl32(h, 13);
        h = h * 5 + 0xe6546b64;
    }
    const unsigned char *tail = data + 4 * blocks;
    k = 0;
    switch (len & 3) {
    case 3:
        k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2:
        k ^= (uint32_t)tail[1] << 8; /* fall through */
    case 1:
        k ^= tail[0];
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    h ^= h >> 16;
    return h;
}

/* A growable byte buffer (feature strings) and a growable array of columns. */
typedef struct { unsigned char *data; size_t len, cap; } Bytes;
typedef struct { uint32_t *data; size_t len, cap; } Columns;

static int bytes_reserve(Bytes *b, size_t cap)
{
    if (cap <= b->cap) return 0;
    size_t grown = b->cap ? b->cap : 256;
    while (grown < cap) grown *= 2;
    unsigned char *data = PyMem_Realloc(b->data, grown);
    if (!data) { PyErr_NoMemory(); return -1; }
    b->data = data;
    b->cap = grown;
    return 0;
}

static int columns_push(Columns *c, uint32_t column)
{
    if (c->len == c->cap) {
        size_t grown = c->cap ? c->cap * 2 : 256;
        uint32_t *data = PyMem_Realloc(c->data, grown * sizeof(uint32_t));
        if (!data) { PyErr_NoMemory(); return -1; }
        c->data = data;
        c->cap = grown;
    }
    c->data[c->len++] = column;
    return 0;
}

/* Column of the concatenation prefix + a + middle + b (middle and b may be empty). */
static int column_of(Bytes *scratch, const char *prefix, const char *a, size_t a_len,
                     const char *middle, const char *b, size_t b_len, uint32_t *out)
{
    size_t p_len = strlen(prefix), m_len = strlen(middle);
    size_t len = p_len + a_len + m_len + b_len;
    if (bytes_reserve(scratch, len) < 0) return -1;
    unsigned char *at = scratch->data;
    memcpy(at, prefix, p_len);
    memcpy(at + p_len, a, a_len);
    memcpy(at + p_len + a_len, middle, m_len);
    memcpy(at + p_len + a_len + m_len, b, b_len);
    *out = murmur3(scratch->data, len) & COLUMN_MASK;
    return 0;
}

static int push_string_column(Columns *cols, Bytes *scratch, const char *prefix, const char *a,
                              size_t a_len, const char *middle, const char *b, size_t b_len)
{
    uint32_t column;
    if (column_of(scratch, prefix, a, a_len, middle, b, b_len, &column) < 0) return -1;
    return columns_push(cols, column);
}

static int read_int(PyObject *info, int index, long *out)
{
    *out = PyLong_AsLong(PyTuple_GET_ITEM(info, index));
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* True when only particles are left before the clause ends ("都没有了。"). */
static int clause_ends(PyObject **infos, Py_ssize_t start, Py_ssize_t n)
{
    for (Py_ssize_t i = start; i < n; i++) {
        long kind, flags;
        if (read_int(infos[i], INFO_KIND, &kind) < 0 || read_int(infos[i], INFO_FLAGS, &flags) < 0)
            return -1;
        if (kind == KIND_BREAK) return 1;
        if (!(flags & FLAG_PARTICLE)) return 0;
    }
    return 1;
}

/* Word, negation, bigram and lexicon columns of one text's words (as ``sentiment_tokens``).
 * ``infos`` holds one strong reference per word, owned by the caller. */
static int word_columns(PyObject **words, PyObject **infos, Py_ssize_t n, Columns *cols,
                        Bytes *scratch)
{
    int hits[N_HITS] = {0, 0, 0, 0};
    const char *previous = "^";
    Py_ssize_t previous_len = 1;
    int negated_left = 0, last_opinion = 0;
    PyObject *context = NULL; /* strong reference: what opinion words mean after a subject */
    int status = -1;

    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *info = infos[i];
        long kind, polarity, flags, w_col, n_col;
        if (read_int(info, INFO_KIND, &kind) < 0 || read_int(info, INFO_POLARITY, &polarity) < 0
            || read_int(info, INFO_FLAGS, &flags) < 0 || read_int(info, INFO_W_COL, &w_col) < 0
            || read_int(info, INFO_N_COL, &n_col) < 0)
            goto done;
        if (kind == KIND_BREAK) {
            negated_left = 0;
            previous = "^";
            previous_len = 1;
            last_opinion = 0;
            Py_CLEAR(context);
            if ((flags & FLAG_CONTRAST) && columns_push(cols, (uint32_t)w_col) < 0) goto done;
            continue;
        }
        if (context != NULL) {
            PyObject *meant = PyDict_GetItemWithError(context, PyTuple_GET_ITEM(info, INFO_BARE));
            if (meant != NULL) {
                polarity = PyLong_AsLong(meant);
                if (polarity == -1 && PyErr_Occurred()) goto done;
            } else if (PyErr_Occurred()) {
                goto done;
            }
        }
        PyObject *subject = PyTuple_GET_ITEM(info, INFO_CONTEXT);
        if (subject != Py_None) {
            Py_INCREF(subject);
            Py_XSETREF(context, subject);
        }
        if (kind == KIND_NEGATOR) {
            int ends = 0;
            if (last_opinion && (flags & FLAG_POST_NEGATOR)) {
                ends = clause_ends(infos, i + 1, n);
                if (ends < 0) goto done;
            }
            if (ends) {
                hits[last_opinion == 1 ? HIT_POS : HIT_NEG] -= 1;
                hits[last_opinion == 1 ? HIT_NOT_POS : HIT_NOT_NEG] += 1;
                last_opinion = 0;
            } else {
                /* Two negators cancel out: 不是不好 is not negative. */
                negated_left = negated_left ? 0 : NEGATION_SCOPE;
            }
            if (columns_push(cols, (uint32_t)w_col) < 0) goto done;
        } else if (negated_left) {
            if (columns_push(cols, (uint32_t)n_col) < 0) goto done;
            if (polarity) hits[polarity == 1 ? HIT_NOT_POS : HIT_NOT_NEG] += 1;
            negated_left -= 1;
        } else {
            if (columns_push(cols, (uint32_t)w_col) < 0) goto done;
            if (polarity) {
                hits[polarity == 1 ? HIT_POS : HIT_NEG] += 1;
                last_opinion = (int)polarity;
            }
        }
        Py_ssize_t word_len;
        const char *word = PyUnicode_AsUTF8AndSize(words[i], &word_len);
        if (word == NULL) goto done;
        if (push_string_column(cols, scratch, "b:", previous, (size_t)previous_len, "|", word,
                               (size_t)word_len) < 0)
            goto done;
        previous = word; /* owned by the words sequence, alive for this call */
        previous_len = word_len;
    }
    /* The lexicon's verdict (``features._lexicon_verdict``), and "p:<kind>" per kind left. */
    for (int kind = 0; kind < N_HITS; kind++) {
        for (int count = 1; count <= 3 && count <= hits[kind]; count++)
            if (columns_push(cols, verdict_columns[kind][count - 1]) < 0) goto done;
    }
    int praise = hits[HIT_POS] + hits[HIT_NOT_NEG], blame = hits[HIT_NEG] + hits[HIT_NOT_POS];
    if (praise != blame) {
        if (columns_push(cols, praise > blame ? lean_plus : lean_minus) < 0) goto done;
    } else if (!praise) {
        if (columns_push(cols, lean_none) < 0) goto done;
    }
    status = 0;
done:
    Py_XDECREF(context);
    return status;
}

/* Characters and character pairs of the text: its Han characters (U+4E00–U+9FFF) and runs
 * of a–z, as ``_CHAR_RE.findall``, each "c:" + token and "c:" + token + next token. */
static int char_columns(PyObject *text, Columns *cols, Bytes *tokens, Bytes *scratch)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* Tokens' UTF-8 one after the other; where each ends in ``ends``. */
    if (bytes_reserve(tokens, (size_t)length * 3 + 1) < 0) return -1;
    size_t used = 0, previous_start = 0, previous_end = 0;
    int have_previous = 0;
    Py_ssize_t i = 0;
    while (i < length) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        size_t start = used;
        if (ch >= 0x4e00 && ch <= 0x9fff) {
            tokens->data[used++] = (unsigned char)(0xe0 | (ch >> 12));
            tokens->data[used++] = (unsigned char)(0x80 | ((ch >> 6) & 0x3f));
            tokens->data[used++] = (unsigned char)(0x80 | (ch & 0x3f));
            i++;
        } else if (ch >= 'a' && ch <= 'z') {
            while (i < length && (ch = PyUnicode_READ(kind, data, i)) >= 'a' && ch <= 'z') {
                tokens->data[used++] = (unsigned char)ch;
                i++;
            }
        } else {
            i++;
            continue;
        }
        const char *token = (const char *)tokens->data + start;
        if (push_string_column(cols, scratch, "c:", token, used - start, "", "", 0) < 0) return -1;
        if (have_previous
            && push_string_column(cols, scratch, "c:",
                                  (const char *)tokens->data + previous_start,
                                  previous_end - previous_start, "", token, used - start) < 0)
            return -1;
        previous_start = start;
        previous_end = used;
        have_previous = 1;
    }
    return 0;
}

/* Keep the distinct columns of cols[from:], in first-seen order, with an open-addressing
 * set stamped per text (no clearing between texts). */
typedef struct { uint32_t *keys, *stamps; size_t size; uint32_t stamp; } Seen;

static int distinct_tail(Columns *cols, size_t from, Seen *seen)
{
    size_t n = cols->len - from, need = 16;
    while (need < 2 * n) need *= 2;
    if (need > seen->size) {
        PyMem_Free(seen->keys);
        PyMem_Free(seen->stamps);
        seen->keys = PyMem_Malloc(need * sizeof(uint32_t));
        seen->stamps = PyMem_Calloc(need, sizeof(uint32_t));
        seen->size = need;
        seen->stamp = 0;
        if (!seen->keys || !seen->stamps) { PyErr_NoMemory(); seen->size = 0; return -1; }
    }
    if (++seen->stamp == 0) { /* wrapped: forget every stamp */
        memset(seen->stamps, 0, seen->size * sizeof(uint32_t));
        seen->stamp = 1;
    }
    size_t mask = seen->size - 1, kept = from;
    for (size_t i = from; i < cols->len; i++) {
        uint32_t column = cols->data[i];
        size_t slot = (column * 2654435761u) & mask;
        while (seen->stamps[slot] == seen->stamp && seen->keys[slot] != column)
            slot = (slot + 1) & mask;
        if (seen->stamps[slot] == seen->stamp) continue;
        seen->stamps[slot] = seen->stamp;
        seen->keys[slot] = column;
        cols->data[kept++] = column;
    }
    cols->len = kept;
    return 0;
}

PyDoc_STRVAR(distinct_columns_doc,
"distinct_columns(texts, words, infos) -> (bytes, bytes)\n\n"
"Every text's distinct feature columns, one text after the other (uint32, native order),\n"
"and how many each text has (int64). ``words``: each text's words; ``infos``: word ->\n"
"info tuple (a mapping that computes what it lacks, as features._NATIVE_INFO).");

static PyObject *distinct_columns(PyObject *self, PyObject *args)
{
    PyObject *texts_arg, *words_arg, *info_table;
    if (!PyArg_ParseTuple(args, "OOO:distinct_columns", &texts_arg, &words_arg, &info_table))
        return NULL;
    PyObject *texts = PySequence_Fast(texts_arg, "texts must be a sequence");
    if (!texts) return NULL;
    PyObject *word_lists = PySequence_Fast(words_arg, "words must be a sequence");
    if (!word_lists) { Py_DECREF(texts); return NULL; }
    PyObject *result = NULL, *flat = NULL, *lengths_bytes = NULL;
    Columns cols = {NULL, 0, 0};
    Bytes scratch = {NULL, 0, 0}, tokens = {NULL, 0, 0};
    Seen seen = {NULL, NULL, 0, 0};
    PyObject **infos = NULL;
    Py_ssize_t infos_cap = 0, held = 0;
    Py_ssize_t n_texts = PySequence_Fast_GET_SIZE(texts);
    if (PySequence_Fast_GET_SIZE(word_lists) != n_texts) {
        PyErr_SetString(PyExc_ValueError, "texts and words differ in length");
        goto done;
    }
    int64_t *lengths = PyMem_Malloc((size_t)(n_texts ? n_texts : 1) * sizeof(int64_t));
    if (!lengths) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *text = PySequence_Fast_GET_ITEM(texts, t);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "text %zd is not a str", t);
            goto free_lengths;
        }
        PyObject *seq = PySequence_Fast(PySequence_Fast_GET_ITEM(word_lists, t),
                                        "each text's words must be a sequence");
        if (!seq) goto free_lengths;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        PyObject **words = PySequence_Fast_ITEMS(seq);
        if (n > infos_cap) {
            PyObject **grown = PyMem_Realloc(infos, (size_t)n * sizeof(PyObject *));
            if (!grown) { PyErr_NoMemory(); Py_DECREF(seq); goto free_lengths; }
            infos = grown;
            infos_cap = n;
        }
        int failed = 0;
        for (held = 0; held < n; held++) {
            if (!PyUnicode_Check(words[held])) {
                PyErr_Format(PyExc_TypeError, "word %zd of text %zd is not a str", held, t);
                failed = 1;
                break;
            }
            PyObject *info = PyObject_GetItem(info_table, words[held]);
            if (!info) { failed = 1; break; }
            if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) != INFO_SIZE) {
                PyErr_SetString(PyExc_TypeError, "a word's info is not a tuple of 7");
                Py_DECREF(info);
                failed = 1;
                break;
            }
            infos[held] = info;
        }
        size_t from = cols.len;
        if (!failed)
            failed = word_columns(words, infos, n, &cols, &scratch) < 0
                     || char_columns(text, &cols, &tokens, &scratch) < 0
                     || distinct_tail(&cols, from, &seen) < 0;
        for (Py_ssize_t i = 0; i < held; i++) Py_DECREF(infos[i]);
        held = 0;
        Py_DECREF(seq);
        if (failed) goto free_lengths;
        lengths[t] = (int64_t)(cols.len - from);
    }
    flat = PyBytes_FromStringAndSize((const char *)cols.data, (Py_ssize_t)(cols.len * sizeof(uint32_t)));
    lengths_bytes = PyBytes_FromStringAndSize((const char *)lengths, n_texts * (Py_ssize_t)sizeof(int64_t));
    if (flat && lengths_bytes) result = PyTuple_Pack(2, flat, lengths_bytes);
    Py_XDECREF(flat);
    Py_XDECREF(lengths_bytes);
free_lengths:
    PyMem_Free(lengths);
done:
    PyMem_Free(infos);
    PyMem_Free(cols.data);
    PyMem_Free(scratch.data);
    PyMem_Free(tokens.data);
    PyMem_Free(seen.keys);
    PyMem_Free(seen.stamps);
    Py_DECREF(texts);
    Py_DECREF(word_lists);
    return result;
}

static PyObject *column(PyObject *self, PyObject *arg)
{
    Py_ssize_t len;
    const char *data = PyUnicode_AsUTF8AndSize(arg, &len);
    if (!data) return NULL;
    return PyLong_FromUnsignedLong(murmur3((const unsigned char *)data, (size_t)len) & COLUMN_MASK);
}

static PyMethodDef methods[] = {
    {"distinct_columns", distinct_columns, METH_VARARGS, distinct_columns_doc},
    {"column", column, METH_O, "column(feature) -> int: the feature string's hashed column."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_columns", "Sentiment feature columns, the hot loop in C.", -1,
    methods, NULL, NULL, NULL, NULL,
};

static uint32_t string_column(const char *s)
{
    return murmur3((const unsigned char *)s, strlen(s)) & COLUMN_MASK;
}

PyMODINIT_FUNC PyInit__columns(void)
{
    char name[32];
    for (int kind = 0; kind < N_HITS; kind++) {
        snprintf(name, sizeof name, "p:%s", HIT_NAMES[kind]);
        verdict_columns[kind][0] = string_column(name);
        for (int count = 2; count <= 3; count++) {
            snprintf(name, sizeof name, "p:%s*%d", HIT_NAMES[kind], count);
            verdict_columns[kind][count - 1] = string_column(name);
        }
    }
    lean_plus = string_column("p:lean+");
    lean_minus = string_column("p:lean-");
    lean_none = string_column("p:none");
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0
        || PyModule_AddIntConstant(m, "N_FEATURES", (long)COLUMN_MASK + 1) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
