// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.filter;

import java.util.ArrayList;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.util.Bytes;

/** Rows whose key starts with the prefix. */
public class PrefixFilter extends Filter {
  protected byte[] prefix;
  protected boolean passedPrefix;
  protected boolean filterRow = true;

  public PrefixFilter(byte[] prefix) { this.prefix = prefix; }
  public byte[] getPrefix() { return prefix; }
  @Override public boolean filterAllRemaining() { return passedPrefix; }

  @Override
  public boolean filterRowKey(Cell firstRowCell) {
    if (firstRowCell == null || prefix == null || filterAllRemaining()) { return true; }
    byte[] row = CellUtil.cloneRow(firstRowCell);
    if (row.length < prefix.length) { return true; }
    int cmp = Bytes.compareTo(java.util.Arrays.copyOf(row, prefix.length), prefix);
    if ((!isReversed() && cmp > 0) || (isReversed() && cmp < 0)) { passedPrefix = true; }
    filterRow = cmp != 0;
    return filterRow;
  }

  @Override public ReturnCode filterCell(Cell c) { return filterRow ? ReturnCode.NEXT_ROW : ReturnCode.INCLUDE; }
  @Override public boolean filterRow() { return filterRow; }
  @Override public void reset() { filterRow = true; }

  public static Filter createFilterFromArguments(ArrayList<byte[]> filterArguments) {
    if (filterArguments.size() != 1) {
      throw new IllegalArgumentException("Expected 1 but got: " + filterArguments.size());
    }
    return new PrefixFilter(ParseFilter.removeQuotesFromByteArray(filterArguments.get(0)));
  }

  @Override public byte[] toByteArray() { return prefix.clone(); }
  public static PrefixFilter parseFrom(byte[] pbBytes) { return new PrefixFilter(pbBytes); }
  @Override public String toString() { return getClass().getSimpleName() + " " + Bytes.toStringBinary(prefix); }
}
