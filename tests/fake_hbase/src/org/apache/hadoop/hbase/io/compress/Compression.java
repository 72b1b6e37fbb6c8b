// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.io.compress;

/** Only the algorithm names: the fake stores nothing on disk. */
public final class Compression {
  public enum Algorithm {
    LZO("lzo"), GZ("gz"), NONE("none"), SNAPPY("snappy"), LZ4("lz4"), BZIP2("bzip2"), ZSTD("zstd");

    private final String compressName;

    Algorithm(String compressName) { this.compressName = compressName; }
    public String getName() { return compressName; }
  }

  private Compression() { }

  public static Algorithm getCompressionAlgorithmByName(String compressName) {
    for (Algorithm algorithm : Algorithm.values()) {
      if (algorithm.getName().equals(compressName)) { return algorithm; }
    }
    throw new IllegalArgumentException("Unsupported compression algorithm name: " + compressName);
  }
}
