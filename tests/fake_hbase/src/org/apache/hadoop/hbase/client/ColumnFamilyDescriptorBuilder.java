// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.regionserver.BloomType;
import org.apache.hadoop.hbase.util.Bytes;

/** Builds ColumnFamilyDescriptors; defaults as HBase's: 1 version, TTL FOREVER, bloom ROW, no compression, block cache on. */
public class ColumnFamilyDescriptorBuilder {
  private final Descriptor desc;

  private ColumnFamilyDescriptorBuilder(Descriptor desc) { this.desc = desc; }

  public static ColumnFamilyDescriptorBuilder newBuilder(byte[] name) {
    Descriptor d = new Descriptor();
    d.name = isLegalColumnFamilyName(name).clone();
    return new ColumnFamilyDescriptorBuilder(d);
  }

  public static ColumnFamilyDescriptorBuilder newBuilder(ColumnFamilyDescriptor other) {
    return newBuilder(other.getName()).setMaxVersions(other.getMaxVersions()).setTimeToLive(other.getTimeToLive())
        .setInMemory(other.isInMemory()).setBlockCacheEnabled(other.isBlockCacheEnabled())
        .setBloomFilterType(other.getBloomFilterType()).setCompressionType(other.getCompressionType());
  }

  public static ColumnFamilyDescriptor of(String name) { return of(Bytes.toBytes(name)); }
  public static ColumnFamilyDescriptor of(byte[] name) { return newBuilder(name).build(); }

  public static byte[] isLegalColumnFamilyName(byte[] b) {
    if (b == null || b.length == 0) { throw new IllegalArgumentException("Column Family name can not be empty"); }
    if (b[0] == '.') {
      throw new IllegalArgumentException("Column Family names cannot start with a period: " + Bytes.toString(b));
    }
    for (byte c : b) {
      if (Character.isISOControl(c) || c == ':' || c == '\\' || c == '/') {
        throw new IllegalArgumentException("Illegal character <" + c
            + ">. Column Family names cannot contain control characters or colons: " + Bytes.toString(b));
      }
    }
    if (Bytes.toString(b).equals("recovered.edits")) {
      throw new IllegalArgumentException("Column Family name cannot be: recovered.edits");
    }
    return b;
  }

  public ColumnFamilyDescriptorBuilder setMaxVersions(int maxVersions) {
    if (maxVersions <= 0) { throw new IllegalArgumentException("Maximum versions must be positive"); }
    desc.maxVersions = maxVersions;
    return this;
  }

  public ColumnFamilyDescriptorBuilder setTimeToLive(int timeToLive) { desc.ttl = timeToLive; return this; }
  public ColumnFamilyDescriptorBuilder setInMemory(boolean inMemory) { desc.inMemory = inMemory; return this; }

  public ColumnFamilyDescriptorBuilder setBlockCacheEnabled(boolean blockCacheEnabled) {
    desc.blockCache = blockCacheEnabled;
    return this;
  }

  public ColumnFamilyDescriptorBuilder setBloomFilterType(BloomType bloomType) { desc.bloom = bloomType; return this; }

  public ColumnFamilyDescriptorBuilder setCompressionType(Compression.Algorithm type) {
    desc.compression = type;
    return this;
  }

  public ColumnFamilyDescriptor build() { return desc.copy(); }

  private static final class Descriptor implements ColumnFamilyDescriptor {
    private byte[] name;
    private int maxVersions = 1;
    private int ttl = HConstants.FOREVER;
    private boolean inMemory;
    private boolean blockCache = true;
    private BloomType bloom = BloomType.ROW;
    private Compression.Algorithm compression = Compression.Algorithm.NONE;

    Descriptor copy() {
      Descriptor d = new Descriptor();
      d.name = name;
      d.maxVersions = maxVersions;
      d.ttl = ttl;
      d.inMemory = inMemory;
      d.blockCache = blockCache;
      d.bloom = bloom;
      d.compression = compression;
      return d;
    }

    @Override public byte[] getName() { return name.clone(); }
    @Override public String getNameAsString() { return Bytes.toString(name); }
    @Override public int getMaxVersions() { return maxVersions; }
    @Override public int getTimeToLive() { return ttl; }
    @Override public boolean isInMemory() { return inMemory; }
    @Override public boolean isBlockCacheEnabled() { return blockCache; }
    @Override public BloomType getBloomFilterType() { return bloom; }
    @Override public Compression.Algorithm getCompressionType() { return compression; }

    /** As HBase's describe prints it (the options the fake knows). */
    @Override
    public String toString() {
      return "{NAME => '" + getNameAsString() + "', VERSIONS => '" + maxVersions + "', TTL => '"
          + (ttl == HConstants.FOREVER ? "FOREVER" : ttl + " SECONDS") + "', BLOOMFILTER => '" + bloom
          + "', IN_MEMORY => '" + inMemory + "', COMPRESSION => '" + compression + "', BLOCKCACHE => '" + blockCache + "'}";
    }
  }
}
