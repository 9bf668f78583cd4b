package io.ipdm.connectors.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the records of a Parquet file without Hadoop (parquet-hadoop's own file reader loads
 * Hadoop's classes): the footer and page headers are decoded with parquet-format, values and
 * records are assembled by parquet-column. Handles what {@link ParquetSink} writes: v1 data pages,
 * dictionaries, the codecs of {@link ParquetCodecs}. Whole files are read into memory.
 */
public final class ParquetRecords {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetRecords() {}

    /** The file's schema and its records, in file order. */
    public record Contents(MessageType schema, List<Group> records) {}

    public static Contents read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = bytes.length;
        if (n < 12
                || !ByteBuffer.wrap(bytes, 0, 4).equals(ByteBuffer.wrap(MAGIC))
                || !ByteBuffer.wrap(bytes, n - 4, 4).equals(ByteBuffer.wrap(MAGIC))) {
            throw new IOException(file + ": not a Parquet file (no PAR1 magic at both ends)");
        }
        int footer = ByteBuffer.wrap(bytes, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        ParquetMetadata meta =
                new ParquetMetadataConverter()
                        .readParquetMetadata(
                                new ByteArrayInputStream(bytes, n - 8 - footer, footer),
                                ParquetMetadataConverter.NO_FILTER);
        MessageType schema = meta.getFileMetaData().getSchema();
        ParquetCodecs codecs = new ParquetCodecs();
        List<Group> records = new ArrayList<>();
        for (BlockMetaData block : meta.getBlocks()) {
            Map<ColumnDescriptor, PageReader> columns = new HashMap<>();
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                ColumnDescriptor column = schema.getColumnDescription(chunk.getPath().toArray());
                columns.put(
                        column,
                        pages(bytes, chunk, column, codecs.getDecompressor(chunk.getCodec())));
            }
            PageReadStore store = new Store(block.getRowCount(), columns);
            RecordReader<Group> reader =
                    new ColumnIOFactory()
                            .getColumnIO(schema)
                            .getRecordReader(store, new GroupRecordConverter(schema));
            for (long i = 0; i < block.getRowCount(); i++) {
                records.add(reader.read());
            }
        }
        return new Contents(schema, records);
    }

    private static PageReader pages(
            byte[] file,
            ColumnChunkMetaData chunk,
            ColumnDescriptor column,
            BytesInputDecompressor codec)
            throws IOException {
        ByteArrayInputStream in =
                new ByteArrayInputStream(
                        file, (int) chunk.getStartingPos(), (int) chunk.getTotalSize());
        DictionaryPage dictionary = null;
        Deque<DataPage> data = new ArrayDeque<>();
        long values = 0;
        while (values < chunk.getValueCount()) {
            PageHeader h = Util.readPageHeader(in);
            int size = h.getUncompressed_page_size();
            BytesInput raw =
                    codec.decompress(
                            BytesInput.from(in.readNBytes(h.getCompressed_page_size())), size);
            switch (h.getType()) {
                case DICTIONARY_PAGE ->
                        dictionary =
                                new DictionaryPage(
                                        raw,
                                        size,
                                        h.getDictionary_page_header().getNum_values(),
                                        encoding(h.getDictionary_page_header().getEncoding()));
                case DATA_PAGE -> {
                    DataPageHeader d = h.getData_page_header();
                    data.add(
                            new DataPageV1(
                                    raw,
                                    d.getNum_values(),
                                    size,
                                    Statistics.getBuilderForReading(column.getPrimitiveType())
                                            .build(),
                                    encoding(d.getRepetition_level_encoding()),
                                    encoding(d.getDefinition_level_encoding()),
                                    encoding(d.getEncoding())));
                    values += d.getNum_values();
                }
                default -> throw new IOException("unsupported Parquet page type " + h.getType());
            }
        }
        return new Pages(dictionary, data, values);
    }

    private static Encoding encoding(org.apache.parquet.format.Encoding e) {
        return Encoding.valueOf(e.name());
    }

    private record Pages(DictionaryPage dictionary, Deque<DataPage> data, long values)
            implements PageReader {
        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return values;
        }

        @Override
        public DataPage readPage() {
            return data.poll();
        }
    }

    private record Store(long rows, Map<ColumnDescriptor, PageReader> columns)
            implements PageReadStore {
        @Override
        public PageReader getPageReader(ColumnDescriptor descriptor) {
            return columns.get(descriptor);
        }

        @Override
        public long getRowCount() {
            return rows;
        }
    }
}
