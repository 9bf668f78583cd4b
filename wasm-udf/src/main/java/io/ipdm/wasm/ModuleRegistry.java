package io.ipdm.wasm;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The modules of this JVM by content id, so that a module is validated and compiled once per JVM
 * (TaskManager) however many subtasks use it. Loading verifies a pinned CID against the bytes.
 */
public final class ModuleRegistry {
    private static final ModuleRegistry JVM = new ModuleRegistry();

    private record Key(ModuleCid cid, SandboxLimits limits) {}

    private final Map<Key, WasmModule> modules = new ConcurrentHashMap<>();

    /** The registry shared by everything in this JVM. */
    public static ModuleRegistry jvm() {
        return JVM;
    }

    /**
     * The module for these bytes and limits, loading it on first use.
     *
     * @param expectedCid the CID a pipeline pinned, or null; a mismatch is an error naming both
     */
    public WasmModule load(String name, byte[] bytes, ModuleCid expectedCid, SandboxLimits limits) {
        ModuleCid cid = ModuleCid.of(bytes);
        if (expectedCid != null && !expectedCid.equals(cid)) {
            throw new InvalidModuleException(
                    "module '"
                            + name
                            + "' has CID "
                            + cid
                            + " but the pipeline pins "
                            + expectedCid
                            + "; the file changed since the CID was taken");
        }
        return modules.computeIfAbsent(
                new Key(cid, limits), k -> WasmModule.load(name, bytes, limits));
    }

    /** Loads a module file (see {@link #load(String, byte[], ModuleCid, SandboxLimits)}). */
    public WasmModule load(Path file, ModuleCid expectedCid, SandboxLimits limits) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new WasmException("cannot read module file " + file + ": " + e, e);
        }
        String name = file.getFileName().toString().replaceFirst("\\.wasm$", "");
        return load(name, bytes, expectedCid, limits);
    }

    /** A module already loaded with these limits, or null. */
    public WasmModule get(ModuleCid cid, SandboxLimits limits) {
        return modules.get(new Key(cid, limits));
    }
}
