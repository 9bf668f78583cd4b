// IPDM columnar ABI v1 SDK for AssemblyScript (see docs/wasm-abi.md).
//
// A module's entry file re-exports the arena and declares its functions:
//
//   export { ipdm_alloc, ipdm_reset } from "../../sdk/assemblyscript/ipdm";
//   import { Batch, OutBatch } from "../../sdk/assemblyscript/ipdm";
//   export function double_fee(batch: usize): i32 {
//     const b = new Batch(batch);
//     const out = new OutBatch(1, b.rows());
//     for (let r = 0; r < b.rows(); r++) out.setI64(0, r, b.i64(0, r) * 2);
//     return out.finish(b.rows());
//   }
//
// The descriptor JSON lives in NAME.abi.json next to NAME.ts; build-as.sh appends it to the binary
// as the custom section "ipdm.abi" (AssemblyScript cannot emit custom sections). Build with
// `--runtime stub`: its bump allocator is the arena the host resets before every call.

export const ERR_INPUT: i32 = -1;
export const ERR_NOMEM: i32 = -2;
export const ERR_STATE: i32 = -3;
export const ERR_INTERNAL: i32 = -4;

@external("ipdm", "log")
declare function hostLog(level: i32, ptr: usize, len: i32): void;
@external("ipdm", "abort")
declare function hostAbort(ptr: usize, len: i32): void;

/** Arena allocation for the host (8-aligned; the stub runtime traps when memory cannot grow). */
export function ipdm_alloc(size: i32): usize {
  return heap.alloc(<usize>size);
}

let keep: usize = 0;
let measured = false;

/**
 * Empties the arena; the host calls it before every call. Objects the module's start function
 * allocated (global arrays, maps) stay: the first reset measures them and every reset skips them.
 */
export function ipdm_reset(): void {
  if (!measured) {
    const end = heap.alloc(0);
    __reset();
    const start = heap.alloc(0);
    keep = end - start;
    measured = true;
  }
  __reset();
  if (keep > 0) heap.alloc(keep);
}

export function log(level: i32, msg: string): void {
  const b = String.UTF8.encode(msg);
  hostLog(level, changetype<usize>(b), b.byteLength);
}

/** Wired as AssemblyScript's abort (`--use abort=...`): assertion failures reach the host. */
export function ipdmAbort(message: string | null, file: string | null, line: u32, col: u32): void {
  let text = "abort";
  if (message !== null) text = message;
  if (file !== null) text += " at " + file + ":" + line.toString();
  const b = String.UTF8.encode(text);
  hostAbort(changetype<usize>(b), b.byteLength);
  unreachable();
}

// struct ArrowArray on wasm32: length@0 null_count@8 offset@16 n_buffers@24 n_children@32
// buffers@40 children@44 dictionary@48 release@52 private_data@56, size 64
const ARRAY_SIZE: usize = 64;

/** Loads a 32-bit guest pointer. */
@inline function lp(addr: usize): usize {
  return <usize>load<u32>(addr);
}

@inline function bit(bits: usize, i: i32): bool {
  return ((load<u8>(bits + (<usize>i >> 3)) >> (<u8>(i & 7))) & 1) == 1;
}

/** A read-only view of an input batch; columns by index, typed getters per row. */
export class Batch {
  constructor(public ptr: usize) {}

  rows(): i32 {
    return <i32>load<i64>(this.ptr);
  }

  col(c: i32): usize {
    return lp(lp(this.ptr + 44) + (<usize>c << 2));
  }

  buffer(c: i32, b: i32): usize {
    return lp(lp(this.col(c) + 40) + (<usize>b << 2));
  }

  isNull(c: i32, row: i32): bool {
    const v = this.buffer(c, 0);
    return v != 0 && !bit(v, row);
  }

  i32(c: i32, row: i32): i32 {
    return load<i32>(this.buffer(c, 1) + (<usize>row << 2));
  }

  i64(c: i32, row: i32): i64 {
    return load<i64>(this.buffer(c, 1) + (<usize>row << 3));
  }

  u64(c: i32, row: i32): u64 {
    return load<u64>(this.buffer(c, 1) + (<usize>row << 3));
  }

  f64(c: i32, row: i32): f64 {
    return load<f64>(this.buffer(c, 1) + (<usize>row << 3));
  }

  /** Milliseconds since the epoch, UTC. */
  timestamp(c: i32, row: i32): i64 {
    return this.i64(c, row);
  }

