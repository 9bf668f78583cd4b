package io.ipdm.wasm;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A local module catalog: a directory of module binaries named by their CID ({@code
 * <dir>/<cid>.wasm}), so a pipeline can reference a module by {@code cid:} alone. {@link #add}
 * validates a module (as a job would load it) before storing it; {@link #get} verifies the bytes
 * against the CID, so a damaged or swapped file is never run.
 *
 * <p>Where: {@code IPDM_MODULES} (environment) or the {@code ipdm.modules} system property, else
 * {@code ~/.ipdm/modules}. Safe for concurrent readers and writers: files are written to a
 * temporary name and moved into place.
 */
public final class ModuleStore {
    /** Environment variable naming the store directory. */
    public static final String ENV = "IPDM_MODULES";

    /** System property naming the store directory (wins over the environment). */
    public static final String PROPERTY = "ipdm.modules";

    private final Path dir;

    public ModuleStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The store configured for this process (see the class comment). */
    public static ModuleStore configured() {
        return new ModuleStore(configuredDir(System.getProperties(), System.getenv()));
    }

    static Path configuredDir(java.util.Properties props, Map<String, String> env) {
        String p = props.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = env.get(ENV);
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".ipdm", "modules");
        }
        return Path.of(p);
    }

    public Path dir() {
        return dir;
    }

    /** Where the module with this CID is (or would be) stored. */
    public Path file(ModuleCid cid) {
        return dir.resolve(cid + ".wasm");
    }

    /**
     * Validates {@code bytes} as a module and stores them under their CID (a no-op when present).
     *
     * @throws WasmException when the module is invalid (nothing is stored) or cannot be written
     */
    public ModuleCid add(String name, byte[] bytes) {
        WasmModule m = WasmModule.load(name, bytes, SandboxLimits.DEFAULT);
        Path target = file(m.cid());
        if (Files.isRegularFile(target)) {
            return m.cid();
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".add-", ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new WasmException("cannot store module '" + name + "' in " + dir + ": " + e, e);
        }
        return m.cid();
    }

    /** Stores a module file (see {@link #add(String, byte[])}). */
    public ModuleCid add(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WasmException("cannot read module file " + file + ": " + e, e);
        }
        return add(file.getFileName().toString().replaceFirst("\\.wasm$", ""), bytes);
    }

    /**
     * The bytes of the module with this CID, verified against it.
     *
     * @throws ModuleNotFoundException when the store does not have it
     * @throws InvalidModuleException when the stored bytes do not hash to the CID
     */
    public byte[] get(ModuleCid cid) {
        Path f = file(cid);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ModuleNotFoundException(
                    "module "
                            + cid
                            + " not found in "
                            + dir
                            + "; add it with `ipdm wasm add FILE` (the store is $"
                            + ENV
                            + ", else ~/.ipdm/modules)");
        } catch (IOException e) {
            throw new WasmException("cannot read module " + cid + " from " + f + ": " + e, e);
        }
        ModuleCid actual = ModuleCid.of(bytes);
        if (!actual.equals(cid)) {
            throw new InvalidModuleException(
                    "module store file "
                            + f
                            + " does not match its CID: its bytes hash to "
                            + actual
                            + "; delete it and add the module again with `ipdm wasm add FILE`");
        }
        return bytes;
    }
}
