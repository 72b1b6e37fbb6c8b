// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.regionserver.BloomType;

/** A column family's schema: the options the fake keeps (versions and TTL are enforced; the rest are recorded). */
public interface ColumnFamilyDescriptor {
  byte[] getName();

  String getNameAsString();

  int getMaxVersions();

  int getTimeToLive();

  boolean isInMemory();

  boolean isBlockCacheEnabled();

  BloomType getBloomFilterType();

  Compression.Algorithm getCompressionType();
}
