// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

public class TableNotDisabledException extends DoNotRetryIOException {
  private static final long serialVersionUID = 1L;

  public TableNotDisabledException() { }
  public TableNotDisabledException(String message) { super(message); }
  public TableNotDisabledException(TableName tableName) { super(tableName.getNameAsString()); }
}
