// The package entry: `import { Batch, OutBatch } from "ipdm-sdk"` (see ipdm.ts).
export * from "./ipdm";
