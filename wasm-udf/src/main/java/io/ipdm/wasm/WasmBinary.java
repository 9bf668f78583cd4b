package io.ipdm.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host needs to know about a module before GraalWasm sees it: imports, exports, function
 * signatures, memory limits and custom sections. Reads the binary format of WebAssembly Core 2.0
 * §5.5 (section framing only; GraalWasm validates code). Every length is checked against the
 * remaining bytes, so a truncated or hostile binary becomes a {@link MalformedModuleException}.
 *
 * <pre>
 * module  := 00 61 73 6d  01 00 00 00  section*
 * section := id:u8  size:u32(LEB128)  payload[size]
 * </pre>
 */
public final class WasmBinary {
    /** One import: module, field and kind (0 func, 1 table, 2 memory, 3 global). */
    public record Import(String module, String name, int kind, int typeIndex) {}

    /** One export: name, kind (0 func, 1 table, 2 memory, 3 global) and index. */
    public record Export(String name, int kind, int index) {}

    /** A function type: value types as bytes (0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64). */
    public record FuncType(byte[] params, byte[] results) {
        public String signature() {
            return names(params) + " -> " + names(results);
        }

        private static String names(byte[] types) {
            List<String> out = new ArrayList<>();
            for (byte t : types) {
                out.add(
                        switch (t) {
                            case 0x7f -> "i32";
                            case 0x7e -> "i64";
                            case 0x7d -> "f32";
                            case 0x7c -> "f64";
                            default -> String.format("0x%02x", t);
                        });
            }
            return "(" + String.join(", ", out) + ")";
        }
    }

    /** Memory limits in 64 KiB pages; max is -1 when the module declares none. */
    public record Limits(long min, long max) {}

    private final String name;
    private final byte[] bytes;
    private final List<Import> imports = new ArrayList<>();
    private final List<Export> exports = new ArrayList<>();
    private final List<FuncType> types = new ArrayList<>();
    private final List<Integer> functionTypes = new ArrayList<>();
    private final List<Limits> memories = new ArrayList<>();
    private final Map<String, byte[]> customSections = new LinkedHashMap<>();
    private int memorySectionStart = -1;
    private int memorySectionEnd = -1;
    private int pos;

