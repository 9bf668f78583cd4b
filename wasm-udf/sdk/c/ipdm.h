/*
 * IPDM columnar ABI v1 SDK for C (clang --target=wasm32). Header-only: include it in the one .c file
 * of a module. See docs/wasm-abi.md for the ABI itself.
 *
 *   #include "ipdm.h"
 *   IPDM_DESCRIPTOR({"abi": 1, "functions": [...]})
 *   IPDM_EXPORT(double_fee) int32_t double_fee(const ArrowArray *in) { ... }
 *
 * Reading: ipdm_rows, ipdm_is_null, ipdm_i32/i64/u64/f64/ts/bool, ipdm_utf8/binary, ipdm_fsb32,
 * ipdm_list_len/ipdm_list_utf8. Writing: ipdm_out_new, ipdm_out_i32/i64/u64/f64/ts/fsb32,
 * ipdm_out_bool + ipdm_set_bit, ipdm_out_utf8/binary + ipdm_utf8_push, ipdm_out_list_utf8 +
 * ipdm_list_push/ipdm_list_end_row, ipdm_out_set_null, ipdm_out_finish. Filters: ipdm_selection_new + ipdm_select.
 * Aggregates: ipdm_state_new / ipdm_state_data. Memory: everything lives in an arena the host
 * resets before each call, so nothing is ever freed by hand.
 */
#ifndef IPDM_H
#define IPDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPDM_ABI_VERSION 1

#define IPDM_ERR_INPUT (-1)
#define IPDM_ERR_NOMEM (-2)
#define IPDM_ERR_STATE (-3)
#define IPDM_ERR_INTERNAL (-4)

#define IPDM_LOG_DEBUG 0
#define IPDM_LOG_INFO 1
#define IPDM_LOG_WARN 2
#define IPDM_LOG_ERROR 3

#define IPDM_EXPORT(name) __attribute__((export_name(#name)))
/*
 * The ABI descriptor, written as plain JSON tokens, goes into the custom section "ipdm.abi":
 *   IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "f", "kind": "map", ...}]})
 * (stringized twice, unexpanded: true/false stay JSON, quotes get escaped for .ascii).
 */
#define IPDM__Q(s) #s
#define IPDM_DESCRIPTOR(...)                                        \
    __asm__(".section .custom_section.ipdm.abi,\"\",@\n.ascii " \
            IPDM__Q(#__VA_ARGS__) "\n.text\n");

/* Arrow C Data Interface, as laid out on wasm32 (64 bytes). */
typedef struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
} ArrowArray;
_Static_assert(sizeof(ArrowArray) == 64, "ArrowArray must be 64 bytes on wasm32");

typedef struct {
    const uint8_t *ptr;
    int32_t len;
} ipdm_bytes;

/* ---- host imports ------------------------------------------------------------------------- */

__attribute__((import_module("ipdm"), import_name("log"))) void ipdm__log(int32_t level,
                                                                          const char *msg,
                                                                          int32_t len);
__attribute__((import_module("ipdm"), import_name("abort"))) void ipdm__abort(const char *msg,
                                                                              int32_t len);

static inline int32_t ipdm__strlen(const char *s) {
    int32_t n = 0;
    while (s[n]) n++;
    return n;
}
static inline void ipdm_log(int32_t level, const char *msg) { ipdm__log(level, msg, ipdm__strlen(msg)); }
/* Stops the call: the host fails the batch with this message. */
static inline _Noreturn void ipdm_abort(const char *msg) {
    ipdm__abort(msg, ipdm__strlen(msg));
    __builtin_unreachable();
}

/* ---- memory: a bump arena over linear memory, reset by the host before every call --------- */

void *memcpy(void *dst, const void *src, size_t n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}
void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n);
    return dst;
}

extern unsigned char __heap_base;
static uintptr_t ipdm__top;

IPDM_EXPORT(ipdm_reset) void ipdm_reset(void) { ipdm__top = (uintptr_t)&__heap_base; }

/* 8-aligned bytes from the arena, or NULL when memory cannot grow (the memory cap). */
IPDM_EXPORT(ipdm_alloc) void *ipdm_alloc(int32_t size) {
    if (ipdm__top == 0) ipdm_reset();
    if (size < 0) return NULL;
    uintptr_t p = (ipdm__top + 7) & ~(uintptr_t)7;
    uintptr_t end = p + (uint32_t)size;
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        uintptr_t pages = (end - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
    }
    ipdm__top = end;
    return (void *)p;
}

/* Like ipdm_alloc but aborts the call with IPDM_ERR_NOMEM semantics (host reports the memory cap). */
static inline void *ipdm_alloc_or_abort(int32_t size) {
    void *p = ipdm_alloc(size);
    if (!p) ipdm_abort("out of memory: the module reached its memory cap");
    return p;
}

