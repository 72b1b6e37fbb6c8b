// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.util.Bytes;
import fakehbase.FakeCell;

/** A Put or a Delete: the row, a timestamp, and the cells (or delete markers) per family. */
public abstract class Mutation implements Row {
  protected byte[] row;
  protected long ts;
  protected NavigableMap<byte[], List<Cell>> familyMap = new TreeMap<>(Bytes.BYTES_COMPARATOR);

  protected Mutation(byte[] row, long ts) { this.row = checkRow(row); this.ts = checkTimestamp(ts); }

  static byte[] checkRow(byte[] row) {
    if (row == null) { throw new IllegalArgumentException("Row buffer is null"); }
    if (row.length == 0) { throw new IllegalArgumentException("Row length is 0"); }
    if (row.length > HConstants.MAX_ROW_LENGTH) {
      throw new IllegalArgumentException("Row length " + row.length + " is > " + HConstants.MAX_ROW_LENGTH);
    }
    return row.clone();
  }

  static long checkTimestamp(long ts) {
    if (ts < 0) { throw new IllegalArgumentException("Timestamp cannot be negative. ts=" + ts); }
    return ts;
  }

  /** Adds a cell (a value, or a delete marker) to the family's list. */
  void add(byte[] family, byte[] qualifier, long ts, Cell.Type type, byte[] value) {
    familyMap.computeIfAbsent(family, f -> new ArrayList<>()).add(new FakeCell(row, family, qualifier, checkTimestamp(ts), type, value));
  }

  @Override public byte[] getRow() { return row; }
  public long getTimestamp() { return ts; }
  public NavigableMap<byte[], List<Cell>> getFamilyCellMap() { return familyMap; }
  public boolean isEmpty() { return familyMap.isEmpty(); }

  public int size() {
    int size = 0;
    for (List<Cell> cells : familyMap.values()) {
      size += cells.size();
    }
    return size;
  }

  public int numFamilies() { return familyMap.size(); }

  /** An estimate of the client-side size, for the BufferedMutator's write buffer. */
  public long heapSize() {
    long size = 64 + row.length;
    for (Map.Entry<byte[], List<Cell>> e : familyMap.entrySet()) {
      for (Cell c : e.getValue()) {
        size += 64 + row.length + c.getFamilyLength() + c.getQualifierLength() + c.getValueLength();
      }
    }
    return size;
  }

  @Override public int compareTo(Row other) { return Bytes.compareTo(row, other.getRow()); }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{row=" + Bytes.toStringBinary(row) + ", ts=" + ts + ", cells=" + familyMap.values() + "}";
  }
}
