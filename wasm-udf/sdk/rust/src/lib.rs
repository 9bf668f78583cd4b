//! IPDM columnar ABI v1 SDK for Rust (wasm32-unknown-unknown, rustc 1.63+): the crate `ipdm`,
//! `no_std` by default, `features = ["std"]` for modules that use std.
//!
//! A module (a `cdylib`) depends on it (cargo: `ipdm = { path = ".../wasm-udf/sdk/rust" }`; rustc:
//! `--extern ipdm=libipdm.rlib`) and declares its functions:
//!
//! ```ignore
//! #![no_std]
//! ipdm::descriptor!(DESCRIPTOR, r#"{"abi": 1, "functions": [...]}"#);
//! #[no_mangle] pub extern "C" fn my_map(batch: i32) -> i32 {
//!     let b = ipdm::Batch::at(batch);
//!     let fee = b.i64(0);
//!     let mut out = ipdm::OutBatch::new(1, b.rows());
//!     let doubled = out.i64(0);
//!     for r in 0..b.rows() { doubled[r] = fee.value(r) * 2; }
//!     out.finish(b.rows())
//! }
//! ```
//!
//! Reading: [`Batch`] with typed columns ([`Batch::i64`], [`Batch::utf8`], [`Batch::bools`],
//! [`Batch::list_utf8`], ...). Writing: [`OutBatch`] ([`OutBatch::i64`], [`OutBatch::bools`],
//! [`OutBatch::utf8`], [`OutBatch::list_utf8`], ..., [`OutBatch::set_null`]). Filters: [`Selection`]. Aggregates: [`state_new`] / [`state_read`]. Memory is an
//! arena the host resets before each call: nothing is freed by hand. See docs/wasm-abi.md.
#![cfg_attr(not(feature = "std"), no_std)]
#![allow(dead_code)]

use core::mem::size_of;
use core::slice;

pub const ABI_VERSION: i32 = 1;
pub const ERR_INPUT: i32 = -1;
pub const ERR_NOMEM: i32 = -2;
pub const ERR_STATE: i32 = -3;
pub const ERR_INTERNAL: i32 = -4;

/// Puts the ABI descriptor (JSON) into the custom section `ipdm.abi`.
#[macro_export]
macro_rules! descriptor {
    ($name:ident, $json:expr) => {
        #[link_section = "ipdm.abi"]
        #[used]
        static $name: [u8; $json.len()] = $crate::to_bytes::<{ $json.len() }>($json);
    };
}

/// Copies a str into an array at compile time (for [`descriptor!`]).
pub const fn to_bytes<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = b[i];
        i += 1;
    }
    out
}

mod host {
    #[link(wasm_import_module = "ipdm")]
    extern "C" {
        pub fn log(level: i32, ptr: *const u8, len: i32);
        pub fn abort(ptr: *const u8, len: i32);
    }
}

pub fn log(level: i32, msg: &str) {
    unsafe { host::log(level, msg.as_ptr(), msg.len() as i32) }
}

/// Ends the call; the host fails the batch with `msg`.
pub fn abort(msg: &str) -> ! {
    unsafe { host::abort(msg.as_ptr(), msg.len() as i32) };
    core::arch::wasm32::unreachable()
}

/// Formats into a fixed buffer (no allocator): panic messages for the host, cut at 512 bytes.
struct MsgBuf {
    buf: [u8; 512],
    len: usize,
}

impl core::fmt::Write for MsgBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for &b in s.as_bytes() {
            if self.len == self.buf.len() {
                return Err(core::fmt::Error);
            }
            self.buf[self.len] = b;
            self.len += 1;
        }
        Ok(())
    }
}

static mut PANIC_MSG: MsgBuf = MsgBuf { buf: [0; 512], len: 0 };

