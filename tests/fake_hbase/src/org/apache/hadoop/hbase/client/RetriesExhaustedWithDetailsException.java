// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.DoNotRetryIOException;

/** The failures of a batch: one cause, row and server per failed action; the message is HBase's. */
public class RetriesExhaustedWithDetailsException extends RetriesExhaustedException {
  private static final long serialVersionUID = 1L;
  private final List<Throwable> exceptions;
  private final List<Row> actions;
  private final List<String> hostnameAndPort;

  public RetriesExhaustedWithDetailsException(List<Throwable> exceptions, List<Row> actions,
      List<String> hostnameAndPort) {
    super("Failed " + exceptions.size() + " action" + pluralize(exceptions.size()) + ": "
        + getDesc(exceptions, actions, hostnameAndPort));
    this.exceptions = exceptions;
    this.actions = actions;
    this.hostnameAndPort = hostnameAndPort;
  }

  public List<Throwable> getCauses() { return exceptions; }
  public int getNumExceptions() { return exceptions.size(); }
  public Throwable getCause(int i) { return exceptions.get(i); }
  public Row getRow(int i) { return actions.get(i); }
  public String getHostnamePort(int i) { return hostnameAndPort.get(i); }

  public boolean mayHaveClusterIssues() {
    for (Throwable t : exceptions) {
      if (!(t instanceof DoNotRetryIOException)) { return true; }
    }
    return false;
  }

  public static String pluralize(int c) { return c > 1 ? "s" : ""; }

  /** "<what>: N time(s), ..., servers with issues: a, b, " as HBase writes it (a DoNotRetryIOException is named by its message). */
  public static String getDesc(List<Throwable> exceptions, List<? extends Row> actions, List<String> hostnamePort) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Throwable t : exceptions) {
      if (t != null) {
        String name = t instanceof DoNotRetryIOException ? t.getMessage() : t.getClass().getSimpleName();
        counts.merge(name, 1, Integer::sum);
      }
    }
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      s.append(e.getKey()).append(": ").append(e.getValue()).append(" time").append(pluralize(e.getValue())).append(", ");
    }
    s.append("servers with issues: ");
    for (String address : new HashSet<>(hostnamePort)) {
      s.append(address).append(", ");
    }
    return s.toString();
  }
}