  bool(c: i32, row: i32): bool {
    return bit(this.buffer(c, 1), row);
  }

  /** Pointer to the 32 bytes of a fixed_size_binary(32) value. */
  fsb32(c: i32, row: i32): usize {
    return this.buffer(c, 1) + (<usize>row << 5);
  }

  /** A utf8/binary value as a (pointer, length) view; no copy. */
  bytes(c: i32, row: i32): Bytes {
    return varBytes(this.col(c), row);
  }

  /** A utf8 value decoded into an AssemblyScript string (copies). */
  utf8(c: i32, row: i32): string {
    const v = this.bytes(c, row);
    return String.UTF8.decodeUnsafe(v.ptr, <usize>v.len);
  }

  listLength(c: i32, row: i32): i32 {
    const off = this.buffer(c, 1);
    return load<i32>(off + (<usize>(row + 1) << 2)) - load<i32>(off + (<usize>row << 2));
  }

  /** Item k of a list<utf8> value. */
  listItem(c: i32, row: i32, k: i32): Bytes {
    const col = this.col(c);
    const start = load<i32>(this.buffer(c, 1) + (<usize>row << 2));
    const items = lp(lp(col + 44));
    return varBytes(items, start + k);
  }

  /** Item k of a list<utf8> value decoded into a string (copies). */
  listUtf8(c: i32, row: i32, k: i32): string {
    const v = this.listItem(c, row, k);
    return String.UTF8.decodeUnsafe(v.ptr, <usize>v.len);
  }
}

/** A borrowed byte range of linear memory. */
export class Bytes {
  constructor(public ptr: usize, public len: i32) {}

  /** Byte-wise equality with an ASCII string. */
  equalsAscii(s: string): bool {
    if (this.len != s.length) return false;
    for (let i = 0; i < this.len; i++) {
      if (<i32>load<u8>(this.ptr + <usize>i) != s.charCodeAt(i)) return false;
    }
    return true;
  }
}

function varBytes(col: usize, row: i32): Bytes {
  const buffers = lp(col + 40);
  const off = lp(buffers + 4);
  const data = lp(buffers + 8);
  const a = load<i32>(off + (<usize>row << 2));
  const b = load<i32>(off + (<usize>(row + 1) << 2));
  return new Bytes(data + <usize>a, b - a);
}

function zalloc(size: usize): usize {
  const p = heap.alloc(size);
  memory.fill(p, 0, size);
  return p;
}

/** An output batch with room for `capacity` rows; set values, then finish(rows). */
export class OutBatch {
  top: usize;
  capacity: i32;
  // utf8 builders per column: data pointer, capacity, bytes used (0 for other columns)
  data: StaticArray<usize>;
  dataCap: StaticArray<i32>;
  dataUsed: StaticArray<i32>;
  // list<utf8> columns: item offsets capacity (0 for other columns); item bytes use data above
  itemCap: StaticArray<i32>;

  constructor(ncols: i32, capacity: i32) {
    this.itemCap = new StaticArray<i32>(ncols);
    this.data = new StaticArray<usize>(ncols);
    this.dataCap = new StaticArray<i32>(ncols);
    this.dataUsed = new StaticArray<i32>(ncols);
    this.capacity = capacity;
    this.top = zalloc(ARRAY_SIZE);
    store<i64>(this.top + 24, 1);
    store<u32>(this.top + 40, <u32>zalloc(8));
    store<i64>(this.top + 32, ncols);
    store<u32>(this.top + 44, <u32>zalloc(<usize>ncols << 2));
  }

  private column(c: i32, nbuf: i32): usize {
    const a = zalloc(ARRAY_SIZE);
    store<i64>(a + 24, nbuf);
    store<u32>(a + 40, <u32>zalloc(<usize>nbuf << 2));
    store<u32>(lp(this.top + 44) + (<usize>c << 2), <u32>a);
    return a;
  }

  private col(c: i32): usize {
    return lp(lp(this.top + 44) + (<usize>c << 2));
  }

  /** Declares a fixed-width column of `width` bytes per value and returns its values pointer. */
  fixed(c: i32, width: i32): usize {
    const a = this.column(c, 2);
    const v = zalloc(<usize>(this.capacity * width + 8));
    store<u32>(lp(a + 40) + 4, <u32>v);
    return v;
  }

  setI32(c: i32, row: i32, v: i32): void {
    store<i32>(this.values(c, 4) + (<usize>row << 2), v);
  }

