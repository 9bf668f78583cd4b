// invocations: one row per program a transaction invokes, without the vote and compute-budget
// programs (flatmap). Input: signature, program_ids; output: signature, program_id, position.
export { ipdm_alloc, ipdm_reset } from "../../sdk/assemblyscript/ipdm";
import { Batch, Bytes, OutBatch } from "../../sdk/assemblyscript/ipdm";

const SKIP: string[] = [
  "Vote111111111111111111111111111111111111111",
  "ComputeBudget111111111111111111111111111111",
];

function skipped(p: Bytes): bool {
  for (let i = 0; i < SKIP.length; i++) {
    if (p.equalsAscii(SKIP[i])) return true;
  }
  return false;
}

export function invocations(batch: usize): i32 {
  const b = new Batch(batch);
  const n = b.rows();
  let total = 0;
  for (let r = 0; r < n; r++) {
    if (!b.isNull(1, r)) total += b.listLength(1, r);
  }
  const out = new OutBatch(3, total);
  let row = 0;
  for (let r = 0; r < n; r++) {
    if (b.isNull(1, r)) continue;
    const sig = b.bytes(0, r);
    const k = b.listLength(1, r);
    for (let i = 0; i < k; i++) {
      const p = b.listItem(1, r, i);
      if (skipped(p)) continue;
      out.pushUtf8(0, sig.ptr, sig.len);
      out.pushUtf8(1, p.ptr, p.len);
      out.setI32(2, row, i);
      row++;
    }
  }
  if (row == 0) {
    // columns must exist even when empty
    out.pushUtf8(0, 0, 0);
    out.pushUtf8(1, 0, 0);
    out.setI32(2, 0, 0);
  }
  return out.finish(row);
}
