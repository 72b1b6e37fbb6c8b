// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** HBase's Configuration factory: the ZooKeeper defaults of hbase-default.xml, no hbase-site.xml. */
public class HBaseConfiguration extends Configuration {
  public static Configuration create() {
    Configuration conf = new Configuration();
    conf.set(HConstants.ZOOKEEPER_QUORUM, "localhost");
    conf.set(HConstants.ZOOKEEPER_CLIENT_PORT, "2181");
    conf.set(HConstants.ZOOKEEPER_ZNODE_PARENT, "/hbase");
    return conf;
  }

  public static Configuration create(Configuration that) {
    Configuration conf = create();
    for (Map.Entry<String, String> entry : that) {
      conf.set(entry.getKey(), entry.getValue());
    }
    return conf;
  }
}
