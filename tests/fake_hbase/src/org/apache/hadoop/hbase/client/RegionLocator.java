// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.hbase.HRegionLocation;
import org.apache.hadoop.hbase.TableName;

/** Where a table's regions are (the fake's single region server). */
public interface RegionLocator extends Closeable {
  HRegionLocation getRegionLocation(byte[] row) throws IOException;

  HRegionLocation getRegionLocation(byte[] row, boolean reload) throws IOException;

  List<HRegionLocation> getAllRegionLocations() throws IOException;

  byte[][] getStartKeys() throws IOException;

  byte[][] getEndKeys() throws IOException;

  TableName getName();

  @Override
  void close() throws IOException;
}
