// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

/** A region server: host, port and start code; the fake has one per cluster. */
public final class ServerName implements Comparable<ServerName> {
  private final String hostname;
  private final int port;
  private final long startcode;

  private ServerName(String hostname, int port, long startcode) {
    this.hostname = hostname;
    this.port = port;
    this.startcode = startcode;
  }

  public static ServerName valueOf(String hostname, int port, long startcode) {
    return new ServerName(hostname, port, startcode);
  }

  public String getHostname() { return hostname; }
  public int getPort() { return port; }
  public long getStartcode() { return startcode; }
  @Override public String toString() { return hostname + "," + port + "," + startcode; }
  @Override public boolean equals(Object o) { return o instanceof ServerName && o.toString().equals(toString()); }
  @Override public int hashCode() { return toString().hashCode(); }
  @Override public int compareTo(ServerName other) { return toString().compareTo(other.toString()); }
}
