package io.ipdm.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.wasm.abi.AbiDescriptor;
import io.ipdm.wasm.abi.ColumnType;
import io.ipdm.wasm.abi.FunctionKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AbiDescriptorTest {

    private static AbiDescriptor parse(String json) {
        return AbiDescriptor.parse("m", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesAllKindsAndTypes() {
        AbiDescriptor d =
                parse(
                        """
                        {"abi": 1, "functions": [
                          {"name": "f", "kind": "filter", "input": [{"name": "k", "type": "fixed_size_binary(32)"}]},
                          {"name": "a", "kind": "aggregate",
                           "input": [{"name": "t", "type": "timestamp"}, {"name": "l", "type": "list<utf8>"}],
                           "output": [{"name": "n", "type": "uint64", "nullable": false}]}]}
                        """);
        assertThat(d.function("m", "f").kind()).isEqualTo(FunctionKind.FILTER);
        assertThat(d.function("m", "f").output()).isEqualTo(d.function("m", "f").input());
        assertThat(d.function("m", "a").input().column(1).type()).isEqualTo(ColumnType.LIST_UTF8);
        assertThat(d.function("m", "a").output().column(0).nullable()).isFalse();
        assertThat(d.function("m", "a").requiredExports())
                .containsExactly("a_create", "a_add", "a_merge", "a_result");
    }

    @Test
    void errorsNameTheBadKey() {
        assertThatThrownBy(() -> parse("{\"abi\": 1, \"functions\": [], \"x\": 1}"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessage(
                        "module 'm' ABI descriptor descriptor has unknown key \"x\"; allowed: [abi,"
                                + " functions]");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"abi\": 1, \"functions\": [{\"name\": \"f\", \"kind\":"
                                                + " \"map\", \"input\": [{\"name\": \"a\", \"type\":"
                                                + " \"int16\"}], \"output\": []}]}"))
                .hasMessage(
                        "module 'm' ABI descriptor function 'f' input column 'a': unknown column type"
                                + " 'int16'; ABI v1 types are int32, int64, uint64, float64, bool, utf8,"
                                + " binary, fixed_size_binary(32), timestamp, list<utf8>");
        assertThatThrownBy(() -> parse("not json"))
                .hasMessageStartingWith("module 'm' ABI descriptor is not JSON: ");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"abi\": 1, \"functions\": [{\"name\": \"f\", \"kind\": \"reduce\"}]}"))
                .hasMessage(
                        "module 'm' ABI descriptor function 'f': unknown function kind 'reduce'; ABI"
                                + " v1 kinds are map, filter, flatmap, aggregate");
    }

    @Test
    void unknownFunctionListsWhatTheModuleDeclares() {
        AbiDescriptor d =
                parse(
                        "{\"abi\": 1, \"functions\": [{\"name\": \"f\", \"kind\": \"filter\","
                                + " \"input\": [{\"name\": \"a\", \"type\": \"int32\"}]}]}");
        assertThatThrownBy(() -> d.function("m", "g"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessage("module 'm' declares no function 'g'; it declares [f]");
    }
}
