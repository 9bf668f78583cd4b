// sdk_kinds: every ABI v1 column type read and written (map echo, with nulls), and one function of
// each kind: filter keep, flatmap explode, aggregate total. The same module exists in C and Rust;
// SdkKindsTest runs all three on the same rows and expects the same answers.
export { ipdm_alloc, ipdm_reset } from "../../sdk/assemblyscript/ipdm";
import { Batch, OutBatch, Selection, ERR_STATE, stateNew, stateData, stateFinish } from "../../sdk/assemblyscript/ipdm";

export function echo(batch: usize): i32 {
  const b = new Batch(batch);
  const n = b.rows();
  const out = new OutBatch(10, n);
  for (let r = 0; r < n; r++) {
    out.setI32(0, r, b.i32(0, r));
    out.setI64(1, r, b.i64(1, r));
    out.setU64(2, r, b.u64(2, r));
    out.setF64(3, r, b.f64(3, r));
    out.setBool(4, r, b.bool(4, r));
    const t = b.bytes(5, r);
    out.pushUtf8(5, t.ptr, t.len);
    const raw = b.bytes(6, r);
    out.pushBytes(6, raw.ptr, raw.len);
    out.setFsb32(7, r, b.fsb32(7, r));
    out.setTimestamp(8, r, b.timestamp(8, r));
    if (!b.isNull(9, r)) {
      for (let k = 0; k < b.listLength(9, r); k++) {
        const item = b.listItem(9, r, k);
        out.pushListItem(9, item.ptr, item.len);
      }
    }
    out.endListRow(9);
    for (let c = 0; c < 10; c++) {
      if (b.isNull(c, r)) out.setNull(c, r);
    }
  }
  return out.finish(n);
}

export function keep(batch: usize): i32 {
  const b = new Batch(batch);
  const sel = new Selection(b);
  for (let r = 0; r < b.rows(); r++) {
    if (!b.isNull(0, r) && b.bool(0, r)) sel.keep(r);
  }
  return sel.finish();
}

export function explode(batch: usize): i32 {
  const b = new Batch(batch);
  const n = b.rows();
  let total = 0;
  for (let r = 0; r < n; r++) {
    if (!b.isNull(1, r)) total += b.listLength(1, r);
  }
  const out = new OutBatch(4, total);
  let row = 0;
  for (let r = 0; r < n; r++) {
    if (b.isNull(1, r)) continue;
    const k = b.listLength(1, r);
    for (let i = 0; i < k; i++) {
      const t = b.bytes(0, r);
      out.pushUtf8(0, t.ptr, t.len);
      if (b.isNull(0, r)) out.setNull(0, row);
      out.pushString(1, b.listUtf8(1, r, i));
      out.setI32(2, row, i);
      out.setBool(3, row, i == k - 1);
      row++;
    }
  }
  if (row == 0) {
    // columns must exist even when empty
    out.pushUtf8(0, 0, 0);
    out.pushUtf8(1, 0, 0);
    out.setI32(2, 0, 0);
    out.setBool(3, 0, false);
  }
  return out.finish(row);
}

// state: count i64 @0, sum i64 @8, fsum f64 @16
const STATE: i32 = 24;

export function total_create(): i32 {
  return stateFinish(stateNew(STATE));
}

export function total_add(state: i32, batch: usize): i32 {
  const old = stateData(state, STATE);
  if (old == 0) return ERR_STATE;
  const s = stateNew(STATE);
  memory.copy(s, old, STATE);
  const b = new Batch(batch);
  for (let r = 0; r < b.rows(); r++) {
    if (!b.isNull(0, r)) {
      store<i64>(s, load<i64>(s) + 1);
      store<i64>(s + 8, load<i64>(s + 8) + b.i64(0, r));
    }
    if (!b.isNull(1, r)) store<f64>(s + 16, load<f64>(s + 16) + b.f64(1, r));
  }
  return stateFinish(s);
}

export function total_merge(a: i32, b: i32): i32 {
  const x = stateData(a, STATE);
  const y = stateData(b, STATE);
  if (x == 0 || y == 0) return ERR_STATE;
  const s = stateNew(STATE);
  store<i64>(s, load<i64>(x) + load<i64>(y));
  store<i64>(s + 8, load<i64>(x + 8) + load<i64>(y + 8));
  store<f64>(s + 16, load<f64>(x + 16) + load<f64>(y + 16));
  return stateFinish(s);
}

export function total_result(state: i32): i32 {
  const s = stateData(state, STATE);
  if (s == 0) return ERR_STATE;
  const out = new OutBatch(3, 1);
  out.setI64(0, 0, load<i64>(s));
  out.setI64(1, 0, load<i64>(s + 8));
  out.setF64(2, 0, load<f64>(s + 16));
  return out.finish(1);
}
