/* sdk_kinds: every ABI v1 column type read and written (map echo, with nulls), and one function of
 * each kind: filter keep, flatmap explode, aggregate total. The same module exists in Rust and
 * AssemblyScript; SdkKindsTest runs all three on the same rows and expects the same answers. */
#include "ipdm.h"

IPDM_DESCRIPTOR(
{"abi": 1, "functions": [
  {"name": "echo", "kind": "map",
   "input": [{"name": "i32", "type": "int32"}, {"name": "i64", "type": "int64"},
             {"name": "u64", "type": "uint64"}, {"name": "f64", "type": "float64"},
             {"name": "flag", "type": "bool"}, {"name": "text", "type": "utf8"},
             {"name": "raw", "type": "binary"}, {"name": "key", "type": "fixed_size_binary(32)"},
             {"name": "at", "type": "timestamp"}, {"name": "tags", "type": "list<utf8>"}],
   "output": [{"name": "i32", "type": "int32"}, {"name": "i64", "type": "int64"},
              {"name": "u64", "type": "uint64"}, {"name": "f64", "type": "float64"},
              {"name": "flag", "type": "bool"}, {"name": "text", "type": "utf8"},
              {"name": "raw", "type": "binary"}, {"name": "key", "type": "fixed_size_binary(32)"},
              {"name": "at", "type": "timestamp"}, {"name": "tags", "type": "list<utf8>"}]},
  {"name": "keep", "kind": "filter", "input": [{"name": "flag", "type": "bool"}]},
  {"name": "explode", "kind": "flatmap",
   "input": [{"name": "text", "type": "utf8"}, {"name": "tags", "type": "list<utf8>"}],
   "output": [{"name": "text", "type": "utf8"}, {"name": "tag", "type": "utf8", "nullable": false},
              {"name": "position", "type": "int32", "nullable": false},
              {"name": "last", "type": "bool", "nullable": false}]},
  {"name": "total", "kind": "aggregate",
   "input": [{"name": "i64", "type": "int64"}, {"name": "f64", "type": "float64"}],
   "output": [{"name": "count", "type": "int64", "nullable": false},
              {"name": "sum", "type": "int64", "nullable": false},
              {"name": "fsum", "type": "float64", "nullable": false}]}]})

IPDM_EXPORT(echo) int32_t echo(const ArrowArray *in) {
    int32_t n = ipdm_rows(in);
    ipdm_out o = ipdm_out_new(10, n);
    int32_t *i32 = ipdm_out_i32(o, 0);
    int64_t *i64 = ipdm_out_i64(o, 1);
    uint64_t *u64 = ipdm_out_u64(o, 2);
    double *f64 = ipdm_out_f64(o, 3);
    uint8_t *flag = ipdm_out_bool(o, 4);
    ipdm_utf8_builder text = ipdm_out_utf8(o, 5, 0);
    ipdm_utf8_builder raw = ipdm_out_binary(o, 6, 0);
    uint8_t *key = ipdm_out_fsb32(o, 7);
    int64_t *at = ipdm_out_ts(o, 8);
    ipdm_list_builder tags = ipdm_out_list_utf8(o, 9, 0, 0);
    for (int32_t r = 0; r < n; r++) {
        i32[r] = ipdm_i32(in, 0)[r];
        i64[r] = ipdm_i64(in, 1)[r];
        u64[r] = ipdm_u64(in, 2)[r];
        f64[r] = ipdm_f64(in, 3)[r];
        if (ipdm_bool(in, 4, r)) ipdm_set_bit(flag, r);
        ipdm_bytes t = ipdm_utf8(in, 5, r);
        ipdm_utf8_push(&text, t.ptr, t.len);
        ipdm_bytes b = ipdm_binary(in, 6, r);
        ipdm_utf8_push(&raw, b.ptr, b.len);
        __builtin_memcpy(key + 32 * r, ipdm_fsb32(in, 7, r), 32);
        at[r] = ipdm_ts(in, 8)[r];
        if (!ipdm_is_null(in, 9, r)) {
            for (int32_t k = 0; k < ipdm_list_len(in, 9, r); k++) {
                ipdm_bytes item = ipdm_list_utf8(in, 9, r, k);
                ipdm_list_push(&tags, item.ptr, item.len);
            }
        }
        ipdm_list_end_row(&tags);
        for (int32_t c = 0; c < 10; c++) {
            if (ipdm_is_null(in, c, r)) ipdm_out_set_null(o, c, r);
        }
    }
    return ipdm_out_finish(o, n);
}

