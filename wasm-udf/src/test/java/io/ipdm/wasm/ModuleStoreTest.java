package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleStoreTest {
    @TempDir Path dir;

    @Test
    void addedModulesComeBackByCidWithTheSameBytes() throws Exception {
        ModuleStore store = new ModuleStore(dir);
        Path file = Corpus.file("c/classify.wasm");
        ModuleCid cid = store.add(file);
        assertThat(cid).isEqualTo(ModuleCid.of(Files.readAllBytes(file)));
        assertThat(store.file(cid)).isEqualTo(dir.resolve(cid + ".wasm"));
        assertThat(store.get(cid)).isEqualTo(Files.readAllBytes(file));
        assertThat(store.add(file)).as("adding twice is a no-op").isEqualTo(cid);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(store.file(cid));
        }
    }

    @Test
    void anInvalidModuleIsNotStored() throws Exception {
        ModuleStore store = new ModuleStore(dir);
        assertThatThrownBy(() -> store.add(Corpus.file("hostile/wasi.wasm")))
                .isInstanceOf(UnlinkableModuleException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void aMissingModuleSaysHowToAddIt() {
        ModuleCid cid = ModuleCid.of(new byte[] {1});
        assertThatThrownBy(() -> new ModuleStore(dir).get(cid))
                .isInstanceOf(ModuleNotFoundException.class)
                .hasMessage(
                        "module "
                                + cid
                                + " not found in "
                                + dir
                                + "; add it with `ipdm wasm add FILE` (the store is $IPDM_MODULES,"
                                + " else ~/.ipdm/modules)");
    }

    @Test
    void storedBytesThatDoNotMatchTheirCidAreRejected() throws Exception {
        ModuleStore store = new ModuleStore(dir);
        ModuleCid cid = store.add(Corpus.file("c/classify.wasm"));
        byte[] other = Files.readAllBytes(Corpus.file("c/priority_fee.wasm"));
        Files.write(store.file(cid), other);
        assertThatThrownBy(() -> store.get(cid))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessage(
                        "module store file "
                                + store.file(cid)
                                + " does not match its CID: its bytes hash to "
                                + ModuleCid.of(other)
                                + "; delete it and add the module again with `ipdm wasm add FILE`");
    }

    @Test
    void theStoreDirectoryComesFromThePropertyThenTheEnvironment() {
        Properties props = new Properties();
        Map<String, String> env = Map.of(ModuleStore.ENV, "/from/env");
        assertThat(ModuleStore.configuredDir(props, env)).isEqualTo(Path.of("/from/env"));
        props.setProperty(ModuleStore.PROPERTY, "/from/property");
        assertThat(ModuleStore.configuredDir(props, env)).isEqualTo(Path.of("/from/property"));
        assertThat(ModuleStore.configuredDir(new Properties(), Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".ipdm", "modules"));
    }
}
