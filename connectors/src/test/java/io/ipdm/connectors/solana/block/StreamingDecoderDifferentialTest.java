package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder gives the same {@link SolanaBlock} as the tree decoder it replaced ({@link
 * TreeDecoderBaseline}, kept for this and the benchmark) on every file of real data, every field of
 * every transaction, instruction, inner instruction and token balance compared; and with every
 * projection, the parts it keeps are the same.
 */
class StreamingDecoderDifferentialTest {

    @Test
    void sameBlocksAsTheTreeDecoderOnEveryRealFile() throws IOException {
        List<Path> files = SharedData.getBlockFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(26);
        for (Path f : files) {
            String want = dump(TreeDecoderBaseline.decodeFile(f));
            assertThat(dump(GetBlockDecoder.decodeFile(f))).as(f.toString()).isEqualTo(want);
            // The same through the JsonNode entry (tokens read back from a tree).
            assertThat(
                            dump(
                                    GetBlockDecoder.decode(
                                            GetBlockDecoder.MAPPER.readTree(f.toFile()),
                                            f.toString(),
                                            GetBlockDecoder.slotFromFileName(
                                                    f.getFileName().toString()))))
                    .as(f.toString())
                    .isEqualTo(want);
        }
    }

    @Test
    void theDeliberatelyBrokenChainstorageFilesFailInBoth() throws IOException {
        List<Path> broken;
        try (Stream<Path> s = Files.list(SharedData.solana("chainstorage-getblock-json"))) {
            broken =
                    s.filter(p -> p.getFileName().toString().contains("client-block_transaction_"))
                            .sorted()
                            .toList();
        }
        assertThat(broken).hasSize(2);
        for (Path f : broken) {
            assertThatThrownBy(() -> TreeDecoderBaseline.decodeFile(f))
                    .isInstanceOf(SolanaDecodeException.class);
            assertThatThrownBy(() -> GetBlockDecoder.decodeFile(f))
                    .isInstanceOf(SolanaDecodeException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("transaction 0");
        }
    }

    @Test
    void projectedDecodesKeepTheSameParts() {
        for (Path f : SharedData.getBlockFiles()) {
            for (var t : io.ipdm.connectors.solana.SolanaTable.values()) {
                List<Projection> ps = ProjectionTest.projections(t);
                // All, and the typical job shape (the single columns are ProjectionTest's).
                for (Projection p : List.of(ps.get(0), ps.get(ps.size() - 1))) {
                    SolanaBlock tree = TreeDecoderBaseline.decodeFile(f, p);
                    SolanaBlock stream = GetBlockDecoder.decodeFile(f, p);
                    // inner instructions' details only where a column reads them
                    boolean detail = p.innerInstructionDetail();
                    assertThat(dump(stream, detail)).as(f + " " + p).isEqualTo(dump(tree, detail));
                }
            }
        }
    }

    /** Every field of the block, in a canonical text form. */
    static String dump(SolanaBlock b) {
        return dump(b, true);
    }

    /**
     * Every field of the block, in a canonical text form; inner instructions as their program
     * indexes alone without {@code innerDetail}.
     */
    static String dump(SolanaBlock b, boolean innerDetail) {
        StringBuilder sb = new StringBuilder();
        sb.append(b.source())
                .append('|')
                .append(b.isBlock())
                .append('|')
                .append(b.slot())
                .append('|')
                .append(b.parentSlot())
                .append('|')
                .append(b.blockhash())
                .append('|')
                .append(b.previousBlockhash())
                .append('|')
                .append(b.blockTime())
                .append('|')
                .append(b.blockHeight())
                .append('|')
                .append(b.leader())
                .append('|')
                .append(b.leaderReward())
                .append('\n');
        if (b.transactions() == null) {
            return sb.append("no transactions\n").toString();
        }
        for (SolanaTransaction tx : b.transactions()) {
            sb.append("tx ")
                    .append(tx.index())
                    .append('|')
                    .append(tx.signature())
                    .append('|')
                    .append(tx.numSignatures())
                    .append('|')
                    .append(tx.version())
                    .append('|')
                    .append(tx.recentBlockhash())
                    .append('|')
                    .append(tx.hasMeta())
                    .append('|')
                    .append(tx.fee())
                    .append('|')
                    .append(tx.error())
                    .append('|')
                    .append(tx.computeUnits())
                    .append("\n keys");
            for (int i = 0; i < tx.accountKeys().size(); i++) {
                sb.append(' ').append(tx.accountKeys().get(i));
            }
            sb.append('\n');
            for (Instruction ix : tx.instructions()) {
                ix(sb, " ix ", ix);
            }
            for (InnerInstructions g : tx.innerInstructions()) {
                sb.append(" inner ").append(g.index()).append('\n');
                for (Instruction ix : g.instructions()) {
                    if (innerDetail) {
                        ix(sb, "  ix ", ix);
                    } else {
                        sb.append("  ix ").append(ix.programIdIndex()).append('\n');
                    }
                }
            }
            sb.append(" pre ").append(tx.preTokenBalances()).append('\n');
            sb.append(" post ").append(tx.postTokenBalances()).append('\n');
        }
        return sb.toString();
    }

    private static void ix(StringBuilder sb, String prefix, Instruction ix) {
        sb.append(prefix)
                .append(ix.programIdIndex())
                .append('|')
                .append(Arrays.toString(ix.accounts()))
                .append('|')
                .append(ix.data())
                .append('|')
                .append(ix.stackHeight())
                .append('\n');
    }
}
