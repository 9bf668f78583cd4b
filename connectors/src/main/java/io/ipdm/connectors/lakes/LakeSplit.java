package io.ipdm.connectors.lakes;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.window.WindowArchive;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;

/**
 * One window root in a lake ({@code kind = window}, {@code ref} = root CID), one CAR file ({@code
 * kind = car}) or one Old Faithful epoch CAR ({@code kind = faithful}, {@code ref} = the Solana
 * table); {@code skip} counts rows already emitted, so a restored split resumes where the
 * checkpoint was. Window and CAR rows are IPLD value lists; Old Faithful rows are Flink rows.
 */
public record LakeSplit(String id, String kind, String location, String ref, long skip)
        implements IteratorSourceSplit<Object, LakeSplit.Rows>, java.io.Serializable {

    @Override
    public String splitId() {
        return id;
    }

    @Override
    public Rows getIterator() {
        List<?> rows =
                switch (kind) {
                    case "car" -> carRows();
                    case "faithful" -> faithfulRows();
                    default -> windowRows();
                };
        return new Rows(rows.subList((int) Math.min(skip, rows.size()), rows.size()), skip);
    }

    @Override
    public IteratorSourceSplit<Object, Rows> getUpdatedSplitForIterator(Rows iterator) {
        return new LakeSplit(id, kind, location, ref, iterator.position);
    }

    private List<org.apache.flink.types.Row> faithfulRows() {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            return OldFaithfulCar.rows(
                    in, location, io.ipdm.connectors.solana.SolanaTable.valueOf(ref));
        } catch (IOException e) {
            throw new LakesException(
                    "cannot read Old Faithful CAR " + location + ": " + e.getMessage(), e);
        }
    }

    private List<List<Object>> windowRows() {
        try {
            TieredStore store = LakeRegistry.acquire(location, 64L << 20, 1L << 30);
            try {
                return WindowArchive.read(store, Cid.parse(ref)).rows();
            } finally {
                LakeRegistry.release(location);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<List<Object>> carRows() {
        List<List<Object>> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(location));
                CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                Cid c = s.block().cid();
                out.add(List.of(c.toString(), Multicodec.nameOf(c.codec()), s.block().data()));
            }
        } catch (IOException e) {
            throw new LakesException("cannot read CAR " + location + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Rows of a split, counting how many were handed out. */
    public static final class Rows implements Iterator<Object> {
        private final Iterator<?> it;
        private long position;

        Rows(List<?> rows, long position) {
            this.it = rows.iterator();
            this.position = position;
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public Object next() {
            position++;
            return it.next();
        }
    }
}
