// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;

/** One table's reads and writes (lightweight; not thread-safe in HBase). */
public interface Table extends Closeable {
  TableName getName();

  Configuration getConfiguration();

  TableDescriptor getDescriptor() throws IOException;

  boolean exists(Get get) throws IOException;

  Result get(Get get) throws IOException;

  Result[] get(List<Get> gets) throws IOException;

  ResultScanner getScanner(Scan scan) throws IOException;

  ResultScanner getScanner(byte[] family) throws IOException;

  ResultScanner getScanner(byte[] family, byte[] qualifier) throws IOException;

  void put(Put put) throws IOException;

  void put(List<Put> puts) throws IOException;

  void delete(Delete delete) throws IOException;

  /** As HBase's: the Deletes that succeeded are removed from the list. */
  void delete(List<Delete> deletes) throws IOException;

  long incrementColumnValue(byte[] row, byte[] family, byte[] qualifier, long amount) throws IOException;

  @Override
  void close() throws IOException;
}
