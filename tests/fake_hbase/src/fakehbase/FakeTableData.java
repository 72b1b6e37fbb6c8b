// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package fakehbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.DoNotRetryIOException;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.RegionInfo;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.filter.Filter;
import org.apache.hadoop.hbase.io.TimeRange;
import org.apache.hadoop.hbase.regionserver.NoSuchColumnFamilyException;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * One table's schema, state and cells: row -> family -> qualifier -> timestamp (newest first) -> value.
 * Deletes remove cells at once (no tombstones). As in a region server before a compaction, every version
 * written is kept, and reads see at most the family's max versions among the cells in their time range;
 * majorCompact() drops the excess versions and the TTL-expired cells. Called under the cluster's lock.
 */
final class FakeTableData {
  private static final Map<Long, byte[]> NONE = Collections.emptyMap();

  final TableDescriptor descriptor;
  final List<Region> regions = new ArrayList<>();
  boolean enabled = true;
  private final TreeMap<byte[], TreeMap<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>>> rows =
      new TreeMap<>(Bytes.BYTES_COMPARATOR);

  FakeTableData(TableDescriptor descriptor, byte[][] sortedSplits, long regionId) {
    this.descriptor = descriptor;
    byte[] start = HConstants.EMPTY_START_ROW;
    for (int i = 0; i <= sortedSplits.length; i++) {
      byte[] end = i < sortedSplits.length ? sortedSplits[i] : HConstants.EMPTY_END_ROW;
      regions.add(new Region(descriptor.getTableName(), start, end, regionId));
      start = end;
    }
  }

  Region regionFor(byte[] row) {
    for (Region region : regions) {
      if (region.containsRow(row)) { return region; }
    }
    return regions.get(0);
  }

  private void checkFamily(byte[] family, byte[] row) throws NoSuchColumnFamilyException {
    if (!descriptor.hasColumnFamily(family)) {
      throw new NoSuchColumnFamilyException(FakeCluster.remoteMessage(NoSuchColumnFamilyException.class,
          "Column family " + Bytes.toString(family) + " does not exist in region "
              + regionFor(row).getRegionNameAsString() + " in table " + descriptor));
    }
  }

  /** Cells older than this are past the family's TTL. */
  private long oldestUnexpired(byte[] family, long now) {
    int ttl = descriptor.getColumnFamily(family).getTimeToLive();
    return ttl == HConstants.FOREVER ? Long.MIN_VALUE : now - ttl * 1000L;
  }

  private TreeMap<Long, byte[]> column(byte[] row, byte[] family, byte[] qualifier) {
    return rows.computeIfAbsent(row, r -> new TreeMap<>(Bytes.BYTES_COMPARATOR))
        .computeIfAbsent(family, f -> new TreeMap<>(Bytes.BYTES_COMPARATOR))
        .computeIfAbsent(qualifier, q -> new TreeMap<>(Collections.reverseOrder()));
  }

  private Map<Long, byte[]> existing(byte[] row, byte[] family, byte[] qualifier) {
    TreeMap<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>> families = rows.get(row);
    TreeMap<byte[], TreeMap<Long, byte[]>> columns = families == null ? null : families.get(family);
    TreeMap<Long, byte[]> versions = columns == null ? null : columns.get(qualifier);
    return versions == null ? NONE : versions;
  }

  private int maxVersions(byte[] family) { return descriptor.getColumnFamily(family).getMaxVersions(); }

  /** Drops the columns, families and rows the last change left empty. */
  private void prune(byte[] row) {
    TreeMap<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>> families = rows.get(row);
    if (families != null) {
      families.values().forEach(columns -> columns.values().removeIf(Map::isEmpty));
      families.values().removeIf(Map::isEmpty);
      if (families.isEmpty()) { rows.remove(row); }
    }
  }

  // -- writes -------------------------------------------------------------------------------------------------

  void put(Put put, long now) throws IOException {
    for (byte[] family : put.getFamilyCellMap().keySet()) {
      checkFamily(family, put.getRow());
    }
    for (List<Cell> cells : put.getFamilyCellMap().values()) {
      for (Cell c : cells) {
        long ts = c.getTimestamp() == HConstants.LATEST_TIMESTAMP ? now : c.getTimestamp();
        column(put.getRow(), CellUtil.cloneFamily(c), CellUtil.cloneQualifier(c)).put(ts, CellUtil.cloneValue(c));
      }
    }
  }

