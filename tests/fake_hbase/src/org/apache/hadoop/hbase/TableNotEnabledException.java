// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

public class TableNotEnabledException extends DoNotRetryIOException {
  private static final long serialVersionUID = 1L;

  public TableNotEnabledException() { }
  public TableNotEnabledException(String message) { super(message); }
  public TableNotEnabledException(TableName tableName) { super(tableName.getNameAsString()); }
}
