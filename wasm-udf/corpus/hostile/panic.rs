//! Hostile: panics on a zero input with a message naming the row (a Rust panic must reach the user
//! with its message, not as "unreachable").
#![no_std]

ipdm::descriptor!(
    DESCRIPTOR,
    r#"{"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]}"#
);

#[no_mangle]
pub extern "C" fn run(batch: i32) -> i32 {
    let b = ipdm::Batch::at(batch);
    let x = b.i64(0);
    let mut out = ipdm::OutBatch::new(1, b.rows());
    let y = out.i64(0);
    for r in 0..b.rows() {
        if x.value(r) == 0 {
            panic!("x is zero at row {}", r);
        }
        y[r] = 1000 / x.value(r);
    }
    out.finish(b.rows())
}