  void delete(Delete delete, long now) throws IOException {
    byte[] row = delete.getRow();
    for (byte[] family : delete.getFamilyCellMap().keySet()) {
      checkFamily(family, row);
    }
    TreeMap<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>> families = rows.get(row);
    if (families == null) { return; }
    if (delete.getFamilyCellMap().isEmpty()) { // the whole row: a family delete for each family
      long ts = delete.getTimestamp() == HConstants.LATEST_TIMESTAMP ? now : delete.getTimestamp();
      for (TreeMap<byte[], TreeMap<Long, byte[]>> columns : families.values()) {
        columns.values().forEach(versions -> versions.tailMap(ts, true).clear());
      }
    }
    for (List<Cell> markers : delete.getFamilyCellMap().values()) {
      for (Cell marker : markers) {
        byte[] family = CellUtil.cloneFamily(marker);
        TreeMap<byte[], TreeMap<Long, byte[]>> columns = families.get(family);
        if (columns == null) { continue; }
        boolean latest = marker.getTimestamp() == HConstants.LATEST_TIMESTAMP;
        long ts = latest ? now : marker.getTimestamp();
        TreeMap<Long, byte[]> versions = columns.get(CellUtil.cloneQualifier(marker));
        switch (marker.getType()) {
          case DeleteFamily: // every version <= ts (the map is newest first: its tail is the older ones)
            columns.values().forEach(v -> v.tailMap(ts, true).clear());
            break;
          case DeleteFamilyVersion:
            columns.values().forEach(v -> v.remove(ts));
            break;
          case DeleteColumn:
            if (versions != null) { versions.tailMap(ts, true).clear(); }
            break;
          default: // Delete: one version; without a timestamp, the newest one still visible
            if (versions != null && latest) {
              if (!versions.isEmpty() && versions.firstKey() >= oldestUnexpired(family, now)) {
                versions.pollFirstEntry();
              }
            } else if (versions != null) {
              versions.remove(ts);
            }
        }
      }
    }
    prune(row);
  }

  long increment(byte[] row, byte[] family, byte[] qualifier, long amount, long now) throws IOException {
    checkFamily(family, row);
    long value = amount;
    long ts = now;
    for (Map.Entry<Long, byte[]> newest : existing(row, family, qualifier).entrySet()) {
      if (newest.getKey() >= oldestUnexpired(family, now)) {
        if (newest.getValue().length != Bytes.SIZEOF_LONG) {
          throw new DoNotRetryIOException(FakeCluster.remoteMessage(DoNotRetryIOException.class,
              "Field is not a long, it's " + newest.getValue().length + " bytes wide"));
        }
        value += Bytes.toLong(newest.getValue());
        ts = Math.max(now, newest.getKey()); // never older than the value it replaces
      }
      break;
    }
    TreeMap<Long, byte[]> versions = column(row, family, qualifier);
    if (maxVersions(family) == 1) { // HBase "upserts" increments into one-version families: older versions go
      versions.clear();
    }
    versions.put(ts, Bytes.toBytes(value));
    return value;
  }

  void compact(long now) {
    for (byte[] row : new ArrayList<>(rows.keySet())) {
      for (Map.Entry<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>> family : rows.get(row).entrySet()) {
        long oldest = oldestUnexpired(family.getKey(), now);
        int max = maxVersions(family.getKey());
        for (TreeMap<Long, byte[]> versions : family.getValue().values()) {
          versions.tailMap(oldest, false).clear();
          while (versions.size() > max) {
            versions.pollLastEntry();
          }
        }
      }
      prune(row);
    }
  }

  // -- reads --------------------------------------------------------------------------------------------------

  Result get(Get get, long now) throws IOException {
    for (byte[] family : get.familySet()) {
      checkFamily(family, get.getRow());
    }
    Filter filter = copyOf(get.getFilter(), false);
    return Result.create(readRow(get.getRow(), get.getFamilyMap(), get.getMaxVersions(), get.getTimeRange(), filter, now));
  }

  /** Every Result of the scan, computed when the scanner opens. */
  List<Result> scan(Scan scan, long now) throws IOException {
    for (byte[] family : scan.getFamilyMap().keySet()) {
      checkFamily(family, scan.getStartRow());
    }
    Filter filter = copyOf(scan.getFilter(), scan.isReversed());
    NavigableMap<byte[], ?> range = scan.isReversed() ? rows.descendingMap() : rows;
    if (scan.getStartRow().length > 0) { range = range.tailMap(scan.getStartRow(), scan.includeStartRow()); }
    if (scan.getStopRow().length > 0) { range = range.headMap(scan.getStopRow(), scan.includeStopRow()); }
    List<Result> results = new ArrayList<>();
    int rowsReturned = 0;
    for (byte[] row : range.keySet()) {
      if ((scan.getLimit() > 0 && rowsReturned >= scan.getLimit()) || (filter != null && filter.filterAllRemaining())) {
        break;
      }
      List<Cell> cells = readRow(row, scan.getFamilyMap(), scan.getMaxVersions(), scan.getTimeRange(), filter, now);
      if (cells.isEmpty()) { continue; }
      rowsReturned++;
      int batch = scan.getBatch() > 0 ? scan.getBatch() : cells.size();
      for (int i = 0; i < cells.size(); i += batch) {
        results.add(Result.create(cells.subList(i, Math.min(i + batch, cells.size()))));
      }
    }
    return results;
  }

