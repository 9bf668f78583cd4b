/* Hostile: never returns. The host must interrupt it at the time budget. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 1, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) {
    volatile int64_t spins = 0;
    for (;;) spins++;
    return 0;
}
