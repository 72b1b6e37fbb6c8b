// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

/** The few HBase constants the fake uses. */
public final class HConstants {
  public static final long LATEST_TIMESTAMP = Long.MAX_VALUE;
  public static final int FOREVER = Integer.MAX_VALUE;
  public static final int ALL_VERSIONS = Integer.MAX_VALUE;
  public static final int MAX_ROW_LENGTH = Short.MAX_VALUE;
  public static final byte[] EMPTY_BYTE_ARRAY = new byte[0];
  public static final byte[] EMPTY_START_ROW = EMPTY_BYTE_ARRAY;
  public static final byte[] EMPTY_END_ROW = EMPTY_BYTE_ARRAY;
  public static final String ZOOKEEPER_QUORUM = "hbase.zookeeper.quorum";
  public static final String ZOOKEEPER_CLIENT_PORT = "hbase.zookeeper.property.clientPort";
  public static final String ZOOKEEPER_ZNODE_PARENT = "zookeeper.znode.parent";

  private HConstants() { }
}
