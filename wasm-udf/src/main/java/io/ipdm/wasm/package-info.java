/** GraalWasm host for IPDM transformation modules and the columnar ABI. */
package io.ipdm.wasm;
