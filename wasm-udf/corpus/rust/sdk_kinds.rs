//! sdk_kinds: every ABI v1 column type read and written (map `echo`, with nulls), and one function
//! of each kind: filter `keep`, flatmap `explode`, aggregate `total`. The same module exists in C and
//! AssemblyScript; SdkKindsTest runs all three on the same rows and expects the same answers.
#![no_std]

ipdm::descriptor!(
    DESCRIPTOR,
    r#"{"abi": 1, "functions": [
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
              {"name": "fsum", "type": "float64", "nullable": false}]}]}"#
);

#[no_mangle]
pub extern "C" fn echo(batch: i32) -> i32 {
    let b = ipdm::Batch::at(batch);
    let n = b.rows();
    let mut out = ipdm::OutBatch::new(10, n);
    out.i32(0).copy_from_slice(b.i32(0).values);
    out.i64(1).copy_from_slice(b.i64(1).values);
    out.u64(2).copy_from_slice(b.u64(2).values);
    out.f64(3).copy_from_slice(b.f64(3).values);
    let flag_in = b.bools(4);
    let mut flag = out.bools(4);
    let text_in = b.utf8(5);
    let mut text = out.utf8(5);
    let raw_in = b.binary(6);
    let mut raw = out.binary(6);
    out.fsb32(7).copy_from_slice(b.fsb32(7).values);
    out.timestamp(8).copy_from_slice(b.timestamp(8).values);
    let tags_in = b.list_utf8(9);
    let mut tags = out.list_utf8(9);
    for r in 0..n {
        flag.set(r, flag_in.value(r));
        text.push_str(text_in.str(r));
        raw.push(raw_in.bytes(r));
        for k in 0..tags_in.len(r) {
            tags.push_str(tags_in.item(r, k));
        }
        tags.end_row();
        for c in 0..10 {
            if b.is_null(c, r) {
                out.set_null(c, r);
            }
        }
    }
    out.finish(n)
}

#[no_mangle]
pub extern "C" fn keep(batch: i32) -> i32 {
    let b = ipdm::Batch::at(batch);
    let flag = b.bools(0);
    let mut sel = ipdm::Selection::new(&b);
    for r in 0..b.rows() {
        if flag.get(r) == Some(true) {
            sel.keep(r);
        }
    }
    sel.finish()
}

#[no_mangle]
pub extern "C" fn explode(batch: i32) -> i32 {
    let b = ipdm::Batch::at(batch);
    let text_in = b.utf8(0);
    let tags_in = b.list_utf8(1);
    let total: usize = (0..b.rows()).filter(|&r| !tags_in.is_null(r)).map(|r| tags_in.len(r)).sum();
    let mut out = ipdm::OutBatch::new(4, total);
    let mut text = out.utf8(0);
    let mut tag = out.utf8(1);
    let position = out.i32(2);
    let mut last = out.bools(3);
    let mut row = 0;
    for r in 0..b.rows() {
        if tags_in.is_null(r) {
            continue;
        }
        let k = tags_in.len(r);
        for i in 0..k {
            text.push_str(text_in.str(r));
            if text_in.is_null(r) {
                out.set_null(0, row);
            }
            tag.push_str(tags_in.item(r, i));
            position[row] = i as i32;
            last.set(row, i == k - 1);
            row += 1;
        }
    }
    out.finish(row)
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Total {
    count: i64,
    sum: i64,
    fsum: f64,
}

#[no_mangle]
pub extern "C" fn total_create() -> i32 {
    ipdm::state_new(Total { count: 0, sum: 0, fsum: 0.0 })
}

#[no_mangle]
pub extern "C" fn total_add(state: i32, batch: i32) -> i32 {
    let mut s = match ipdm::state_read::<Total>(state) {
        Some(s) => s,
        None => return ipdm::ERR_STATE,
    };
    let b = ipdm::Batch::at(batch);
    let (v, f) = (b.i64(0), b.f64(1));
    for r in 0..b.rows() {
        if let Some(x) = v.get(r) {
            s.count += 1;
            s.sum = s.sum.wrapping_add(x);
        }
        if let Some(x) = f.get(r) {
            s.fsum += x;
        }
    }
    ipdm::state_new(s)
}

#[no_mangle]
pub extern "C" fn total_merge(a: i32, b: i32) -> i32 {
    match (ipdm::state_read::<Total>(a), ipdm::state_read::<Total>(b)) {
        (Some(x), Some(y)) => ipdm::state_new(Total {
            count: x.count + y.count,
            sum: x.sum.wrapping_add(y.sum),
            fsum: x.fsum + y.fsum,
        }),
        _ => ipdm::ERR_STATE,
    }
}

#[no_mangle]
pub extern "C" fn total_result(state: i32) -> i32 {
    let s = match ipdm::state_read::<Total>(state) {
        Some(s) => s,
        None => return ipdm::ERR_STATE,
    };
    let mut out = ipdm::OutBatch::new(3, 1);
    out.i64(0)[0] = s.count;
    out.i64(1)[0] = s.sum;
    out.f64(2)[0] = s.fsum;
    out.finish(1)
}
