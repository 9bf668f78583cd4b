// spl_token: decodes SPL Token Transfer (tag 3) and TransferChecked (tag 12) instructions of the
// Token and Token-2022 programs from instruction rows (map). Input: program_id, data (base58, as RPC
// `json` shows it), accounts. Output per row: kind ("transfer" / "transfer_checked"), amount (raw
// u64), decimals (TransferChecked only), source, destination, mint (TransferChecked only) and
// authority; all null for any other instruction. Layouts: the Token program's instruction.rs
// (Transfer: accounts [source, destination, authority]; TransferChecked: [source, mint,
// destination, authority]).
export { ipdm_alloc, ipdm_reset } from "../../sdk/assemblyscript/ipdm";
import { Batch, Bytes, OutBatch } from "../../sdk/assemblyscript/ipdm";

const TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
const TRANSFER: u8 = 3;
const TRANSFER_CHECKED: u8 = 12;

// in: 0 program_id, 1 data, 2 accounts; out columns:
const KIND = 0;
const AMOUNT = 1;
const DECIMALS = 2;
const SOURCE = 3;
const DESTINATION = 4;
const MINT = 5;
const AUTHORITY = 6;

// decoded instruction data: at most 10 bytes matter (tag, u64, u8); longer data is not a transfer
const MAX_DATA = 16;
const decoded = new StaticArray<u8>(MAX_DATA);

/** Base58 digit of an ASCII character, or -1. */
function digit(c: i32): i32 {
  if (c >= 49 && c <= 57) return c - 49; // 1-9
  if (c >= 65 && c <= 72) return c - 56; // A-H
  if (c >= 74 && c <= 78) return c - 57; // J-N
  if (c >= 80 && c <= 90) return c - 58; // P-Z
  if (c >= 97 && c <= 107) return c - 64; // a-k
  if (c >= 109 && c <= 122) return c - 65; // m-z
  return -1;
}

/** Decodes base58 into `decoded`; returns the byte length, or -1 if invalid or too long. */
function base58(s: Bytes): i32 {
  if (s.len > 22) return -1; // more than 16 bytes
  let len = 0; // bytes used, big-endian at the end of `decoded`
  let zeros = 0;
  let leading = true;
  for (let i = 0; i < s.len; i++) {
    const d = digit(<i32>load<u8>(s.ptr + <usize>i));
    if (d < 0) return -1;
    if (leading && d == 0) {
      zeros++;
      continue;
    }
    leading = false;
    let carry = d;
    for (let k = 0; k < len; k++) {
      const j = MAX_DATA - 1 - k;
      carry += <i32>decoded[j] * 58;
      decoded[j] = <u8>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      if (len == MAX_DATA) return -1;
      decoded[MAX_DATA - 1 - len] = <u8>(carry & 0xff);
      len++;
      carry >>= 8;
    }
  }
  const total = zeros + len;
  if (total > MAX_DATA) return -1;
  // move to the front: `zeros` zero bytes, then the `len` value bytes
  for (let i = 0; i < len; i++) decoded[zeros + i] = decoded[MAX_DATA - len + i];
  for (let i = 0; i < zeros; i++) decoded[i] = 0;
  return total;
}

function u64le(at: i32): u64 {
  let v: u64 = 0;
  for (let i = 7; i >= 0; i--) v = (v << 8) | <u64>decoded[at + i];
  return v;
}

function pushAccount(out: OutBatch, b: Batch, col: i32, r: i32, k: i32, row: i32): void {
  if (k < 0 || b.isNull(2, r) || k >= b.listLength(2, r)) {
    out.pushUtf8(col, 0, 0);
    out.setNull(col, row);
    return;
  }
  const a = b.listItem(2, r, k);
  out.pushUtf8(col, a.ptr, a.len);
}

function nullRow(out: OutBatch, r: i32): void {
  out.pushUtf8(KIND, 0, 0);
  out.setNull(KIND, r);
  out.setI64(AMOUNT, r, 0);
  out.setNull(AMOUNT, r);
  out.setI32(DECIMALS, r, 0);
  out.setNull(DECIMALS, r);
  for (let c = SOURCE; c <= AUTHORITY; c++) {
    out.pushUtf8(c, 0, 0);
    out.setNull(c, r);
  }
}

export function spl_transfer(batch: usize): i32 {
  const b = new Batch(batch);
  const n = b.rows();
  const out = new OutBatch(7, n);
  // every column exists even for an empty batch
  out.setI64(AMOUNT, 0, 0);
  out.setI32(DECIMALS, 0, 0);
  for (let r = 0; r < n; r++) {
    if (b.isNull(0, r) || b.isNull(1, r)) {
      nullRow(out, r);
      continue;
    }
    const p = b.bytes(0, r);
    if (!p.equalsAscii(TOKEN) && !p.equalsAscii(TOKEN_2022)) {
      nullRow(out, r);
      continue;
    }
    const len = base58(b.bytes(1, r));
    const tag = len > 0 ? decoded[0] : <u8>255;
    const checked = tag == TRANSFER_CHECKED && len == 10;
    if (!checked && !(tag == TRANSFER && len == 9)) {
      nullRow(out, r);
      continue;
    }
    if (checked) {
      out.pushString(KIND, "transfer_checked");
    } else {
      out.pushString(KIND, "transfer");
    }
    out.setI64(AMOUNT, r, <i64>u64le(1));
    if (checked) {
      out.setI32(DECIMALS, r, <i32>decoded[9]);
    } else {
      out.setI32(DECIMALS, r, 0);
      out.setNull(DECIMALS, r);
    }
    pushAccount(out, b, SOURCE, r, 0, r);
    pushAccount(out, b, DESTINATION, r, checked ? 2 : 1, r);
    pushAccount(out, b, MINT, r, checked ? 1 : -1, r);
    pushAccount(out, b, AUTHORITY, r, checked ? 3 : 2, r);
  }
  if (n == 0) {
    for (let c = 0; c < 7; c++) if (c != AMOUNT && c != DECIMALS) out.pushUtf8(c, 0, 0);
  }
  return out.finish(n);
}
