/* Hostile: grows memory until it cannot, then traps. The host must report the memory cap. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) {
    }
    __builtin_trap();
}
