// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import org.apache.hadoop.hbase.TableName;

/** A region: a table's rows from the start key (inclusive) to the end key (exclusive; empty: the end). */
public interface RegionInfo {
  byte[] getStartKey();

  byte[] getEndKey();

  long getRegionId();

  /** "table,startKey,regionId.encodedName." */
  byte[] getRegionName();

  String getRegionNameAsString();

  String getEncodedName();

  TableName getTable();

  boolean containsRow(byte[] row);
}
