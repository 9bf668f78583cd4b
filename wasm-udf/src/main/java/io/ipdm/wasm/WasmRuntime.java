package io.ipdm.wasm;

import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one polyglot {@link Engine} of this JVM. Modules parsed through it are compiled once per JVM
 * (TaskManager) and shared by every {@link org.graalvm.polyglot.Context} (one per subtask).
 *
 * <p>GraalWasm is only fast on the optimizing Truffle runtime, which on a stock JDK needs {@code
 * -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=<graal compiler jars>}
 * (the launcher and surefire pass them; see docs/wasm-abi.md). Without them Truffle falls back to
 * its interpreter, about 100x slower; this class logs that loudly once.
 */
public final class WasmRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(WasmRuntime.class);
    private static final String INTERPRETER = "Interpreted";
    private static volatile Engine engine;

    private WasmRuntime() {}

    /** The shared engine, created on first use. Never close it: it lives as long as the JVM. */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (WasmRuntime.class) {
                e = engine;
                if (e == null) {
                    e = create();
                    engine = e;
                }
            }
        }
        return e;
    }

    /** Truffle's name for the runtime the engine runs on, e.g. "GraalVM CE" or "Interpreted". */
    public static String runtimeName() {
        return engine().getImplementationName();
    }

    /** Whether guest code is compiled to machine code (the optimizing Truffle runtime). */
    public static boolean isOptimized() {
        return !INTERPRETER.equals(runtimeName());
    }

    /**
     * Fails unless the optimizing runtime is active; used by tests and by callers that must not run
     * 100x slower silently.
     */
    public static void requireOptimized() {
        if (!isOptimized()) {
            throw new IllegalStateException(interpreterMessage());
        }
    }

    private static Engine create() {
        Engine e =
                Engine.newBuilder("wasm")
                        .allowExperimentalOptions(true)
                        // our own warning below replaces Truffle's stderr text
                        .option("engine.WarnInterpreterOnly", "false")
                        // direct ByteBuffer over guest memory for bulk copies
                        .option("wasm.UseUnsafeMemory", "true")
                        .option("wasm.DirectByteBufferMemoryAccess", "true")
                        .build();
        String name = e.getImplementationName();
        if (INTERPRETER.equals(name)) {
            LOG.warn(interpreterMessage());
        } else {
            LOG.info("GraalWasm runs on the optimizing Truffle runtime: {}", name);
        }
        return e;
    }

    private static String interpreterMessage() {
        return "GraalWasm runs on the Truffle INTERPRETER (about 100x slower than compiled). Start the"
                + " JVM with -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI"
                + " --upgrade-module-path=<ipdm>/wasm-udf/target/graal-compiler (./ipdm and the"
                + " tests do this; run `mvn -pl wasm-udf generate-resources` to fill that directory).";
    }
}