  setI64(c: i32, row: i32, v: i64): void {
    store<i64>(this.values(c, 8) + (<usize>row << 3), v);
  }

  setF64(c: i32, row: i32, v: f64): void {
    store<f64>(this.values(c, 8) + (<usize>row << 3), v);
  }

  setU64(c: i32, row: i32, v: u64): void {
    store<u64>(this.values(c, 8) + (<usize>row << 3), v);
  }

  /** Milliseconds since the epoch, UTC. */
  setTimestamp(c: i32, row: i32, v: i64): void {
    store<i64>(this.values(c, 8) + (<usize>row << 3), v);
  }

  /** Copies the 32 bytes at ptr into a fixed_size_binary(32) column. */
  setFsb32(c: i32, row: i32, ptr: usize): void {
    memory.copy(this.values(c, 32) + (<usize>row << 5), ptr, 32);
  }

  setBool(c: i32, row: i32, v: bool): void {
    this.declareBool(c);
    const a = this.col(c);
    const p = lp(lp(a + 40) + 4) + (<usize>row >> 3);
    const m = <u8>1 << <u8>(row & 7);
    store<u8>(p, v ? load<u8>(p) | m : load<u8>(p) & ~m);
  }

  /** Appends the next value of binary column c (the same as pushUtf8). */
  pushBytes(c: i32, ptr: usize, len: i32): void {
    this.pushUtf8(c, ptr, len);
  }

  /** Appends an item to the current row of list<utf8> column c; endListRow(c) ends the row. */
  pushListItem(c: i32, ptr: usize, len: i32): void {
    const items = this.listItems(c);
    const n = <i32>load<i64>(items);
    let cap = this.itemCap[c];
    let off = lp(lp(items + 40) + 4);
    if (n == cap) {
      cap <<= 1;
      const grown = heap.alloc(<usize>(cap + 1) << 2);
      memory.copy(grown, off, <usize>(n + 1) << 2);
      store<u32>(lp(items + 40) + 4, <u32>grown);
      this.itemCap[c] = cap;
      off = grown;
    }
    const used = this.reserve(c, len);
    memory.copy(this.data[c] + <usize>used, ptr, <usize>len);
    this.dataUsed[c] = used + len;
    store<i32>(off + (<usize>(n + 1) << 2), used + len);
    store<i64>(items, n + 1);
  }

  pushListString(c: i32, s: string): void {
    const b = String.UTF8.encode(s);
    this.pushListItem(c, changetype<usize>(b), b.byteLength);
  }

  /** Ends the current row of list<utf8> column c (a null row: end it empty, then setNull). */
  endListRow(c: i32): void {
    const items = this.listItems(c);
    const a = this.col(c);
    const row = <i32>load<i64>(a);
    store<i32>(lp(lp(a + 40) + 4) + (<usize>(row + 1) << 2), <i32>load<i64>(items));
    store<i64>(a, row + 1);
  }

  private listItems(c: i32): usize {
    let a = this.col(c);
    if (a == 0) {
      a = this.column(c, 2);
      store<u32>(lp(a + 40) + 4, <u32>zalloc(<usize>(this.capacity + 1) << 2));
      const items = zalloc(ARRAY_SIZE);
      store<i64>(items + 24, 3);
      store<u32>(items + 40, <u32>zalloc(12));
      store<u32>(lp(items + 40) + 4, <u32>zalloc(17 << 2));
      store<i64>(a + 32, 1);
      const children = zalloc(4);
      store<u32>(children, <u32>items);
      store<u32>(a + 44, <u32>children);
      this.itemCap[c] = 16;
      this.dataCap[c] = 256;
      this.data[c] = heap.alloc(256);
      this.dataUsed[c] = 0;
      // row counter lives in the column's length until finish()
      store<i64>(a, 0);
    }
    return lp(lp(a + 44));
  }

  /** Makes room for len more bytes in column c's data; returns the bytes used so far. */
  private reserve(c: i32, len: i32): i32 {
    const used = this.dataUsed[c];
    if (used + len > this.dataCap[c]) {
      let cap = this.dataCap[c] << 1;
      while (used + len > cap) cap <<= 1;
      const d = heap.alloc(<usize>cap);
      memory.copy(d, this.data[c], <usize>used);
      this.data[c] = d;
      this.dataCap[c] = cap;
    }
    return used;
  }

  private values(c: i32, width: i32): usize {
    let a = this.col(c);
    if (a == 0) {
      this.fixed(c, width);
      a = this.col(c);
    }
    return lp(lp(a + 40) + 4);
  }

