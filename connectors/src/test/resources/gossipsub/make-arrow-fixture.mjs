// Writes apache-arrow-rows.arrows for ArrowPayloadTest: an Arrow IPC stream (one record batch) made by
// apache-arrow 21.2.0 for node, an implementation independent of Arrow Java. Regenerate with
//   npm install apache-arrow@21.2.0 && node make-arrow-fixture.mjs > apache-arrow-rows.arrows
import { tableToIPC, Table, vectorFromArray, Utf8, Int64, Int32, Float64, Bool, Binary } from 'apache-arrow';
const table = new Table({
  slot: vectorFromArray([1n, 2n, null], new Int64()),
  root_cid: vectorFromArray(['bafy-a', null, 'bafy-c'], new Utf8()),
  fee: vectorFromArray([0.5, 1.25, null], new Float64()),
  count: vectorFromArray([7, null, -3], new Int32()),
  ok: vectorFromArray([true, false, null], new Bool()),
  blob: vectorFromArray([new Uint8Array([1, 2, 3]), new Uint8Array([]), null], new Binary()),
});
process.stdout.write(tableToIPC(table, 'stream'));