IPDM_EXPORT(keep) int32_t keep(const ArrowArray *in) {
    uint8_t *sel = ipdm_selection_new(in);
    for (int32_t r = 0; r < ipdm_rows(in); r++) {
        if (!ipdm_is_null(in, 0, r) && ipdm_bool(in, 0, r)) ipdm_select(sel, r);
    }
    return ipdm_selection_finish(sel);
}

IPDM_EXPORT(explode) int32_t explode(const ArrowArray *in) {
    int32_t n = ipdm_rows(in), total = 0;
    for (int32_t r = 0; r < n; r++) {
        if (!ipdm_is_null(in, 1, r)) total += ipdm_list_len(in, 1, r);
    }
    ipdm_out o = ipdm_out_new(4, total);
    ipdm_utf8_builder text = ipdm_out_utf8(o, 0, 0);
    ipdm_utf8_builder tag = ipdm_out_utf8(o, 1, 0);
    int32_t *position = ipdm_out_i32(o, 2);
    uint8_t *last = ipdm_out_bool(o, 3);
    int32_t row = 0;
    for (int32_t r = 0; r < n; r++) {
        if (ipdm_is_null(in, 1, r)) continue;
        int32_t k = ipdm_list_len(in, 1, r);
        for (int32_t i = 0; i < k; i++) {
            ipdm_bytes t = ipdm_utf8(in, 0, r);
            ipdm_utf8_push(&text, t.ptr, t.len);
            if (ipdm_is_null(in, 0, r)) ipdm_out_set_null(o, 0, row);
            ipdm_bytes item = ipdm_list_utf8(in, 1, r, i);
            ipdm_utf8_push(&tag, item.ptr, item.len);
            position[row] = i;
            if (i == k - 1) ipdm_set_bit(last, row);
            row++;
        }
    }
    return ipdm_out_finish(o, row);
}

typedef struct {
    int64_t count;
    int64_t sum;
    double fsum;
} total_state;

IPDM_EXPORT(total_create) int32_t total_create(void) {
    return ipdm_state_finish(ipdm_state_new(sizeof(total_state)));
}

IPDM_EXPORT(total_add) int32_t total_add(int32_t state, const ArrowArray *in) {
    total_state *old = (total_state *)ipdm_state_data(state, sizeof(total_state));
    if (!old) return IPDM_ERR_STATE;
    total_state *s = (total_state *)ipdm_state_new(sizeof(total_state));
    *s = *old;
    for (int32_t r = 0; r < ipdm_rows(in); r++) {
        if (!ipdm_is_null(in, 0, r)) {
            s->count++;
            s->sum += ipdm_i64(in, 0)[r];
        }
        if (!ipdm_is_null(in, 1, r)) s->fsum += ipdm_f64(in, 1)[r];
    }
    return ipdm_state_finish(s);
}

IPDM_EXPORT(total_merge) int32_t total_merge(int32_t a, int32_t b) {
    total_state *x = (total_state *)ipdm_state_data(a, sizeof(total_state));
    total_state *y = (total_state *)ipdm_state_data(b, sizeof(total_state));
    if (!x || !y) return IPDM_ERR_STATE;
    total_state *s = (total_state *)ipdm_state_new(sizeof(total_state));
    s->count = x->count + y->count;
    s->sum = x->sum + y->sum;
    s->fsum = x->fsum + y->fsum;
    return ipdm_state_finish(s);
}

IPDM_EXPORT(total_result) int32_t total_result(int32_t state) {
    total_state *s = (total_state *)ipdm_state_data(state, sizeof(total_state));
    if (!s) return IPDM_ERR_STATE;
    ipdm_out o = ipdm_out_new(3, 1);
    ipdm_out_i64(o, 0)[0] = s->count;
    ipdm_out_i64(o, 1)[0] = s->sum;
    ipdm_out_f64(o, 2)[0] = s->fsum;
    return ipdm_out_finish(o, 1);
}
