// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.filter.Filter;
import org.apache.hadoop.hbase.io.TimeRange;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * A read of a row range: start inclusive, stop exclusive (empty: open); reversed scans run from
 * the start (the larger key) down to the stop. Batch splits wide rows; limit caps rows.
 */
public class Scan {
  private byte[] startRow = HConstants.EMPTY_START_ROW;
  private boolean includeStartRow = true;
  private byte[] stopRow = HConstants.EMPTY_END_ROW;
  private boolean includeStopRow = false;
  private final Map<byte[], NavigableSet<byte[]>> familyMap = new TreeMap<>(Bytes.BYTES_COMPARATOR);
  private int maxVersions = 1;
  private TimeRange tr = TimeRange.allTime();
  private Filter filter;
  private int caching = -1;
  private int batch = -1;
  private boolean reversed;
  private int limit = -1;

  public Scan() { }

  private static byte[] checkRow(byte[] row, String which) {
    if (row == null) { return HConstants.EMPTY_BYTE_ARRAY; }
    if (row.length > HConstants.MAX_ROW_LENGTH) {
      throw new IllegalArgumentException(which + "'s length must be less than or equal to "
          + HConstants.MAX_ROW_LENGTH + " to meet the criteria for a row key.");
    }
    return row.clone();
  }

  public Scan withStartRow(byte[] startRow) { return withStartRow(startRow, true); }

  public Scan withStartRow(byte[] startRow, boolean inclusive) {
    this.startRow = checkRow(startRow, "startRow");
    this.includeStartRow = inclusive;
    return this;
  }

  public Scan withStopRow(byte[] stopRow) { return withStopRow(stopRow, false); }

  public Scan withStopRow(byte[] stopRow, boolean inclusive) {
    this.stopRow = checkRow(stopRow, "stopRow");
    this.includeStopRow = inclusive;
    return this;
  }

  /** Rows starting with the prefix: start = prefix, stop = the next key after every such row. */
  public Scan setRowPrefixFilter(byte[] rowPrefix) {
    if (rowPrefix == null || rowPrefix.length == 0) {
      return withStartRow(HConstants.EMPTY_START_ROW).withStopRow(HConstants.EMPTY_END_ROW);
    }
    int end = rowPrefix.length;
    while (end > 0 && rowPrefix[end - 1] == (byte) 0xFF) {
      end--;
    }
    byte[] stop = HConstants.EMPTY_END_ROW;
    if (end > 0) {
      stop = Arrays.copyOf(rowPrefix, end);
      stop[end - 1]++;
    }
    return withStartRow(rowPrefix).withStopRow(stop);
  }

  public Scan addFamily(byte[] family) {
    familyMap.remove(family);
    familyMap.put(family, null);
    return this;
  }

  public Scan addColumn(byte[] family, byte[] qualifier) { Get.addColumn(familyMap, family, qualifier); return this; }
  public Scan setFilter(Filter filter) { this.filter = filter; return this; }

  public Scan setTimeRange(long minStamp, long maxStamp) throws IOException {
    this.tr = TimeRange.between(minStamp, maxStamp);
    return this;
  }

  public Scan setTimestamp(long timestamp) { this.tr = TimeRange.at(timestamp); return this; }
  public Scan readVersions(int versions) { this.maxVersions = versions; return this; }
  public Scan readAllVersions() { this.maxVersions = Integer.MAX_VALUE; return this; }
  public Scan setCaching(int caching) { this.caching = caching; return this; }
  public Scan setBatch(int batch) { this.batch = batch; return this; }
  public Scan setReversed(boolean reversed) { this.reversed = reversed; return this; }
  public Scan setLimit(int limit) { this.limit = limit; return this; }
  public byte[] getStartRow() { return startRow; }
  public boolean includeStartRow() { return includeStartRow; }
  public byte[] getStopRow() { return stopRow; }
  public boolean includeStopRow() { return includeStopRow; }
  public Map<byte[], NavigableSet<byte[]>> getFamilyMap() { return familyMap; }
  public boolean hasFamilies() { return !familyMap.isEmpty(); }
  public int getMaxVersions() { return maxVersions; }
  public TimeRange getTimeRange() { return tr; }
  public Filter getFilter() { return filter; }
  public boolean hasFilter() { return filter != null; }
  public int getCaching() { return caching; }
  public int getBatch() { return batch; }
  public boolean isReversed() { return reversed; }
  public int getLimit() { return limit; }

  @Override
  public String toString() {
    return "Scan{startRow=" + Bytes.toStringBinary(startRow) + (includeStartRow ? "" : " (exclusive)")
        + ", stopRow=" + Bytes.toStringBinary(stopRow) + (includeStopRow ? " (inclusive)" : "")
        + ", reversed=" + reversed + ", batch=" + batch + ", limit=" + limit + ", maxVersions=" + maxVersions + "}";
  }
}