/// Aborts the call with "panic: <the panic's message and location>".
fn abort_panic(info: &dyn core::fmt::Display) -> ! {
    unsafe {
        PANIC_MSG.len = 0;
        let _ = core::fmt::write(&mut PANIC_MSG, format_args!("panic: {}", info));
        // a message cut inside a UTF-8 sequence: drop the partial character
        let mut n = PANIC_MSG.len;
        while core::str::from_utf8(&PANIC_MSG.buf[..n]).is_err() {
            n -= 1;
        }
        host::abort(PANIC_MSG.buf.as_ptr(), n as i32);
        core::arch::wasm32::unreachable()
    }
}

#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    abort_panic(info)
}

#[cfg(feature = "std")]
fn install_panic_hook() {
    std::panic::set_hook(std::boxed::Box::new(|info| abort_panic(info)));
}

// ---- arena -------------------------------------------------------------------------------------

extern "C" {
    static __heap_base: u8;
}
static mut TOP: usize = 0;

#[no_mangle]
pub extern "C" fn ipdm_reset() {
    #[cfg(feature = "std")]
    unsafe {
        if TOP == 0 {
            install_panic_hook();
        }
    }
    unsafe { TOP = &__heap_base as *const u8 as usize }
}

/// 8-aligned bytes from the arena, or 0 when memory cannot grow (the memory cap).
#[no_mangle]
pub extern "C" fn ipdm_alloc(size: i32) -> i32 {
    unsafe {
        if TOP == 0 {
            ipdm_reset();
        }
        if size < 0 {
            return 0;
        }
        let p = (TOP + 7) & !7;
        let end = p + size as usize;
        let have = core::arch::wasm32::memory_size(0) * 65536;
        if end > have {
            let pages = (end - have + 65535) / 65536;
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return 0;
            }
        }
        TOP = end;
        p as i32
    }
}

/// Zeroed arena memory for `n` values of T; aborts with "out of memory" at the memory cap.
pub fn alloc_slice<T: Copy>(n: usize) -> &'static mut [T] {
    let bytes = n * size_of::<T>() + 8;
    let p = ipdm_alloc(bytes as i32);
    if p == 0 {
        abort("out of memory: the module reached its memory cap");
    }
    unsafe {
        core::ptr::write_bytes(p as *mut u8, 0, bytes);
        slice::from_raw_parts_mut(p as *mut T, n)
    }
}

// ---- Arrow C Data Interface on wasm32 ----------------------------------------------------------

#[repr(C)]
#[derive(Clone, Copy)]
pub struct ArrowArray {
    pub length: i64,
    pub null_count: i64,
    pub offset: i64,
    pub n_buffers: i64,
    pub n_children: i64,
    pub buffers: *mut *const u8,
    pub children: *mut *mut ArrowArray,
    pub dictionary: *mut ArrowArray,
    pub release: usize,
    pub private_data: usize,
}
const _: () = assert!(size_of::<ArrowArray>() == 64);

fn bit(bits: *const u8, i: usize) -> bool {
    unsafe { (*bits.add(i >> 3) >> (i & 7)) & 1 == 1 }
}

/// An input batch (read-only view).
pub struct Batch {
    raw: &'static ArrowArray,
}

/// A column of fixed-width values with optional validity.
pub struct Fixed<T: 'static> {
    pub values: &'static [T],
    validity: *const u8,
}

impl<T: Copy> Fixed<T> {
    pub fn value(&self, row: usize) -> T {
        self.values[row]
    }
    pub fn is_null(&self, row: usize) -> bool {
        !self.validity.is_null() && !bit(self.validity, row)
    }
    pub fn get(&self, row: usize) -> Option<T> {
        if self.is_null(row) {
            None
        } else {
            Some(self.values[row])
        }
    }
}

/// A utf8 or binary column.
#[derive(Clone, Copy)]
pub struct Var {
    offsets: *const i32,
    data: *const u8,
    validity: *const u8,
}