static inline void *ipdm_zalloc(int32_t size) {
    void *p = ipdm_alloc_or_abort(size);
    __builtin_memset(p, 0, (size_t)size);
    return p;
}

/* ---- reading a batch ------------------------------------------------------------------------ */

static inline int32_t ipdm_rows(const ArrowArray *batch) { return (int32_t)batch->length; }
static inline const ArrowArray *ipdm_col(const ArrowArray *batch, int32_t col) {
    return batch->children[col];
}
static inline bool ipdm_bit(const uint8_t *bits, int32_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
static inline bool ipdm_is_null(const ArrowArray *batch, int32_t col, int32_t row) {
    const uint8_t *v = (const uint8_t *)ipdm_col(batch, col)->buffers[0];
    return v != NULL && !ipdm_bit(v, row);
}
static inline const int32_t *ipdm_i32(const ArrowArray *b, int32_t col) {
    return (const int32_t *)ipdm_col(b, col)->buffers[1];
}
static inline const int64_t *ipdm_i64(const ArrowArray *b, int32_t col) {
    return (const int64_t *)ipdm_col(b, col)->buffers[1];
}
static inline const uint64_t *ipdm_u64(const ArrowArray *b, int32_t col) {
    return (const uint64_t *)ipdm_col(b, col)->buffers[1];
}
static inline const double *ipdm_f64(const ArrowArray *b, int32_t col) {
    return (const double *)ipdm_col(b, col)->buffers[1];
}
/* timestamp: milliseconds since the epoch, UTC */
static inline const int64_t *ipdm_ts(const ArrowArray *b, int32_t col) { return ipdm_i64(b, col); }
static inline bool ipdm_bool(const ArrowArray *b, int32_t col, int32_t row) {
    return ipdm_bit((const uint8_t *)ipdm_col(b, col)->buffers[1], row);
}
static inline ipdm_bytes ipdm__var(const ArrowArray *a, int32_t row) {
    const int32_t *off = (const int32_t *)a->buffers[1];
    ipdm_bytes r = {(const uint8_t *)a->buffers[2] + off[row], off[row + 1] - off[row]};
    return r;
}
static inline ipdm_bytes ipdm_utf8(const ArrowArray *b, int32_t col, int32_t row) {
    return ipdm__var(ipdm_col(b, col), row);
}
static inline ipdm_bytes ipdm_binary(const ArrowArray *b, int32_t col, int32_t row) {
    return ipdm__var(ipdm_col(b, col), row);
}
/* fixed_size_binary(32): 32 bytes (a public key or a hash) */
static inline const uint8_t *ipdm_fsb32(const ArrowArray *b, int32_t col, int32_t row) {
    return (const uint8_t *)ipdm_col(b, col)->buffers[1] + 32 * row;
}
static inline int32_t ipdm_list_len(const ArrowArray *b, int32_t col, int32_t row) {
    const int32_t *off = (const int32_t *)ipdm_col(b, col)->buffers[1];
    return off[row + 1] - off[row];
}
static inline ipdm_bytes ipdm_list_utf8(const ArrowArray *b, int32_t col, int32_t row, int32_t k) {
    const ArrowArray *l = ipdm_col(b, col);
    const int32_t *off = (const int32_t *)l->buffers[1];
    return ipdm__var(l->children[0], off[row] + k);
}
static inline bool ipdm_bytes_eq_n(ipdm_bytes a, const char *s, int32_t n) {
    if (a.len != n) return false;
    for (int32_t i = 0; i < n; i++)
        if (a.ptr[i] != (uint8_t)s[i]) return false;
    return true;
}
static inline bool ipdm_bytes_eq(ipdm_bytes a, const char *s) {
    return ipdm_bytes_eq_n(a, s, ipdm__strlen(s));
}

/* ---- writing a batch -------------------------------------------------------------------------- */

typedef struct {
    ArrowArray *top;
    int32_t capacity;
} ipdm_out;

typedef struct {
    ArrowArray *col;
    int32_t *offsets;
    uint8_t *data;
    int32_t cap;
    int32_t rows;
} ipdm_utf8_builder;

/* An output batch of ncols columns with room for capacity rows. */
static inline ipdm_out ipdm_out_new(int32_t ncols, int32_t capacity) {
    ArrowArray *top = (ArrowArray *)ipdm_zalloc(sizeof(ArrowArray));
    top->n_buffers = 1;
    top->buffers = (const void **)ipdm_zalloc(sizeof(void *));
    top->n_children = ncols;
    top->children = (ArrowArray **)ipdm_zalloc(ncols * (int32_t)sizeof(void *));
    top->length = capacity;
    ipdm_out o = {top, capacity};
    return o;
}
static inline ArrowArray *ipdm__out_col(ipdm_out o, int32_t col, int32_t nbuf) {
    ArrowArray *a = (ArrowArray *)ipdm_zalloc(sizeof(ArrowArray));
    a->length = o.capacity;
    a->n_buffers = nbuf;
    a->buffers = (const void **)ipdm_zalloc(nbuf * (int32_t)sizeof(void *));
    o.top->children[col] = a;
    return a;
}
static inline void *ipdm__out_fixed(ipdm_out o, int32_t col, int32_t width) {
    ArrowArray *a = ipdm__out_col(o, col, 2);
    void *v = ipdm_zalloc(o.capacity * width + 8);
    a->buffers[1] = v;
    return v;
}
static inline int32_t *ipdm_out_i32(ipdm_out o, int32_t col) { return (int32_t *)ipdm__out_fixed(o, col, 4); }
static inline int64_t *ipdm_out_i64(ipdm_out o, int32_t col) { return (int64_t *)ipdm__out_fixed(o, col, 8); }
static inline uint64_t *ipdm_out_u64(ipdm_out o, int32_t col) { return (uint64_t *)ipdm__out_fixed(o, col, 8); }
static inline double *ipdm_out_f64(ipdm_out o, int32_t col) { return (double *)ipdm__out_fixed(o, col, 8); }
static inline int64_t *ipdm_out_ts(ipdm_out o, int32_t col) { return (int64_t *)ipdm__out_fixed(o, col, 8); }
static inline uint8_t *ipdm_out_fsb32(ipdm_out o, int32_t col) { return (uint8_t *)ipdm__out_fixed(o, col, 32); }
/* bool column: a bitmap; set bits with ipdm_set_bit */
static inline uint8_t *ipdm_out_bool(ipdm_out o, int32_t col) {
    ArrowArray *a = ipdm__out_col(o, col, 2);
    uint8_t *v = (uint8_t *)ipdm_zalloc((o.capacity + 7) / 8 + 8);
    a->buffers[1] = v;
    return v;
}
static inline void ipdm_set_bit(uint8_t *bits, int32_t i) { bits[i >> 3] |= (uint8_t)(1u << (i & 7)); }

/* Marks a value null (the column gets a validity bitmap on first use). */
static inline void ipdm_out_set_null(ipdm_out o, int32_t col, int32_t row) {
    ArrowArray *a = o.top->children[col];
    if (a->buffers[0] == NULL) {
        int32_t n = (o.capacity + 7) / 8 + 8;
        uint8_t *v = (uint8_t *)ipdm_alloc_or_abort(n);
        __builtin_memset(v, 0xff, (size_t)n);
        a->buffers[0] = v;
    }
    ((uint8_t *)a->buffers[0])[row >> 3] &= (uint8_t) ~(1u << (row & 7));
    a->null_count++;
}

/* utf8 or binary column; append one value per row with ipdm_utf8_push. */
static inline ipdm_utf8_builder ipdm_out_utf8(ipdm_out o, int32_t col, int32_t bytes_hint) {
    ArrowArray *a = ipdm__out_col(o, col, 3);
    ipdm_utf8_builder b;
    b.col = a;
    b.offsets = (int32_t *)ipdm_zalloc((o.capacity + 1) * 4);
    b.cap = bytes_hint > 0 ? bytes_hint : 64;
    b.data = (uint8_t *)ipdm_alloc_or_abort(b.cap);
    b.rows = 0;
    a->buffers[1] = b.offsets;
    a->buffers[2] = b.data;
    return b;
}
static inline void ipdm_utf8_push(ipdm_utf8_builder *b, const void *ptr, int32_t len) {
    int32_t at = b->offsets[b->rows];
    if (at + len > b->cap) {
        int32_t cap = b->cap * 2;
        while (at + len > cap) cap *= 2;
        uint8_t *d = (uint8_t *)ipdm_alloc_or_abort(cap);
        __builtin_memcpy(d, b->data, (size_t)at);
        b->data = d;
        b->cap = cap;
        b->col->buffers[2] = d;
    }
    __builtin_memcpy(b->data + at, ptr, (size_t)len);
    b->offsets[++b->rows] = at + len;
}
static inline void ipdm_utf8_push_str(ipdm_utf8_builder *b, const char *s) {
    ipdm_utf8_push(b, s, ipdm__strlen(s));
}
/* binary column: the same builder as utf8 (any bytes). */
static inline ipdm_utf8_builder ipdm_out_binary(ipdm_out o, int32_t col, int32_t bytes_hint) {
    return ipdm_out_utf8(o, col, bytes_hint);
}

/* list<utf8> column: push a row's items with ipdm_list_push, then end the row with
 * ipdm_list_end_row (a null row: end it empty, then ipdm_out_set_null). */
typedef struct {
    int32_t *offsets; /* row -> first item, capacity + 1 */
    int32_t rows;
    ArrowArray *items;
    int32_t *item_offsets;
    int32_t item_cap;
    uint8_t *data;
    int32_t cap;
} ipdm_list_builder;

static inline ipdm_list_builder ipdm_out_list_utf8(ipdm_out o, int32_t col, int32_t items_hint,
                                                   int32_t bytes_hint) {
    ArrowArray *a = ipdm__out_col(o, col, 2);
    ArrowArray *items = (ArrowArray *)ipdm_zalloc(sizeof(ArrowArray));
    items->n_buffers = 3;
    items->buffers = (const void **)ipdm_zalloc(3 * (int32_t)sizeof(void *));
    a->n_children = 1;
    a->children = (ArrowArray **)ipdm_zalloc((int32_t)sizeof(void *));
    a->children[0] = items;
    ipdm_list_builder b;
    b.offsets = (int32_t *)ipdm_zalloc((o.capacity + 1) * 4);
    b.rows = 0;
    b.items = items;
    b.item_cap = items_hint > 0 ? items_hint : 16;
    b.item_offsets = (int32_t *)ipdm_zalloc((b.item_cap + 1) * 4);
    b.cap = bytes_hint > 0 ? bytes_hint : 64;
    b.data = (uint8_t *)ipdm_alloc_or_abort(b.cap);
    a->buffers[1] = b.offsets;
    items->buffers[1] = b.item_offsets;
    items->buffers[2] = b.data;
    return b;
}
/* Appends one item to the current row. */
static inline void ipdm_list_push(ipdm_list_builder *b, const void *ptr, int32_t len) {
    int32_t n = (int32_t)b->items->length;
    if (n == b->item_cap) {
        int32_t cap = b->item_cap * 2;
        int32_t *off = (int32_t *)ipdm_alloc_or_abort((cap + 1) * 4);
        __builtin_memcpy(off, b->item_offsets, (size_t)(n + 1) * 4);
        b->item_offsets = off;
        b->item_cap = cap;
        b->items->buffers[1] = off;
    }
    int32_t at = b->item_offsets[n];
    if (at + len > b->cap) {
        int32_t cap = b->cap * 2;
        while (at + len > cap) cap *= 2;
        uint8_t *d = (uint8_t *)ipdm_alloc_or_abort(cap);
        __builtin_memcpy(d, b->data, (size_t)at);
        b->data = d;
        b->cap = cap;
        b->items->buffers[2] = d;
    }
    __builtin_memcpy(b->data + at, ptr, (size_t)len);
    b->item_offsets[n + 1] = at + len;
    b->items->length = n + 1;
}
static inline void ipdm_list_push_str(ipdm_list_builder *b, const char *s) {
    ipdm_list_push(b, s, ipdm__strlen(s));
}
/* Ends the current row: it holds the items pushed since the previous end. */
static inline void ipdm_list_end_row(ipdm_list_builder *b) {
    b->offsets[b->rows + 1] = (int32_t)b->items->length;
    b->rows++;
}

/* Sets the row count of every column (rows <= capacity) and returns the batch for the host. */
static inline int32_t ipdm_out_finish(ipdm_out o, int32_t rows) {
    o.top->length = rows;
    for (int64_t c = 0; c < o.top->n_children; c++) {
        ArrowArray *a = o.top->children[c];
        if (a == NULL) ipdm_abort("ipdm_out_finish: an output column was never written");
        a->length = rows;
    }
    return (int32_t)(uintptr_t)o.top;
}

/* ---- filters ---------------------------------------------------------------------------------- */

static inline uint8_t *ipdm_selection_new(const ArrowArray *batch) {
    return (uint8_t *)ipdm_zalloc((ipdm_rows(batch) + 7) / 8 + 8);
}
static inline void ipdm_select(uint8_t *sel, int32_t row) { ipdm_set_bit(sel, row); }
static inline int32_t ipdm_selection_finish(uint8_t *sel) { return (int32_t)(uintptr_t)sel; }

/* ---- aggregate state: [u32 length][bytes] blobs in the arena ---------------------------------- */

/* A new state blob of size bytes (zeroed); returns a pointer to its bytes. */
static inline void *ipdm_state_new(int32_t size) {
    int32_t *blob = (int32_t *)ipdm_zalloc(4 + size);
    blob[0] = size;
    return blob + 1;
}
/* The bytes of a state blob the host passed in, or NULL when its size is not `size`. */
static inline void *ipdm_state_data(int32_t blob, int32_t size) {
    int32_t *b = (int32_t *)(uintptr_t)blob;
    return b[0] == size ? (void *)(b + 1) : NULL;
}
/* What an aggregate function returns for the state whose bytes start at data. */
static inline int32_t ipdm_state_finish(void *data) { return (int32_t)(uintptr_t)((int32_t *)data - 1); }

#endif
