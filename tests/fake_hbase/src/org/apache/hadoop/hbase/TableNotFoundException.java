// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

public class TableNotFoundException extends DoNotRetryIOException {
  private static final long serialVersionUID = 1L;

  public TableNotFoundException() { }
  public TableNotFoundException(String message) { super(message); }
  public TableNotFoundException(TableName tableName) { super(tableName.getNameAsString()); }
}
