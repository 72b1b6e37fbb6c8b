// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;

/** A connection to a (fake, in-memory) cluster; Tables, Admins and mutators are lightweight. */
public interface Connection extends Closeable {
  Configuration getConfiguration();

  Table getTable(TableName tableName) throws IOException;

  BufferedMutator getBufferedMutator(TableName tableName) throws IOException;

  BufferedMutator getBufferedMutator(BufferedMutatorParams params) throws IOException;

  RegionLocator getRegionLocator(TableName tableName) throws IOException;

  Admin getAdmin() throws IOException;

  @Override
  void close() throws IOException;

  boolean isClosed();
}
