// Appends a custom section to a wasm binary: node add-section.mjs MODULE.wasm NAME FILE
// Used to put the ABI descriptor (NAME.abi.json) into the section "ipdm.abi". Deterministic.
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, name, payloadPath] = process.argv.slice(2);
if (!payloadPath) {
  console.error("usage: node add-section.mjs MODULE.wasm SECTION-NAME PAYLOAD-FILE");
  process.exit(2);
}
const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const wasm = readFileSync(wasmPath);
const nameBytes = Buffer.from(name, "utf8");
// the descriptor is JSON: parse it so a typo fails the build, store it as written
const payload = readFileSync(payloadPath);
JSON.parse(payload.toString("utf8"));
const body = Buffer.concat([Buffer.from(leb(nameBytes.length)), nameBytes, payload]);
const section = Buffer.concat([Buffer.from([0]), Buffer.from(leb(body.length)), body]);
writeFileSync(wasmPath, Buffer.concat([wasm, section]));
