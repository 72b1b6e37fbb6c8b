// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.hbase.TableName;

/** Table administration. */
public interface Admin extends Closeable {
  Connection getConnection();

  TableName[] listTableNames() throws IOException;

  boolean tableExists(TableName tableName) throws IOException;

  void createTable(TableDescriptor desc) throws IOException;

  void createTable(TableDescriptor desc, byte[][] splitKeys) throws IOException;

  void deleteTable(TableName tableName) throws IOException;

  void enableTable(TableName tableName) throws IOException;

  void disableTable(TableName tableName) throws IOException;

  boolean isTableEnabled(TableName tableName) throws IOException;

  boolean isTableDisabled(TableName tableName) throws IOException;

  TableDescriptor getDescriptor(TableName tableName) throws IOException;

  void majorCompact(TableName tableName) throws IOException;

  @Override
  void close() throws IOException;
}