  /** Declares utf8/binary column c without a value yet (a batch may have 0 rows). */
  declareUtf8(c: i32): usize {
    let a = this.col(c);
    if (a == 0) {
      a = this.column(c, 3);
      store<u32>(lp(a + 40) + 4, <u32>zalloc(<usize>(this.capacity + 1) << 2));
      this.dataCap[c] = 256;
      this.data[c] = heap.alloc(256);
      this.dataUsed[c] = 0;
      // row counter lives in the column's length until finish()
      store<i64>(a, 0);
    }
    return a;
  }

  /** Declares bool column c (all false). */
  declareBool(c: i32): void {
    if (this.col(c) == 0) {
      const a = this.column(c, 2);
      store<u32>(lp(a + 40) + 4, <u32>zalloc(<usize>((this.capacity + 7) >> 3) + 8));
    }
  }

  /** Declares list<utf8> column c without rows yet. */
  declareList(c: i32): void {
    this.listItems(c);
  }

  /** Appends the next value of utf8 column c (values must be pushed in row order). */
  pushUtf8(c: i32, ptr: usize, len: i32): void {
    const a = this.declareUtf8(c);
    const bufs = lp(a + 40);
    const row = <i32>load<i64>(a);
    let used = this.reserve(c, len);
    memory.copy(this.data[c] + <usize>used, ptr, <usize>len);
    used += len;
    this.dataUsed[c] = used;
    store<i32>(lp(bufs + 4) + (<usize>(row + 1) << 2), used);
    store<i64>(a, row + 1);
  }

  pushString(c: i32, s: string): void {
    const b = String.UTF8.encode(s);
    this.pushUtf8(c, changetype<usize>(b), b.byteLength);
  }

  /** Marks a value null; the column must have been written first (a value, push or endListRow). */
  setNull(c: i32, row: i32): void {
    const a = this.col(c);
    if (a == 0) ipdmAbort("OutBatch.setNull: write the column before marking nulls", null, 0, 0);
    const bufs = lp(a + 40);
    let v = <usize>lp(bufs);
    if (v == 0) {
      const n = <usize>((this.capacity + 7) >> 3) + 8;
      v = heap.alloc(n);
      memory.fill(v, 0xff, n);
      store<u32>(bufs, <u32>v);
    }
    const p = v + (<usize>row >> 3);
    store<u8>(p, <u8>(<i32>load<u8>(p) & ~(1 << (row & 7))));
    store<i64>(a + 8, load<i64>(a + 8) + 1);
  }

  /** Sets the row count of every column and returns the batch pointer for the host. */
  finish(rows: i32): i32 {
    store<i64>(this.top, rows);
    const n = <i32>load<i64>(this.top + 32);
    for (let c = 0; c < n; c++) {
      const a = this.col(c);
      if (a == 0) ipdmAbort("OutBatch.finish: an output column was never written", null, 0, 0);
      if (this.itemCap[c] != 0) {
        store<u32>(lp(lp(lp(a + 44)) + 40) + 8, <u32>this.data[c]);
      } else if (this.dataCap[c] != 0) {
        store<u32>(lp(a + 40) + 8, <u32>this.data[c]);
      }
      store<i64>(a, rows);
    }
    return <i32>this.top;
  }
}

/** The rows a filter keeps. */
export class Selection {
  bits: usize;
  constructor(batch: Batch) {
    this.bits = zalloc(<usize>((batch.rows() + 7) >> 3) + 8);
  }
  keep(row: i32): void {
    const p = this.bits + (<usize>row >> 3);
    store<u8>(p, load<u8>(p) | (<u8>1 << <u8>(row & 7)));
  }
  finish(): i32 {
    return <i32>this.bits;
  }
}

// ---- aggregate state: [u32 length][bytes] blobs in the arena ------------------------------------

/** A new zeroed state blob of `size` bytes; returns a pointer to its bytes. */
export function stateNew(size: i32): usize {
  const blob = zalloc(<usize>(4 + size));
  store<i32>(blob, size);
  return blob + 4;
}

/** The bytes of a state blob the host passed in, or 0 when its size is not `size`. */
export function stateData(blob: i32, size: i32): usize {
  return load<i32>(<usize>blob) == size ? <usize>blob + 4 : 0;
}

/** What an aggregate function returns for the state whose bytes start at `data`. */
export function stateFinish(data: usize): i32 {
  return <i32>(data - 4);
}
