// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

import org.apache.hadoop.hbase.client.RegionInfo;

/** Where a region is served. */
public class HRegionLocation implements Comparable<HRegionLocation> {
  private final RegionInfo region;
  private final ServerName serverName;

  public HRegionLocation(RegionInfo region, ServerName serverName) {
    this.region = region;
    this.serverName = serverName;
  }

  public RegionInfo getRegion() { return region; }
  public ServerName getServerName() { return serverName; }
  public String getHostname() { return serverName.getHostname(); }
  public int getPort() { return serverName.getPort(); }
  public String getHostnamePort() { return serverName.getHostname() + ":" + serverName.getPort(); }
  public long getSeqNum() { return 0; }
  @Override public int compareTo(HRegionLocation other) { return serverName.compareTo(other.serverName); }

  @Override
  public String toString() {
    return "region=" + region.getRegionNameAsString() + ", hostname=" + serverName + ", seqNum=0";
  }
}
