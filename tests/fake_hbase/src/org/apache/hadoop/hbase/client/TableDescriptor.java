// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.util.Set;
import org.apache.hadoop.hbase.TableName;

/** A table's schema: its name and column families. */
public interface TableDescriptor {
  TableName getTableName();

  /** Sorted by name. */
  ColumnFamilyDescriptor[] getColumnFamilies();

  /** The family, or null. */
  ColumnFamilyDescriptor getColumnFamily(byte[] name);

  boolean hasColumnFamily(byte[] name);

  int getColumnFamilyCount();

  Set<byte[]> getColumnFamilyNames();
}
