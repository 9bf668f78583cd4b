package io.ipdm.connectors.lakes;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.cid.Cid;
import io.ipdm.lakes.cid.Multicodec;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.window.WindowArchive;
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
 * One window root in a lake ({@code kind = window}) or one CAR file ({@code kind = car}); {@code
 * skip} counts rows already emitted, so a restored split resumes where the checkpoint was.
 */
public record LakeSplit(String id, String kind, String location, String cid, long skip)
        implements IteratorSourceSplit<List<Object>, LakeSplit.Rows>, java.io.Serializable {

    @Override
    public String splitId() {
        return id;
    }

    @Override
    public Rows getIterator() {
        List<List<Object>> rows = kind.equals("car") ? carRows() : windowRows();
        return new Rows(rows.subList((int) Math.min(skip, rows.size()), rows.size()), skip);
    }

    @Override
    public IteratorSourceSplit<List<Object>, Rows> getUpdatedSplitForIterator(Rows iterator) {
        return new LakeSplit(id, kind, location, cid, iterator.position);
    }

    private List<List<Object>> windowRows() {
        try {
            TieredStore store = LakeRegistry.acquire(location, 64L << 20, 1L << 30);
            try {
                return WindowArchive.read(store, Cid.parse(cid)).rows();
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
    public static final class Rows implements Iterator<List<Object>> {
        private final Iterator<List<Object>> it;
        private long position;

        Rows(List<List<Object>> rows, long position) {
            this.it = rows.iterator();
            this.position = position;
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public List<Object> next() {
            position++;
            return it.next();
        }
    }
}
