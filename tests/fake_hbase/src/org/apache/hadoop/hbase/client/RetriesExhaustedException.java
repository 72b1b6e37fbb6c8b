// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.IOException;

public class RetriesExhaustedException extends IOException {
  private static final long serialVersionUID = 1L;

  public RetriesExhaustedException(String message) { super(message); }
  public RetriesExhaustedException(String message, IOException cause) { super(message, cause); }
}
