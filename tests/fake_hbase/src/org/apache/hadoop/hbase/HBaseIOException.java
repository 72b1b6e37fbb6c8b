// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

public class HBaseIOException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  public HBaseIOException() { }
  public HBaseIOException(String message) { super(message); }
  public HBaseIOException(String message, Throwable cause) { super(message, cause); }
  public HBaseIOException(Throwable cause) { super(cause); }
}
