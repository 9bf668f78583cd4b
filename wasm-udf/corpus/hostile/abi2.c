/* Hostile: built for a future ABI version the host does not implement. */
#include "ipdm.h"
IPDM_DESCRIPTOR({"abi": 2, "functions": [{"name": "run", "kind": "map", "input": [{"name": "x", "type": "int64"}], "output": [{"name": "y", "type": "int64"}]}]})
IPDM_EXPORT(run) int32_t run(const ArrowArray *in) { return 0; }
