package io.ipdm.connectors.files;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression without Hadoop: parquet-hadoop's own codec factory loads Hadoop's codec classes,
 * which IPDM does not ship. Snappy (raw block format, as Parquet stores it) and zstd come from the
 * native libraries Flink and Parquet already depend on, gzip from the JDK.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    /** The codecs the sink writes, by their option name. */
    public static final java.util.List<String> NAMES =
            java.util.List.of("snappy", "zstd", "gzip", "uncompressed");

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new Codec(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Codec(codec);
    }

    @Override
    public void release() {}

    private record Codec(CompressionCodecName name)
            implements BytesInputCompressor, BytesInputDecompressor {
        Codec {
            if (!NAMES.contains(name.name().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("unsupported Parquet codec " + name);
            }
        }

        @Override
        public BytesInput compress(BytesInput in) throws IOException {
            byte[] raw = in.toByteArray();
            return BytesInput.from(
                    switch (name) {
                        case SNAPPY -> Snappy.compress(raw);
                        case ZSTD -> Zstd.compress(raw, 3);
                        case GZIP -> gzip(raw);
                        default -> raw;
                    });
        }

        @Override
        public BytesInput decompress(BytesInput in, int size) throws IOException {
            byte[] packed = in.toByteArray();
            byte[] out =
                    switch (name) {
                        case SNAPPY -> Snappy.uncompress(packed);
                        case ZSTD -> Zstd.decompress(packed, size);
                        case GZIP -> gunzip(packed);
                        default -> packed;
                    };
            if (out.length != size) {
                throw new IOException(
                        name + " page: expected " + size + " bytes, got " + out.length);
            }
            return BytesInput.from(out);
        }

        @Override
        public void decompress(ByteBuffer in, int inSize, ByteBuffer out, int outSize)
                throws IOException {
            byte[] packed = new byte[inSize];
            in.get(packed);
            out.put(decompress(BytesInput.from(packed), outSize).toByteArray());
        }

        @Override
        public CompressionCodecName getCodecName() {
            return name;
        }

        @Override
        public void release() {}

        private static byte[] gzip(byte[] raw) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length / 2 + 64);
            try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
                z.write(raw);
            }
            return bytes.toByteArray();
        }

        private static byte[] gunzip(byte[] packed) throws IOException {
            try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(packed))) {
                return z.readAllBytes();
            }
        }
    }
}
