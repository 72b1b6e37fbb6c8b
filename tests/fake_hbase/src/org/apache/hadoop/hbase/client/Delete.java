// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.HConstants;

/** Deletes on one row; without columns, the whole row (every cell with a timestamp <= the Delete's). */
public class Delete extends Mutation {
  public Delete(byte[] row) { this(row, HConstants.LATEST_TIMESTAMP); }
  public Delete(byte[] row, long timestamp) { super(row, timestamp); }

  /** Every version of every column of the family, with a timestamp <= the Delete's. */
  public Delete addFamily(byte[] family) { return addFamily(family, ts); }

  /** Every version of every column of the family with a timestamp <= `timestamp`. */
  public Delete addFamily(byte[] family, long timestamp) {
    familyMap.remove(family);
    add(family, null, timestamp, Cell.Type.DeleteFamily, null);
    return this;
  }

  /** Every column's version at exactly `timestamp`. */
  public Delete addFamilyVersion(byte[] family, long timestamp) {
    add(family, null, timestamp, Cell.Type.DeleteFamilyVersion, null);
    return this;
  }

  /** Every version of the column with a timestamp <= the Delete's. */
  public Delete addColumns(byte[] family, byte[] qualifier) { return addColumns(family, qualifier, ts); }

  /** Every version of the column with a timestamp <= `timestamp`. */
  public Delete addColumns(byte[] family, byte[] qualifier, long timestamp) {
    add(family, qualifier, timestamp, Cell.Type.DeleteColumn, null);
    return this;
  }

  /** The newest version of the column (if the Delete has no timestamp), else the version at the Delete's timestamp. */
  public Delete addColumn(byte[] family, byte[] qualifier) { return addColumn(family, qualifier, ts); }

  /** The version of the column at exactly `timestamp`. */
  public Delete addColumn(byte[] family, byte[] qualifier, long timestamp) {
    add(family, qualifier, timestamp, Cell.Type.Delete, null);
    return this;
  }
}
