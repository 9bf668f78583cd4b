package io.ipdm.wasm.sdk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Custom sections of a wasm binary: section id 0, LEB128 size, LEB128 name length, name, payload
 * (WebAssembly core spec 5.5.3). Only used on binaries a compiler just wrote.
 */
final class CustomSections {
    private CustomSections() {}

    static boolean has(byte[] wasm, String name) {
        int[] pos = {8}; // magic + version
        while (pos[0] < wasm.length) {
            int id = wasm[pos[0]++] & 0xff;
            long size = leb(wasm, pos);
            int end = (int) (pos[0] + size);
            if (id == 0) {
                int at = pos[0];
                int[] p = {at};
                long len = leb(wasm, p);
                String n = new String(wasm, p[0], (int) len, StandardCharsets.UTF_8);
                if (n.equals(name)) {
                    return true;
                }
            }
            pos[0] = end;
        }
        return false;
    }

    static byte[] append(byte[] wasm, String name, byte[] payload) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeLeb(body, n.length);
        body.writeBytes(n);
        body.writeBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(wasm);
        out.write(0);
        writeLeb(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static long leb(byte[] b, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            int x = b[pos[0]++] & 0xff;
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private static void writeLeb(ByteArrayOutputStream out, int v) {
        do {
            int x = v & 0x7f;
            v >>>= 7;
            out.write(v != 0 ? x | 0x80 : x);
        } while (v != 0);
    }
}
