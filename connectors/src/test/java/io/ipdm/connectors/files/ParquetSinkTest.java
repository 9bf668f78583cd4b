package io.ipdm.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.types.Row;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows of every supported type written by the sink's bulk writer and read back by parquet-java's
 * file reader (which needs Hadoop's classes: test scope only) and by {@link ParquetRecords}.
 */
class ParquetSinkTest {
    static final RowTypeInfo TYPE =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.LONG,
                        Types.INT,
                        Types.SHORT,
                        Types.DOUBLE,
                        Types.FLOAT,
                        Types.BOOLEAN,
                        Types.STRING,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
                        BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO,
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO,
                        new ListTypeInfo<>(Types.DOUBLE),
                        new RowTypeInfo(
                                new TypeInformation<?>[] {Types.STRING, Types.LONG},
                                new String[] {"a", "b"})
                    },
                    new String[] {
                        "slot",
                        "index",
                        "small",
                        "ratio",
                        "f",
                        "ok",
                        "name",
                        "raw",
                        "programs",
                        "longs",
                        "doubles",
                        "nested"
                    });

    static Row full() {
        return Row.of(
                7L,
                3,
                (short) -2,
                0.5,
                1.5f,
                true,
                "héllo \"x\"",
                new byte[] {1, 2, (byte) 0xff},
                new String[] {"p1", null, "p3"},
                new long[] {5, 6},
                List.of(2.5, 3.5),
                Row.of("in", 9L));
    }

    static Row nulls() {
        Row r = new Row(TYPE.getArity());
        r.setField(8, new String[0]);
        return r;
    }

    @Test
    void schemaFollowsTheRowType() {
        assertThat(ParquetSchema.of(TYPE).toString())
                .isEqualTo(
                        """
                        message row {
                          optional int64 slot;
                          optional int32 index;
                          optional int32 small (INTEGER(16,true));
                          optional double ratio;
                          optional float f;
                          optional boolean ok;
                          optional binary name (STRING);
                          optional binary raw;
                          optional group programs (LIST) {
                            repeated group list {
                              optional binary element (STRING);
                            }
                          }
                          optional group longs (LIST) {
                            repeated group list {
                              required int64 element;
                            }
                          }
                          optional group doubles (LIST) {
                            repeated group list {
                              optional double element;
                            }
                          }
                          optional group nested {
                            optional binary a (STRING);
                            optional int64 b;
                          }
                        }
                        """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "gzip", "uncompressed"})
    void rowsRoundTrip(String codec, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("part.parquet");
        write(file, codec, List.of(full(), nulls()));
        List<Group> rows = read(file);
        assertThat(rows).hasSize(2);
        // IPDM's Hadoop-free reader gives the same records as parquet-java's file reader
        assertThat(ParquetRecords.read(file).records())
                .extracting(Group::toString)
                .containsExactlyElementsOf(rows.stream().map(Group::toString).toList());
        Group g = rows.get(0);
        assertThat(g.getLong("slot", 0)).isEqualTo(7L);
        assertThat(g.getInteger("index", 0)).isEqualTo(3);
        assertThat(g.getInteger("small", 0)).isEqualTo(-2);
        assertThat(g.getDouble("ratio", 0)).isEqualTo(0.5);
        assertThat(g.getFloat("f", 0)).isEqualTo(1.5f);
        assertThat(g.getBoolean("ok", 0)).isTrue();
        assertThat(g.getString("name", 0)).isEqualTo("héllo \"x\"");
        assertThat(g.getBinary("raw", 0).getBytes()).containsExactly(1, 2, 0xff);
        Group programs = g.getGroup("programs", 0);
        assertThat(programs.getFieldRepetitionCount("list")).isEqualTo(3);
        assertThat(programs.getGroup("list", 0).getString("element", 0)).isEqualTo("p1");
        assertThat(programs.getGroup("list", 1).getFieldRepetitionCount("element")).isZero();
        assertThat(programs.getGroup("list", 2).getString("element", 0)).isEqualTo("p3");
        Group longs = g.getGroup("longs", 0);
        assertThat(longs.getGroup("list", 1).getLong("element", 0)).isEqualTo(6L);
        assertThat(g.getGroup("doubles", 0).getGroup("list", 0).getDouble("element", 0))
                .isEqualTo(2.5);
        assertThat(g.getGroup("nested", 0).getString("a", 0)).isEqualTo("in");
        assertThat(g.getGroup("nested", 0).getLong("b", 0)).isEqualTo(9L);

        Group n = rows.get(1);
        for (String field : List.of("slot", "name", "raw", "longs", "nested")) {
            assertThat(n.getFieldRepetitionCount(field)).as(field).isZero();
        }
        assertThat(n.getGroup("programs", 0).getFieldRepetitionCount("list")).isZero();
    }

    @Test
    void typeWithoutParquetMappingIsRejectedByName() {
        RowTypeInfo withMap =
                new RowTypeInfo(
                        new TypeInformation<?>[] {Types.LONG, Types.MAP(Types.STRING, Types.LONG)},
                        new String[] {"slot", "counts"});
        assertThatThrownBy(() -> ParquetSink.create("/tmp/unused", withMap, "snappy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "field 'counts' has type Map<String, Long>, which Parquet files cannot hold"
                                + " here; supported: Long, Integer, Short, Byte, Double, Float,"
                                + " Boolean, String, byte[], arrays and lists of those, nested rows");
    }

    static void write(Path file, String codec, List<Row> rows) throws IOException {
        BulkWriter.Factory<Row> factory = ParquetSink.writerFactory(TYPE, codec);
        org.apache.flink.core.fs.Path p = new org.apache.flink.core.fs.Path(file.toUri());
        try (FSDataOutputStream out =
                FileSystem.getLocalFileSystem().create(p, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<Row> w = factory.create(out);
            for (Row r : rows) {
                w.addElement(r);
            }
            w.finish();
        }
    }

    static List<Group> read(Path file) throws IOException {
        ParquetReadOptions options =
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new ParquetCodecs())
                        .build();
        List<Group> rows = new ArrayList<>();
        try (ParquetFileReader r = new ParquetFileReader(new LocalInputFile(file), options)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Group> records =
                        new ColumnIOFactory()
                                .getColumnIO(schema)
                                .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(records.read());
                }
            }
        }
        return rows;
    }
}
