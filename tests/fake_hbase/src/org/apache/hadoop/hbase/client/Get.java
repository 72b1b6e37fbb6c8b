// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.IOException;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.filter.Filter;
import org.apache.hadoop.hbase.io.TimeRange;
import org.apache.hadoop.hbase.util.Bytes;

/** A read of one row: columns (none: all), versions (default 1), a time range [min, max), a filter. */
public class Get implements Row {
  private final byte[] row;
  private final Map<byte[], NavigableSet<byte[]>> familyMap = new TreeMap<>(Bytes.BYTES_COMPARATOR);
  private int maxVersions = 1;
  private TimeRange tr = TimeRange.allTime();
  private Filter filter;

  public Get(byte[] row) { this.row = Mutation.checkRow(row); }

  /** All columns of the family (replacing any columns of it added before). */
  public Get addFamily(byte[] family) {
    familyMap.remove(family);
    familyMap.put(family, null);
    return this;
  }

  public Get addColumn(byte[] family, byte[] qualifier) { addColumn(familyMap, family, qualifier); return this; }

  static void addColumn(Map<byte[], NavigableSet<byte[]>> familyMap, byte[] family, byte[] qualifier) {
    NavigableSet<byte[]> set = familyMap.get(family);
    if (set == null) {
      set = new TreeSet<>(Bytes.BYTES_COMPARATOR);
      familyMap.put(family, set);
    }
    set.add(qualifier == null ? HConstants.EMPTY_BYTE_ARRAY : qualifier);
  }

  public Get readVersions(int versions) throws IOException {
    if (versions <= 0) { throw new IOException("versions must be positive"); }
    this.maxVersions = versions;
    return this;
  }

  public Get readAllVersions() { this.maxVersions = Integer.MAX_VALUE; return this; }

  public Get setTimeRange(long minStamp, long maxStamp) throws IOException {
    this.tr = TimeRange.between(minStamp, maxStamp);
    return this;
  }

  public Get setTimestamp(long timestamp) { this.tr = TimeRange.at(timestamp); return this; }
  public Get setFilter(Filter filter) { this.filter = filter; return this; }
  @Override public byte[] getRow() { return row; }
  public int getMaxVersions() { return maxVersions; }
  public TimeRange getTimeRange() { return tr; }
  public Filter getFilter() { return filter; }
  public Map<byte[], NavigableSet<byte[]>> getFamilyMap() { return familyMap; }
  public Set<byte[]> familySet() { return familyMap.keySet(); }
  public boolean hasFamilies() { return !familyMap.isEmpty(); }
  @Override public int compareTo(Row other) { return Bytes.compareTo(row, other.getRow()); }

  @Override
  public String toString() {
    return "Get{row=" + Bytes.toStringBinary(row) + ", maxVersions=" + maxVersions + ", timeRange=[" + tr + "]}";
  }
}