impl Var {
    pub fn is_null(&self, row: usize) -> bool {
        !self.validity.is_null() && !bit(self.validity, row)
    }
    pub fn bytes(&self, row: usize) -> &'static [u8] {
        unsafe {
            let a = *self.offsets.add(row) as usize;
            let b = *self.offsets.add(row + 1) as usize;
            slice::from_raw_parts(self.data.add(a), b - a)
        }
    }
    /// The string at `row` (the host only passes valid UTF-8 in utf8 columns).
    pub fn str(&self, row: usize) -> &'static str {
        unsafe { core::str::from_utf8_unchecked(self.bytes(row)) }
    }
}

impl Var {
    /// The string at `row`, or None when it is null.
    pub fn get(&self, row: usize) -> Option<&'static str> {
        if self.is_null(row) {
            None
        } else {
            Some(self.str(row))
        }
    }
    /// The bytes at `row`, or None when they are null.
    pub fn get_bytes(&self, row: usize) -> Option<&'static [u8]> {
        if self.is_null(row) {
            None
        } else {
            Some(self.bytes(row))
        }
    }
}

/// The list<utf8> value of one row.
#[derive(Clone, Copy)]
pub struct ListRow {
    items: Var,
    start: usize,
    len: usize,
}

impl ListRow {
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Item `k` (k < len()).
    pub fn get(&self, k: usize) -> &'static str {
        self.items.str(self.start + k)
    }
    pub fn bytes(&self, k: usize) -> &'static [u8] {
        self.items.bytes(self.start + k)
    }
    pub fn contains(&self, s: &str) -> bool {
        (0..self.len).any(|k| self.bytes(k) == s.as_bytes())
    }
    pub fn iter(&self) -> impl Iterator<Item = &'static str> {
        let l = *self;
        (0..l.len).map(move |k| l.get(k))
    }
}

/// A bool column (values are a bitmap).
pub struct Bools {
    values: *const u8,
    validity: *const u8,
}

impl Bools {
    pub fn value(&self, row: usize) -> bool {
        bit(self.values, row)
    }
    pub fn is_null(&self, row: usize) -> bool {
        !self.validity.is_null() && !bit(self.validity, row)
    }
    pub fn get(&self, row: usize) -> Option<bool> {
        if self.is_null(row) {
            None
        } else {
            Some(self.value(row))
        }
    }
}

/// A list<utf8> column: per row, a list of strings.
pub struct List {
    offsets: *const i32,
    items: Var,
    validity: *const u8,
}

impl List {
    pub fn is_null(&self, row: usize) -> bool {
        !self.validity.is_null() && !bit(self.validity, row)
    }
    /// Number of items in the list at `row` (0 for a null list).
    pub fn len(&self, row: usize) -> usize {
        unsafe { (*self.offsets.add(row + 1) - *self.offsets.add(row)) as usize }
    }
    /// Item `k` of the list at `row`, as bytes.
    pub fn item_bytes(&self, row: usize, k: usize) -> &'static [u8] {
        self.items.bytes(unsafe { *self.offsets.add(row) } as usize + k)
    }
    /// Item `k` of the list at `row`.
    pub fn item(&self, row: usize, k: usize) -> &'static str {
        self.items.str(unsafe { *self.offsets.add(row) } as usize + k)
    }
    /// The list at `row` (empty for a null list).
    pub fn row(&self, row: usize) -> ListRow {
        ListRow { items: self.items, start: unsafe { *self.offsets.add(row) } as usize, len: self.len(row) }
    }
    /// The list at `row`, or None when it is null.
    pub fn get(&self, row: usize) -> Option<ListRow> {
        if self.is_null(row) {
            None
        } else {
            Some(self.row(row))
        }
    }
    /// Whether any item of the list at `row` equals `s`.
    pub fn contains(&self, row: usize, s: &str) -> bool {
        (0..self.len(row)).any(|k| self.item_bytes(row, k) == s.as_bytes())
    }
}

