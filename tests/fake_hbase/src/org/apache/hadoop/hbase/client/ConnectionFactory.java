// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import fakehbase.FakeConnection;

/** Connects to the fake cluster named by the Configuration's ZooKeeper quorum, port and znode parent (never fails). */
public class ConnectionFactory {
  protected ConnectionFactory() { }

  public static Connection createConnection() throws IOException {
    return createConnection(HBaseConfiguration.create());
  }

  public static Connection createConnection(Configuration conf) throws IOException { return new FakeConnection(conf); }
}
