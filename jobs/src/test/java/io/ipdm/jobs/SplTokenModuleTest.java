package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.wasm.ModuleSession;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import io.ipdm.wasm.abi.ArrowValues;
import io.ipdm.wasm.abi.ColumnType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The AssemblyScript spl_token module decodes SPL Token transfers in the real mainnet blocks of
 * ../shared/data/solana: in every transaction whose Token-program instructions are all transfers,
 * the amounts it decodes, moved from source to destination, are exactly the token balance changes
 * the node recorded (meta.pre/postTokenBalances), and TransferChecked's decimals are the mint's.
 */
class SplTokenModuleTest {
    static final String TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    static final SolanaTable IX = SolanaTable.INSTRUCTIONS;
    static final SolanaTable TB = SolanaTable.TOKEN_BALANCE_CHANGES;

    record Transfer(
            String kind, long amount, Integer decimals, String source, String destination) {}

    static List<Path> blocks() throws Exception {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"), "solana");
        Assumptions.assumeTrue(
                Files.isDirectory(data), "real Solana blocks not found at " + data + "; skipping");
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("photon-getblock-base64", "nyanbot-getblock-base58")) {
            try (Stream<Path> s = Files.list(data.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().startsWith("block_"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** The module's output for each instruction row (null where it is not a transfer). */
    static List<Transfer> decode(ModuleSession s, List<Row> rows) {
        List<Transfer> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 4096) {
            List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + 4096));
            try (VectorSchemaRoot in = s.newInput("spl_transfer")) {
                for (int i = 0; i < chunk.size(); i++) {
                    Row r = chunk.get(i);
                    String[] accounts = (String[]) r.getField(IX.indexOf("accounts"));
                    ArrowValues.set(
                            in.getVector(0),
                            ColumnType.UTF8,
                            i,
                            r.getField(IX.indexOf("program_id")));
                    ArrowValues.set(
                            in.getVector(1), ColumnType.UTF8, i, r.getField(IX.indexOf("data")));
                    ArrowValues.set(
                            in.getVector(2),
                            ColumnType.LIST_UTF8,
                            i,
                            accounts == null ? null : Arrays.asList(accounts));
                }
                in.setRowCount(chunk.size());
                VectorSchemaRoot o = s.map("spl_transfer", in);
                for (int i = 0; i < chunk.size(); i++) {
                    String kind = (String) ArrowValues.get(o.getVector(0), ColumnType.UTF8, i);
                    out.add(
                            kind == null
                                    ? null
                                    : new Transfer(
                                            kind,
                                            (Long)
                                                    ArrowValues.get(
                                                            o.getVector(1), ColumnType.UINT64, i),
                                            (Integer)
                                                    ArrowValues.get(
                                                            o.getVector(2), ColumnType.INT32, i),
                                            (String)
                                                    ArrowValues.get(
                                                            o.getVector(3), ColumnType.UTF8, i),
                                            (String)
                                                    ArrowValues.get(
                                                            o.getVector(4), ColumnType.UTF8, i)));
                }
            }
        }
        return out;
    }

    @Test
    void decodedTransfersEqualTheRecordedTokenBalanceChanges() throws Exception {
        WasmModule m =
                WasmModule.load(
                        Path.of("../wasm-udf/corpus/assemblyscript/spl_token.wasm"),
                        SandboxLimits.DEFAULT.withCallTimeout(Duration.ofSeconds(120)));
        int checkedTxs = 0;
        int transfers = 0;
        int transferChecked = 0;
        try (RootAllocator alloc = new RootAllocator();
                ModuleSession s = new ModuleSession(m, alloc)) {
            for (Path f : blocks()) {
                SolanaBlock block = GetBlockDecoder.decodeFile(f);
                List<Row> ix = SolanaRows.rows(block, IX);
                List<Transfer> decoded = decode(s, ix);
                Map<String, List<Integer>> byTx = new HashMap<>();
                for (int i = 0; i < ix.size(); i++) {
                    byTx.computeIfAbsent(
                                    (String) ix.get(i).getField(IX.indexOf("signature")),
                                    k -> new ArrayList<>())
                            .add(i);
                }
                Map<String, Map<String, Row>> balances = new HashMap<>();
                for (Row b : SolanaRows.rows(block, TB)) {
                    balances.computeIfAbsent(
                                    (String) b.getField(TB.indexOf("signature")),
                                    k -> new HashMap<>())
                            .put((String) b.getField(TB.indexOf("account")), b);
                }
                for (Map.Entry<String, List<Integer>> tx : byTx.entrySet()) {
                    Map<String, Long> flows = new HashMap<>();
                    boolean onlyTransfers = true;
                    boolean any = false;
                    for (int i : tx.getValue()) {
                        Row r = ix.get(i);
                        if (!TOKEN.equals(r.getField(IX.indexOf("program_id")))) {
                            continue;
                        }
                        Transfer t = decoded.get(i);
                        if (t == null || !Boolean.TRUE.equals(r.getField(IX.indexOf("success")))) {
                            onlyTransfers = false;
                            break;
                        }
                        any = true;
                        flows.merge(t.source(), -t.amount(), Long::sum);
                        flows.merge(t.destination(), t.amount(), Long::sum);
                        Row src = balances.getOrDefault(tx.getKey(), Map.of()).get(t.source());
                        if (!t.kind().equals("transfer_checked")) {
                            assertThat(t.decimals()).as("%s decimals", tx.getKey()).isNull();
                        } else if (src != null) {
                            assertThat(t.decimals())
                                    .as("%s decimals", tx.getKey())
                                    .isEqualTo(src.getField(TB.indexOf("decimals")));
                            transferChecked++;
                        }
                        transfers++;
                    }
                    if (!any || !onlyTransfers) {
                        continue;
                    }
                    Map<String, Row> changes = balances.getOrDefault(tx.getKey(), Map.of());
                    for (Map.Entry<String, Long> e : flows.entrySet()) {
                        Row change = changes.get(e.getKey());
                        long delta =
                                change == null ? 0 : (Long) change.getField(TB.indexOf("delta"));
                        assertThat(e.getValue())
                                .as("tx %s account %s", tx.getKey(), e.getKey())
                                .isEqualTo(delta);
                    }
                    for (Map.Entry<String, Row> c : changes.entrySet()) {
                        if (TOKEN.equals(c.getValue().getField(TB.indexOf("token_program")))
                                && (Long) c.getValue().getField(TB.indexOf("delta")) != 0) {
                            assertThat(flows).as("tx %s", tx.getKey()).containsKey(c.getKey());
                        }
                    }
                    checkedTxs++;
                }
            }
        }
        assertThat(checkedTxs).isGreaterThan(20);
        assertThat(transfers).isGreaterThan(checkedTxs);
        assertThat(transferChecked).isPositive();
    }
}