impl Batch {
    pub fn at(ptr: i32) -> Batch {
        Batch { raw: unsafe { &*(ptr as usize as *const ArrowArray) } }
    }
    pub fn rows(&self) -> usize {
        self.raw.length as usize
    }
    fn col(&self, c: usize) -> &'static ArrowArray {
        unsafe { &**self.raw.children.add(c) }
    }
    fn buf(&self, c: usize, b: usize) -> *const u8 {
        unsafe { *self.col(c).buffers.add(b) }
    }
    fn fixed<T>(&self, c: usize) -> Fixed<T> {
        let n = self.rows();
        Fixed {
            values: unsafe { slice::from_raw_parts(self.buf(c, 1) as *const T, n) },
            validity: self.buf(c, 0),
        }
    }
    pub fn i32(&self, c: usize) -> Fixed<i32> {
        self.fixed(c)
    }
    pub fn i64(&self, c: usize) -> Fixed<i64> {
        self.fixed(c)
    }
    pub fn u64(&self, c: usize) -> Fixed<u64> {
        self.fixed(c)
    }
    pub fn f64(&self, c: usize) -> Fixed<f64> {
        self.fixed(c)
    }
    /// timestamp: milliseconds since the epoch, UTC
    pub fn timestamp(&self, c: usize) -> Fixed<i64> {
        self.fixed(c)
    }
    pub fn fsb32(&self, c: usize) -> Fixed<[u8; 32]> {
        self.fixed(c)
    }
    pub fn bool(&self, c: usize, row: usize) -> bool {
        bit(self.buf(c, 1), row)
    }
    pub fn bools(&self, c: usize) -> Bools {
        Bools { values: self.buf(c, 1), validity: self.buf(c, 0) }
    }
    pub fn list_utf8(&self, c: usize) -> List {
        let col = self.col(c);
        let items = unsafe { &**col.children };
        let ib = |b: usize| unsafe { *items.buffers.add(b) };
        List {
            offsets: self.buf(c, 1) as *const i32,
            items: Var { offsets: ib(1) as *const i32, data: ib(2), validity: ib(0) },
            validity: self.buf(c, 0),
        }
    }
    pub fn is_null(&self, c: usize, row: usize) -> bool {
        let v = self.buf(c, 0);
        !v.is_null() && !bit(v, row)
    }
    pub fn utf8(&self, c: usize) -> Var {
        Var { offsets: self.buf(c, 1) as *const i32, data: self.buf(c, 2), validity: self.buf(c, 0) }
    }
    pub fn binary(&self, c: usize) -> Var {
        self.utf8(c)
    }
}

/// An output batch under construction.
pub struct OutBatch {
    top: &'static mut ArrowArray,
    capacity: usize,
}

