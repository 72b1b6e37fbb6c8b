// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.HConstants;

/** Values to write to one row. */
public class Put extends Mutation {
  public Put(byte[] row) { this(row, HConstants.LATEST_TIMESTAMP); }
  public Put(byte[] row, long ts) { super(row, ts); }

  public Put addColumn(byte[] family, byte[] qualifier, byte[] value) {
    return addColumn(family, qualifier, ts, value);
  }

  public Put addColumn(byte[] family, byte[] qualifier, long ts, byte[] value) {
    add(family, qualifier, ts, Cell.Type.Put, value);
    return this;
  }
}