  /**
   * The row's cells that the columns, time range, TTL, filter and versions let through, in HBase order:
   * per column, at most min(versions asked, the family's max versions) of the cells in the time range.
   */
  private List<Cell> readRow(byte[] row, Map<byte[], NavigableSet<byte[]>> wanted, int maxVersions, TimeRange tr,
      Filter filter, long now) throws IOException {
    List<Cell> out = new ArrayList<>();
    TreeMap<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>> families = rows.get(row);
    if (families == null) { return out; }
    if (filter != null) {
      filter.reset();
      if (filter.filterRowKey(new FakeCell(row, null, null, HConstants.LATEST_TIMESTAMP, Cell.Type.Put, null))) {
        return out;
      }
    }
    rowLoop:
    for (Map.Entry<byte[], TreeMap<byte[], TreeMap<Long, byte[]>>> family : families.entrySet()) {
      if (!wanted.isEmpty() && !wanted.containsKey(family.getKey())) { continue; }
      NavigableSet<byte[]> qualifiers = wanted.get(family.getKey());
      long oldest = oldestUnexpired(family.getKey(), now);
      int limit = Math.min(maxVersions, maxVersions(family.getKey()));
      for (Map.Entry<byte[], TreeMap<Long, byte[]>> column : family.getValue().entrySet()) {
        if (qualifiers != null && !qualifiers.contains(column.getKey())) { continue; }
        int versions = 0;
        for (Map.Entry<Long, byte[]> version : column.getValue().entrySet()) {
          if (version.getKey() < oldest || !tr.withinTimeRange(version.getKey())) { continue; }
          Cell cell = new FakeCell(row, family.getKey(), column.getKey(), version.getKey(), Cell.Type.Put, version.getValue());
          Filter.ReturnCode code = filter == null ? Filter.ReturnCode.INCLUDE : filter.filterCell(cell);
          if (code == Filter.ReturnCode.NEXT_ROW) {
            break rowLoop;
          } else if (code == Filter.ReturnCode.NEXT_COL) {
            break;
          } else if (code != Filter.ReturnCode.INCLUDE && code != Filter.ReturnCode.INCLUDE_AND_NEXT_COL) {
            continue;
          }
          out.add(filter == null ? cell : filter.transformCell(cell));
          if (++versions >= limit || code == Filter.ReturnCode.INCLUDE_AND_NEXT_COL) { break; }
        }
      }
    }
    if (filter != null) {
      filter.filterRowCells(out);
      if (!out.isEmpty() && filter.hasFilterRow() && filter.filterRow()) { out.clear(); }
    }
    return out;
  }

  /** The region server's own copy of a filter (as HBase deserializes one per scan): toByteArray + parseFrom. */
  private static Filter copyOf(Filter filter, boolean reversed) throws IOException {
    if (filter == null) { return null; }
    try {
      Filter copy = (Filter) filter.getClass().getMethod("parseFrom", byte[].class).invoke(null, (Object) filter.toByteArray());
      copy.setReversed(reversed);
      return copy;
    } catch (ReflectiveOperationException e) {
      throw new DoNotRetryIOException("FAKE HBase cannot copy the filter " + filter, e);
    }
  }

  /** A region of the table: [start, end), named "table,start,id.md5." as HBase names regions. */
  static final class Region implements RegionInfo {
    private final TableName table;
    private final byte[] startKey;
    private final byte[] endKey;
    private final long regionId;
    private final byte[] regionName;
    private final String encodedName;

    Region(TableName table, byte[] startKey, byte[] endKey, long regionId) {
      this.table = table;
      this.startKey = startKey;
      this.endKey = endKey;
      this.regionId = regionId;
      byte[] base = concat(table.getName(), Bytes.toBytes(","), startKey, Bytes.toBytes("," + regionId));
      this.encodedName = md5Hex(base);
      this.regionName = concat(base, Bytes.toBytes("." + encodedName + "."));
    }

    private static byte[] concat(byte[]... parts) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (byte[] part : parts) {
        out.write(part, 0, part.length);
      }
      return out.toByteArray();
    }

    private static String md5Hex(byte[] b) {
      try {
        StringBuilder hex = new StringBuilder();
        for (byte x : MessageDigest.getInstance("MD5").digest(b)) {
          hex.append(String.format("%02x", x & 0xFF));
        }
        return hex.toString();
      } catch (NoSuchAlgorithmException e) {
        return new String(b, StandardCharsets.UTF_8);
      }
    }

    @Override public byte[] getStartKey() { return startKey.clone(); }
    @Override public byte[] getEndKey() { return endKey.clone(); }
    @Override public long getRegionId() { return regionId; }
    @Override public byte[] getRegionName() { return regionName.clone(); }
    @Override public String getRegionNameAsString() { return Bytes.toStringBinary(regionName); }
    @Override public String getEncodedName() { return encodedName; }
    @Override public TableName getTable() { return table; }

    @Override
    public boolean containsRow(byte[] row) {
      return Bytes.compareTo(row, startKey) >= 0 && (endKey.length == 0 || Bytes.compareTo(row, endKey) < 0);
    }

    @Override
    public String toString() {
      return "{ENCODED => " + encodedName + ", NAME => '" + getRegionNameAsString() + "', STARTKEY => '"
          + Bytes.toStringBinary(startKey) + "', ENDKEY => '" + Bytes.toStringBinary(endKey) + "'}";
    }
  }
}
