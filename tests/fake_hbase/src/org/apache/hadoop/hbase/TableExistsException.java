// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

public class TableExistsException extends DoNotRetryIOException {
  private static final long serialVersionUID = 1L;

  public TableExistsException() { }
  public TableExistsException(String message) { super(message); }
  public TableExistsException(TableName tableName) { super(tableName.getNameAsString()); }
}
