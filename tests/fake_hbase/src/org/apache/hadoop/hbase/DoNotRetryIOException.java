// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

public class DoNotRetryIOException extends HBaseIOException {
  private static final long serialVersionUID = 1L;

  public DoNotRetryIOException() { }
  public DoNotRetryIOException(String message) { super(message); }
  public DoNotRetryIOException(String message, Throwable cause) { super(message, cause); }
  public DoNotRetryIOException(Throwable cause) { super(cause); }
}
