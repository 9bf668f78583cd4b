package io.ipdm.jobs.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.multiformats.Base58;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real getBlock files in ../shared/data/solana and facts about them computed without IPDM's
 * decoder: per-block counts from the data collector's EXPECTED-derived.json, per-transaction fee,
 * success, signature count and token balances straight from the response JSON.
 */
public final class RealBlocks {
    /**
     * For an archive of the six blocks only: it is read in slot order, and holds mainnet and devnet
     * blocks whose slots interleave with their times (about 2 years apart). Replay needs none.
     */
    public static final String ARCHIVE_OUT_OF_ORDERNESS = "1000d";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One block as EXPECTED-derived.json describes it. */
    public record Block(
            long slot,
            long blockTime,
            long txCount,
            long voteTxCount,
            long nonVoteTxCount,
            long failedTxCount,
            long sumFee,
            Path file) {
        /** Start of the minute of chain time the block falls in, epoch ms. */
        public long minute() {
            return blockTime / 60 * 60_000;
        }
    }

    /** A transaction's fee facts, from its meta and its wire bytes' signature count. */
    public record Tx(long blockTime, long fee, boolean success, int signatures) {}

    /** One row of meta.preTokenBalances / postTokenBalances. */
    public record TokenBalance(int accountIndex, String mint, String owner, BigInteger amount) {}

    /** A transaction's token balances before and after. */
    public record TokenTx(long blockTime, List<TokenBalance> pre, List<TokenBalance> post) {}

    private RealBlocks() {}

    /** ../shared/data/solana, or the test is skipped with a message saying it is absent. */
    public static Path dir() {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"), "solana");
        Assumptions.assumeTrue(
                Files.isRegularFile(data.resolve("EXPECTED-derived.json")),
                "real Solana blocks not found at " + data + "; skipping");
        return data.toAbsolutePath().normalize();
    }

    /**
     * The four small devnet blocks (photon getBlock responses, base64), in slot order: the
     * templates of generated chains and archives.
     */
    public static List<Path> devnetBlocks() {
        Path d = dir().resolve("photon-getblock-base64");
        return List.of(
                d.resolve("block_270893658.json"),
                d.resolve("block_314167369.json"),
                d.resolve("block_380876342.json"),
                d.resolve("block_443787702.json"));
    }

    /**
     * The {@code --set} overrides that run a job on the six full blocks (base64 photon and base58
     * nyanbot responses) as docs/pipeline-yaml.md says: the source becomes {@code solana-replay}
     * with its synthetic options cleared. The files mix mainnet and devnet blocks whose slots and
     * times interleave; replay reads them in block time order, so the job's own watermark holds.
     */
    public static List<String> replay(String source) {
        Path d = dir();
        String src = "sources." + source;
        return List.of(
                src + ".kind=solana-replay",
                src + ".options=",
                src
                        + ".options.path="
                        + d.resolve("photon-getblock-base64")
                        + ","
                        + d.resolve("nyanbot-getblock-base58"));
    }

    public static List<Block> blocks() throws IOException {
        Path d = dir();
        JsonNode root = JSON.readTree(d.resolve("EXPECTED-derived.json").toFile()).get("blocks");
        List<Block> out = new ArrayList<>();
        for (JsonNode b : root) {
            out.add(
                    new Block(
                            b.get("slot").asLong(),
                            b.get("blockTime").asLong(),
                            b.get("tx_count").asLong(),
                            b.get("vote_tx_count").asLong(),
                            b.get("non_vote_tx_count").asLong(),
                            b.get("failed_tx_count").asLong(),
                            b.get("sum_fee_lamports").asLong(),
                            d.resolve(b.get("file").asText())));
        }
        return out;
    }

    public static List<Tx> transactions(Block b) throws IOException {
        List<Tx> out = new ArrayList<>();
        for (JsonNode t : JSON.readTree(b.file().toFile()).get("transactions")) {
            JsonNode meta = t.get("meta");
            out.add(
                    new Tx(
                            b.blockTime(),
                            meta.get("fee").asLong(),
                            meta.get("err").isNull(),
                            signatures(t.get("transaction"))));
        }
        return out;
    }

    public static List<TokenTx> tokenTransactions(Block b) throws IOException {
        List<TokenTx> out = new ArrayList<>();
        for (JsonNode t : JSON.readTree(b.file().toFile()).get("transactions")) {
            JsonNode meta = t.get("meta");
            out.add(
                    new TokenTx(
                            b.blockTime(),
                            balances(meta.get("preTokenBalances")),
                            balances(meta.get("postTokenBalances"))));
        }
        return out;
    }

    private static List<TokenBalance> balances(JsonNode list) {
        List<TokenBalance> out = new ArrayList<>();
        if (list != null) {
            for (JsonNode n : list) {
                JsonNode owner = n.get("owner");
                out.add(
                        new TokenBalance(
                                n.get("accountIndex").asInt(),
                                n.get("mint").asText(),
                                owner == null ? null : owner.asText(),
                                new BigInteger(n.get("uiTokenAmount").get("amount").asText())));
            }
        }
        return out;
    }

    /** The wire transaction starts with its signature count (compact-u16; always < 128 here). */
    private static int signatures(JsonNode tx) {
        String text = tx.get(0).asText();
        byte[] wire =
                switch (tx.get(1).asText()) {
                    case "base64" -> Base64.getDecoder().decode(text);
                    case "base58" -> Base58.decode(text);
                    default -> throw new IllegalArgumentException("encoding " + tx.get(1));
                };
        if ((wire[0] & 0x80) != 0) {
            throw new IllegalStateException("more than 127 signatures");
        }
        return wire[0];
    }

    /** Blocks by the minute they fall in (no two of the six share one). */
    public static Map<Long, Block> byMinute(List<Block> blocks) {
        Map<Long, Block> m = new HashMap<>();
        for (Block b : blocks) {
            if (m.put(b.minute(), b) != null) {
                throw new IllegalStateException("two blocks in minute " + b.minute());
            }
        }
        return m;
    }
}