impl OutBatch {
    pub fn new(ncols: usize, capacity: usize) -> OutBatch {
        let top = &mut alloc_slice::<ArrowArray>(1)[0];
        top.n_buffers = 1;
        top.buffers = alloc_slice::<*const u8>(1).as_mut_ptr();
        top.n_children = ncols as i64;
        top.children = alloc_slice::<*mut ArrowArray>(ncols).as_mut_ptr();
        OutBatch { top, capacity }
    }
    fn column(&mut self, c: usize, nbuf: usize) -> &'static mut ArrowArray {
        let a = &mut alloc_slice::<ArrowArray>(1)[0];
        a.n_buffers = nbuf as i64;
        a.buffers = alloc_slice::<*const u8>(nbuf).as_mut_ptr();
        unsafe { *self.top.children.add(c) = a as *mut ArrowArray };
        a
    }
    fn fixed<T: Copy>(&mut self, c: usize) -> &'static mut [T] {
        let cap = self.capacity;
        let a = self.column(c, 2);
        let v = alloc_slice::<T>(cap);
        unsafe { *a.buffers.add(1) = v.as_ptr() as *const u8 };
        v
    }
    pub fn i32(&mut self, c: usize) -> &'static mut [i32] {
        self.fixed(c)
    }
    pub fn i64(&mut self, c: usize) -> &'static mut [i64] {
        self.fixed(c)
    }
    pub fn u64(&mut self, c: usize) -> &'static mut [u64] {
        self.fixed(c)
    }
    pub fn f64(&mut self, c: usize) -> &'static mut [f64] {
        self.fixed(c)
    }
    pub fn timestamp(&mut self, c: usize) -> &'static mut [i64] {
        self.fixed(c)
    }
    pub fn fsb32(&mut self, c: usize) -> &'static mut [[u8; 32]] {
        self.fixed(c)
    }
    /// A bool column: set values with [`BoolOut::set`] (all false at first).
    pub fn bools(&mut self, c: usize) -> BoolOut {
        let cap = self.capacity;
        let a = self.column(c, 2);
        let v = alloc_slice::<u8>((cap + 7) / 8);
        unsafe { *a.buffers.add(1) = v.as_ptr() };
        BoolOut { bits: v }
    }
    /// A utf8 column: push one value per row, in row order (push "" for a null row).
    pub fn utf8(&mut self, c: usize) -> Utf8Out {
        let cap = self.capacity;
        let a = self.column(c, 3);
        let offsets = alloc_slice::<i32>(cap + 1).as_mut_ptr();
        let data = alloc_slice::<u8>(64).as_mut_ptr();
        unsafe {
            *a.buffers.add(1) = offsets as *const u8;
            *a.buffers.add(2) = data;
        }
        Utf8Out { col: a, offsets, data, cap: 64, rows: 0 }
    }
    /// A binary column: the same builder as utf8.
    pub fn binary(&mut self, c: usize) -> Utf8Out {
        self.utf8(c)
    }
    /// A list<utf8> column: push a row's items, then [`ListOut::end_row`].
    pub fn list_utf8(&mut self, c: usize) -> ListOut {
        let cap = self.capacity;
        let a = self.column(c, 2);
        let items = &mut alloc_slice::<ArrowArray>(1)[0];
        items.n_buffers = 3;
        items.buffers = alloc_slice::<*const u8>(3).as_mut_ptr();
        a.n_children = 1;
        a.children = alloc_slice::<*mut ArrowArray>(1).as_mut_ptr();
        let offsets = alloc_slice::<i32>(cap + 1).as_mut_ptr();
        let item_offsets = alloc_slice::<i32>(17).as_mut_ptr();
        let data = alloc_slice::<u8>(64).as_mut_ptr();
        unsafe {
            *a.children = items as *mut ArrowArray;
            *a.buffers.add(1) = offsets as *const u8;
            *items.buffers.add(1) = item_offsets as *const u8;
            *items.buffers.add(2) = data;
        }
        ListOut {
            offsets,
            rows: 0,
            items: Utf8Out { col: items, offsets: item_offsets, data, cap: 64, rows: 0 },
            item_cap: 16,
        }
    }
    /// Marks a value null (the column gets a validity bitmap on first use).
    pub fn set_null(&mut self, c: usize, row: usize) {
        unsafe {
            let a = &mut **self.top.children.add(c);
            if (*a.buffers).is_null() {
                let v = alloc_slice::<u8>((self.capacity + 7) / 8);
                for b in v.iter_mut() {
                    *b = 0xff;
                }
                *a.buffers = v.as_ptr();
            }
            let v = *a.buffers as *mut u8;
            *v.add(row >> 3) &= !(1u8 << (row & 7));
            a.null_count += 1;
        }
    }
    /// Sets the row count (<= capacity) and returns the batch pointer for the host.
    pub fn finish(self, rows: usize) -> i32 {
        self.top.length = rows as i64;
        for c in 0..self.top.n_children as usize {
            let a = unsafe { *self.top.children.add(c) };
            if a.is_null() {
                abort("OutBatch::finish: an output column was never written");
            }
            unsafe { (*a).length = rows as i64 };
        }
        self.top as *mut ArrowArray as i32
    }
}

/// Values of a bool output column.
pub struct BoolOut {
    bits: &'static mut [u8],
}

