// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package fakehbase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.DoNotRetryIOException;
import org.apache.hadoop.hbase.HRegionLocation;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.BufferedMutatorParams;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.RegionInfo;
import org.apache.hadoop.hbase.client.RegionLocator;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptor;

/** A Connection to the fake cluster its Configuration names, with its Admin and RegionLocator. */
public final class FakeConnection implements Connection {
  private final Configuration conf;
  final FakeCluster cluster;
  private volatile boolean closed;

  public FakeConnection(Configuration conf) {
    this.conf = conf;
    this.cluster = FakeCluster.of(conf);
    cluster.connectionOpened();
  }

  FakeCluster cluster() throws IOException {
    if (closed) { throw new DoNotRetryIOException(this + " closed"); }
    return cluster;
  }

  @Override public Configuration getConfiguration() { return conf; }

  @Override
  public Table getTable(TableName tableName) throws IOException {
    cluster();
    return new FakeTable(this, tableName);
  }

  @Override
  public BufferedMutator getBufferedMutator(TableName tableName) throws IOException {
    return getBufferedMutator(new BufferedMutatorParams(tableName));
  }

  @Override
  public BufferedMutator getBufferedMutator(BufferedMutatorParams params) throws IOException {
    cluster();
    long size = params.getWriteBufferSize() > 0 ? params.getWriteBufferSize()
        : conf.getLong("hbase.client.write.buffer", 2097152);
    return new FakeTable.Mutator(new FakeTable(this, params.getTableName()), size);
  }

  @Override
  public RegionLocator getRegionLocator(TableName tableName) throws IOException {
    cluster();
    return new Locator(tableName);
  }

  @Override public Admin getAdmin() throws IOException { cluster(); return new FakeAdmin(); }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      cluster.connectionClosed();
    }
  }

  @Override public boolean isClosed() { return closed; }
  @Override public String toString() { return "hconnection-0x" + Integer.toHexString(hashCode()); }

  private final class FakeAdmin implements Admin {
    @Override public Connection getConnection() { return FakeConnection.this; }
    @Override public TableName[] listTableNames() throws IOException { return cluster().listTableNames(); }

    @Override
    public boolean tableExists(TableName tableName) throws IOException { return cluster().tableExists(tableName); }
    @Override public void createTable(TableDescriptor desc) throws IOException { cluster().createTable(desc, null); }

    @Override
    public void createTable(TableDescriptor desc, byte[][] splitKeys) throws IOException {
      cluster().createTable(desc, splitKeys);
    }

    @Override public void deleteTable(TableName tableName) throws IOException { cluster().deleteTable(tableName); }
    @Override public void enableTable(TableName tableName) throws IOException { cluster().setEnabled(tableName, true); }

    @Override
    public void disableTable(TableName tableName) throws IOException { cluster().setEnabled(tableName, false); }

    @Override
    public boolean isTableEnabled(TableName tableName) throws IOException { return cluster().isEnabled(tableName); }

    @Override
    public boolean isTableDisabled(TableName tableName) throws IOException { return !cluster().isEnabled(tableName); }

    @Override
    public TableDescriptor getDescriptor(TableName tableName) throws IOException {
      return cluster().descriptor(tableName);
    }

    @Override public void majorCompact(TableName tableName) throws IOException { cluster().majorCompact(tableName); }
    @Override public void close() { }
  }

  private final class Locator implements RegionLocator {
    private final TableName name;

    Locator(TableName name) { this.name = name; }

    @Override
    public HRegionLocation getRegionLocation(byte[] row) throws IOException { return getRegionLocation(row, false); }

    @Override
    public HRegionLocation getRegionLocation(byte[] row, boolean reload) throws IOException {
      FakeCluster c = cluster();
      synchronized (c) {
        return new HRegionLocation(c.table(name).regionFor(row), c.server);
      }
    }

    @Override
    public List<HRegionLocation> getAllRegionLocations() throws IOException {
      FakeCluster c = cluster();
      List<HRegionLocation> locations = new ArrayList<>();
      synchronized (c) {
        for (FakeTableData.Region region : c.table(name).regions) {
          locations.add(new HRegionLocation(region, c.server));
        }
      }
      return locations;
    }

    @Override
    public byte[][] getStartKeys() throws IOException {
      return regionKeys(true);
    }

    @Override
    public byte[][] getEndKeys() throws IOException {
      return regionKeys(false);
    }

    private byte[][] regionKeys(boolean start) throws IOException {
      List<HRegionLocation> locations = getAllRegionLocations();
      byte[][] keys = new byte[locations.size()][];
      for (int i = 0; i < keys.length; i++) {
        RegionInfo region = locations.get(i).getRegion();
        keys[i] = start ? region.getStartKey() : region.getEndKey();
      }
      return keys;
    }

    @Override public TableName getName() { return name; }
    @Override public void close() { }
  }
}