    private WasmBinary(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    /** Parses the section structure of {@code bytes}; {@code name} is used in error messages. */
    public static WasmBinary parse(String name, byte[] bytes) {
        WasmBinary b = new WasmBinary(name, bytes);
        b.read();
        return b;
    }

    public List<Import> imports() {
        return List.copyOf(imports);
    }

    public List<Export> exports() {
        return List.copyOf(exports);
    }

    public List<Limits> memories() {
        return List.copyOf(memories);
    }

    /** The first custom section with this name, or null. */
    public byte[] customSection(String sectionName) {
        byte[] s = customSections.get(sectionName);
        return s == null ? null : s.clone();
    }

    public List<String> customSectionNames() {
        return List.copyOf(customSections.keySet());
    }

    /** Signature of the function with this index in the function index space (imports first). */
    public FuncType functionType(int funcIndex) {
        int imported = 0;
        for (Import i : imports) {
            if (i.kind() == 0) {
                if (imported == funcIndex) {
                    return types.get(i.typeIndex());
                }
                imported++;
            }
        }
        int local = funcIndex - imported;
        if (local < 0 || local >= functionTypes.size()) {
            throw new InvalidModuleException(
                    "module '" + name + "': function index " + funcIndex + " does not exist");
        }
        return types.get(functionTypes.get(local));
    }

    /**
     * The module's bytes with its memory's maximum lowered to {@code maxPages} (or set, if it had
     * none), so {@code memory.grow} past the cap fails inside the guest. The CID stays that of the
     * original bytes.
     */
    public byte[] withMemoryMax(long maxPages) {
        if (memorySectionStart < 0) {
            return bytes.clone();
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeU32(payload, memories.size());
        for (Limits l : memories) {
            long max = l.max() < 0 ? maxPages : Math.min(l.max(), maxPages);
            payload.write(0x01);
            writeU32(payload, l.min());
            writeU32(payload, max);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 8);
        out.write(bytes, 0, memorySectionStart);
        out.write(5);
        writeU32(out, payload.size());
        out.writeBytes(payload.toByteArray());
        out.write(bytes, memorySectionEnd, bytes.length - memorySectionEnd);
        return out.toByteArray();
    }

    private void read() {
        if (bytes.length < 8
                || bytes[0] != 0
                || bytes[1] != 'a'
                || bytes[2] != 's'
                || bytes[3] != 'm') {
            throw malformed("does not start with the WebAssembly magic bytes 00 61 73 6d");
        }
        if (bytes[4] != 1 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
            throw malformed("has binary format version other than 1");
        }
        pos = 8;
        while (pos < bytes.length) {
            int start = pos;
            int id = u8();
            int size = (int) u32();
            int end = pos + size;
            if (size < 0 || end > bytes.length) {
                throw malformed(
                        "section "
                                + id
                                + " at byte "
                                + start
                                + " claims "
                                + size
                                + " bytes but only "
                                + (bytes.length - pos)
                                + " remain");
            }
            switch (id) {
                case 0 -> {
                    String n = string();
                    byte[] payload = java.util.Arrays.copyOfRange(bytes, pos, end);
                    customSections.putIfAbsent(n, payload);
                }
                case 1 -> readTypes();
                case 2 -> readImports();
                case 3 -> {
                    long n = u32();
                    for (long i = 0; i < n; i++) {
                        functionTypes.add((int) u32());
                    }
                }
                case 5 -> {
                    memorySectionStart = start;
                    memorySectionEnd = end;
                    long n = u32();
                    for (long i = 0; i < n; i++) {
                        memories.add(limits());
                    }
                }
                case 7 -> readExports();
                default -> {
                    if (id > 12) {
                        throw malformed("has unknown section id " + id + " at byte " + start);
                    }
                }
            }
            pos = end;
        }
        for (int t : functionTypes) {
            if (t >= types.size()) {
                throw malformed("refers to function type " + t + " but has " + types.size());
            }
        }
    }

    private void readTypes() {
        long n = u32();
        for (long i = 0; i < n; i++) {
            if (u8() != 0x60) {
                throw malformed("has a function type not starting with 0x60");
            }
            byte[] params = valTypes();
            byte[] results = valTypes();
            types.add(new FuncType(params, results));
        }
    }

    private byte[] valTypes() {
        int n = (int) u32();
        need(n);
        byte[] out = java.util.Arrays.copyOfRange(bytes, pos, pos + n);
        pos += n;
        return out;
    }

    private void readImports() {
        long n = u32();
        for (long i = 0; i < n; i++) {
            String module = string();
            String field = string();
            int kind = u8();
            int typeIndex = -1;
            switch (kind) {
                case 0 -> {
                    typeIndex = (int) u32();
                    if (typeIndex >= types.size()) {
                        throw malformed("import " + module + "." + field + " has no valid type");
                    }
                }
                case 1 -> {
                    u8();
                    limits();
                }
                case 2 -> limits();
                case 3 -> {
                    u8();
                    u8();
                }
                default -> throw malformed("has import kind " + kind);
            }
            imports.add(new Import(module, field, kind, typeIndex));
        }
    }

    private void readExports() {
        long n = u32();
        for (long i = 0; i < n; i++) {
            String n2 = string();
            int kind = u8();
            int index = (int) u32();
            exports.add(new Export(n2, kind, index));
        }
    }

    private Limits limits() {
        int flags = u8();
        if (flags > 1) {
            throw new InvalidModuleException(
                    "module '"
                            + name
                            + "' declares a shared or 64-bit memory or table (limits flags "
                            + flags
                            + "); IPDM modules use one unshared 32-bit memory");
        }
        long min = u32();
        long max = flags == 1 ? u32() : -1;
        return new Limits(min, max);
    }

    private String string() {
        int n = (int) u32();
        need(n);
        String s = new String(bytes, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private int u8() {
        need(1);
        return bytes[pos++] & 0xff;
    }

    private long u32() {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (result > 0xffffffffL) {
                    throw malformed("has a u32 LEB128 above 2^32-1 at byte " + pos);
                }
                return result;
            }
        }
        throw malformed("has a u32 LEB128 longer than 5 bytes at byte " + pos);
    }

    private void need(int n) {
        if (n < 0 || pos + n > bytes.length) {
            throw malformed("is truncated at byte " + pos + " (needs " + n + " more bytes)");
        }
    }

    private MalformedModuleException malformed(String what) {
        return new MalformedModuleException("module '" + name + "' " + what);
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }
}
