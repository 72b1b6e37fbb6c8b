// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.regionserver;

public enum BloomType {
  NONE, ROW, ROWCOL, ROWPREFIX_FIXED_LENGTH
}
