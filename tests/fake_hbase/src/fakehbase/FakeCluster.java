// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package fakehbase;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.DoNotRetryIOException;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.ServerName;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.TableNotDisabledException;
import org.apache.hadoop.hbase.TableNotEnabledException;
import org.apache.hadoop.hbase.TableNotFoundException;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * One in-memory "cluster" per ZooKeeper address "quorum:clientPort/znode.parent" (a static registry),
 * and the test hooks drop() and connectionsOpen(). Every table operation runs under the cluster's lock.
 */
public final class FakeCluster {
  private static final Map<String, FakeCluster> CLUSTERS = new HashMap<>();

  final String key;
  final String quorum;
  final ServerName server;
  private final TreeMap<TableName, FakeTableData> tables = new TreeMap<>();
  private int connectionsOpen;

  private FakeCluster(String key, String quorum) {
    this.key = key;
    this.quorum = quorum;
    this.server = ServerName.valueOf("localhost", 16020, System.currentTimeMillis());
  }

  static synchronized FakeCluster of(Configuration conf) {
    String quorum = conf.get(HConstants.ZOOKEEPER_QUORUM, "localhost");
    String key = quorum + ":" + conf.get(HConstants.ZOOKEEPER_CLIENT_PORT, "2181")
        + conf.get(HConstants.ZOOKEEPER_ZNODE_PARENT, "/hbase");
    return CLUSTERS.computeIfAbsent(key, k -> new FakeCluster(k, quorum));
  }

  private boolean matches(String name) { return key.equals(name) || quorum.equals(name); }

  /** Test hook: forget the tables of the cluster "quorum:port/parent", or of every cluster on that bare quorum. */
  public static synchronized void drop(String quorum) {
    for (FakeCluster cluster : CLUSTERS.values()) {
      if (cluster.matches(quorum)) {
        synchronized (cluster) {
          cluster.tables.clear();
        }
      }
    }
  }

  /** Test hook: connections created and not yet closed, on the cluster(s) drop() would name. */
  public static synchronized int connectionsOpen(String quorum) {
    int open = 0;
    for (FakeCluster cluster : CLUSTERS.values()) {
      if (cluster.matches(quorum)) {
        synchronized (cluster) {
          open += cluster.connectionsOpen;
        }
      }
    }
    return open;
  }

  synchronized void connectionOpened() { connectionsOpen++; }
  synchronized void connectionClosed() { connectionsOpen--; }

  /** An operation on one table's data, given the time it is applied at. */
  interface Op<T> {
    T apply(FakeTableData table, long now) throws IOException;
  }

  /** Runs `op` on an enabled table. */
  synchronized <T> T onTable(TableName name, Op<T> op) throws IOException {
    FakeTableData table = table(name);
    if (!table.enabled) { throw new TableNotEnabledException(name.getNameAsString() + " is disabled."); }
    return op.apply(table, System.currentTimeMillis());
  }

  synchronized FakeTableData table(TableName name) throws TableNotFoundException {
    FakeTableData table = tables.get(name);
    if (table == null) { throw new TableNotFoundException(name); }
    return table;
  }

  // -- Admin -------------------------------------------------------------------------------------------------

  synchronized TableName[] listTableNames() { return tables.keySet().toArray(new TableName[0]); }
  synchronized boolean tableExists(TableName name) { return tables.containsKey(name); }

  synchronized void createTable(TableDescriptor desc, byte[][] splitKeys) throws IOException {
    byte[][] splits = splitKeys == null ? new byte[0][] : splitKeys.clone();
    java.util.Arrays.sort(splits, Bytes.BYTES_COMPARATOR);
    for (int i = 0; i < splits.length; i++) {
      if (splits[i].length == 0) {
        throw new IllegalArgumentException("Empty split key must not be passed in the split keys.");
      }
      if (i > 0 && Bytes.equals(splits[i], splits[i - 1])) {
        throw new IllegalArgumentException("All split keys must be unique, found duplicate: "
            + Bytes.toStringBinary(splits[i]) + ", " + Bytes.toStringBinary(splits[i - 1]));
      }
    }
    String bypass = " Set hbase.table.sanity.checks to false at conf or table descriptor if you want to bypass sanity checks";
    if (desc.getColumnFamilyCount() == 0) {
      throw new DoNotRetryIOException(remoteMessage(DoNotRetryIOException.class,
          "Table should have at least one column family." + bypass));
    }
    for (ColumnFamilyDescriptor family : desc.getColumnFamilies()) {
      if (family.getTimeToLive() <= 0) {
        throw new DoNotRetryIOException(remoteMessage(DoNotRetryIOException.class,
            "TTL for column family " + family.getNameAsString() + " must be positive." + bypass));
      }
    }
    if (tables.containsKey(desc.getTableName())) { throw new TableExistsException(desc.getTableName()); }
    tables.put(desc.getTableName(), new FakeTableData(desc, splits, System.currentTimeMillis()));
  }

  synchronized void deleteTable(TableName name) throws IOException {
    if (table(name).enabled) { throw new TableNotDisabledException(name); }
    tables.remove(name);
  }

  synchronized void setEnabled(TableName name, boolean enabled) throws IOException {
    FakeTableData table = table(name);
    if (table.enabled == enabled) {
      throw enabled ? new TableNotDisabledException(name) : new TableNotEnabledException(name);
    }
    table.enabled = enabled;
  }

  synchronized boolean isEnabled(TableName name) throws IOException { return table(name).enabled; }
  synchronized TableDescriptor descriptor(TableName name) throws IOException { return table(name).descriptor; }

  /** Drops TTL-expired cells; a disabled table's regions are offline, so it is skipped (as HBase does). */
  synchronized void majorCompact(TableName name) throws IOException {
    FakeTableData table = table(name);
    if (table.enabled) { table.compact(System.currentTimeMillis()); }
  }

  // -- exceptions a region server or the master raises ----------------------------------------------------------

  /**
   * A server-side exception's message as the client sees it: HBase sends the server's stack trace,
   * "class: message\n\tat ...", and the client rebuilds the exception with that as its message.
   */
  static String remoteMessage(Class<?> cls, String message) {
    return cls.getName() + ": " + message + "\n\tat fakehbase (FAKE HBase, in memory: no server stack trace)";
  }
}
