// HBase's own write floor for bench/hbase_bench.py: a bare BufferedMutator loop
// writing the cells a test-map import writes, read beforehand from a file that
// the benchmark generates (the same rows, qualifiers, values and stamp).
//
//   java -cp build/hbase-floor:build/hbase-jars/* HBaseWriteFloor QUORUM PORT PREFIX CELLS_FILE
//
// CELLS_FILE (big-endian): long timestamp; int tables; per table its name
// (writeUTF); then rows until the end: byte table, int length + row, int cells,
// per cell short + family, int + qualifier, int + value. Prints one line:
// FLOOR {"cells": N, "rows": N, "seconds": S}. Only the writing is timed: a
// BufferedMutator per table (the client's defaults, as stave's hbase:// uses),
// a Put per row, mutate() each, close() (which flushes).
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Put;

public class HBaseWriteFloor {
    static final class Row {
        final byte[] key;
        final byte[][] families, qualifiers, values;

        Row(byte[] key, int cells) {
            this.key = key;
            families = new byte[cells][];
            qualifiers = new byte[cells][];
            values = new byte[cells][];
        }
    }

    static byte[] read(DataInputStream in, int length) throws Exception {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    public static void main(String[] args) throws Exception {
        String quorum = args[0], port = args[1], prefix = args[2], path = args[3];
        long timestamp;
        String[] names;
        List<List<Row>> tables = new ArrayList<>();
        long cells = 0, rows = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(path), 1 << 20))) {
            timestamp = in.readLong();
            names = new String[in.readInt()];
            for (int i = 0; i < names.length; i++) {
                names[i] = in.readUTF();
                tables.add(new ArrayList<Row>());
            }
            while (true) {
                int table;
                try {
                    table = in.readByte();
                } catch (EOFException end) {
                    break;
                }
                byte[] key = read(in, in.readInt());
                Row row = new Row(key, in.readInt());
                for (int c = 0; c < row.families.length; c++) {
                    row.families[c] = read(in, in.readShort());
                    row.qualifiers[c] = read(in, in.readInt());
                    row.values[c] = read(in, in.readInt());
                }
                tables.get(table).add(row);
                cells += row.families.length;
                rows++;
            }
        }
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", quorum);
        conf.set("hbase.zookeeper.property.clientPort", port);
        try (Connection connection = ConnectionFactory.createConnection(conf)) {
            long started = System.nanoTime();
            for (int t = 0; t < names.length; t++) {
                try (BufferedMutator mutator = connection.getBufferedMutator(TableName.valueOf(prefix + names[t]))) {
                    for (Row row : tables.get(t)) {
                        Put put = new Put(row.key, timestamp);
                        for (int c = 0; c < row.families.length; c++) {
                            put.addColumn(row.families[c], row.qualifiers[c], row.values[c]);
                        }
                        mutator.mutate(put);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.println("FLOOR {\"cells\": " + cells + ", \"rows\": " + rows + ", \"seconds\": " + seconds + "}");
        }
    }
}
