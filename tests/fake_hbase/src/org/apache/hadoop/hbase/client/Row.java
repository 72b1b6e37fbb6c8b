// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.util.Comparator;
import org.apache.hadoop.hbase.util.Bytes;

/** An action on one row (Get, Put, Delete). */
public interface Row extends Comparable<Row> {
  Comparator<Row> COMPARATOR = (v1, v2) -> Bytes.compareTo(v1.getRow(), v2.getRow());

  byte[] getRow();
}
