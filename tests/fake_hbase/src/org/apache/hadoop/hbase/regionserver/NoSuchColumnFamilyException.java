// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.regionserver;

import org.apache.hadoop.hbase.DoNotRetryIOException;

public class NoSuchColumnFamilyException extends DoNotRetryIOException {
  private static final long serialVersionUID = 1L;

  public NoSuchColumnFamilyException() { }
  public NoSuchColumnFamilyException(String message) { super(message); }
  public NoSuchColumnFamilyException(String message, Throwable cause) { super(message, cause); }
}