impl BoolOut {
    pub fn set(&mut self, row: usize, v: bool) {
        if v {
            self.bits[row >> 3] |= 1 << (row & 7);
        } else {
            self.bits[row >> 3] &= !(1 << (row & 7));
        }
    }
}

/// Values of a utf8 or binary output column, appended in row order.
pub struct Utf8Out {
    col: *mut ArrowArray,
    offsets: *mut i32,
    data: *mut u8,
    cap: usize,
    rows: usize,
}

impl Utf8Out {
    pub fn push(&mut self, bytes: &[u8]) {
        unsafe {
            let at = *self.offsets.add(self.rows) as usize;
            if at + bytes.len() > self.cap {
                let mut cap = self.cap * 2;
                while at + bytes.len() > cap {
                    cap *= 2;
                }
                let d = alloc_slice::<u8>(cap).as_mut_ptr();
                core::ptr::copy_nonoverlapping(self.data, d, at);
                self.data = d;
                self.cap = cap;
                *(*self.col).buffers.add(2) = d;
            }
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), self.data.add(at), bytes.len());
            self.rows += 1;
            *self.offsets.add(self.rows) = (at + bytes.len()) as i32;
        }
    }
    pub fn push_str(&mut self, s: &str) {
        self.push(s.as_bytes())
    }
}

/// Values of a list<utf8> output column: items of the current row, then `end_row`.
pub struct ListOut {
    offsets: *mut i32,
    rows: usize,
    items: Utf8Out,
    item_cap: usize,
}

impl ListOut {
    /// Appends an item to the current row.
    pub fn push(&mut self, bytes: &[u8]) {
        let n = self.items.rows;
        if n == self.item_cap {
            let cap = self.item_cap * 2;
            let off = alloc_slice::<i32>(cap + 1).as_mut_ptr();
            unsafe {
                core::ptr::copy_nonoverlapping(self.items.offsets, off, n + 1);
                *(*self.items.col).buffers.add(1) = off as *const u8;
            }
            self.items.offsets = off;
            self.item_cap = cap;
        }
        self.items.push(bytes);
        unsafe { (*self.items.col).length = self.items.rows as i64 };
    }
    pub fn push_str(&mut self, s: &str) {
        self.push(s.as_bytes())
    }
    /// Ends the current row (a null row: end it empty, then [`OutBatch::set_null`]).
    pub fn end_row(&mut self) {
        self.rows += 1;
        unsafe { *self.offsets.add(self.rows) = self.items.rows as i32 };
    }
}

/// The rows a filter keeps.
pub struct Selection {
    bits: &'static mut [u8],
}

impl Selection {
    pub fn new(batch: &Batch) -> Selection {
        Selection::with_rows(batch.rows())
    }
    /// A selection for a batch of `rows` rows (nothing kept yet).
    pub fn with_rows(rows: usize) -> Selection {
        Selection { bits: alloc_slice::<u8>((rows + 7) / 8) }
    }
    pub fn keep(&mut self, row: usize) {
        self.bits[row >> 3] |= 1 << (row & 7);
    }
    pub fn finish(self) -> i32 {
        self.bits.as_ptr() as i32
    }
}

/// A new state blob holding `value`; what `_create`, `_add` and `_merge` return.
pub fn state_new<T: Copy>(value: T) -> i32 {
    let n = size_of::<T>();
    let p = ipdm_alloc((4 + n) as i32);
    if p == 0 {
        abort("out of memory: the module reached its memory cap");
    }
    unsafe {
        *(p as usize as *mut i32) = n as i32;
        core::ptr::write_unaligned((p as usize + 4) as *mut T, value);
    }
    p
}

/// The value in a state blob from the host, or None when its size is not that of T.
pub fn state_read<T: Copy>(blob: i32) -> Option<T> {
    unsafe {
        let len = *(blob as usize as *const i32);
        if len as usize != size_of::<T>() {
            return None;
        }
        Some(core::ptr::read_unaligned((blob as usize + 4) as *const T))
    }
}
