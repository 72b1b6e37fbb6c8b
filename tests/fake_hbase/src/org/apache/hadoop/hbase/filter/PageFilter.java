// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.filter;

import java.util.ArrayList;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.util.Bytes;

/** At most pageSize rows (per region in HBase; the fake's regions share one store, so per scan). */
public class PageFilter extends Filter {
  private long pageSize;
  private int rowsAccepted;

  public PageFilter(long pageSize) {
    if (pageSize < 0) { throw new IllegalArgumentException("must be positive " + pageSize); }
    this.pageSize = pageSize;
  }

  public long getPageSize() { return pageSize; }
  @Override public boolean filterAllRemaining() { return rowsAccepted >= pageSize; }
  @Override public boolean filterRowKey(Cell cell) { return filterAllRemaining(); }
  @Override public ReturnCode filterCell(Cell ignored) { return ReturnCode.INCLUDE; }
  @Override public boolean filterRow() { rowsAccepted++; return rowsAccepted > pageSize; }
  @Override public boolean hasFilterRow() { return true; }

  public static Filter createFilterFromArguments(ArrayList<byte[]> filterArguments) {
    if (filterArguments.size() != 1) {
      throw new IllegalArgumentException("Expected 1 but got: " + filterArguments.size());
    }
    return new PageFilter(ParseFilter.convertByteArrayToLong(filterArguments.get(0)));
  }

  @Override public byte[] toByteArray() { return Bytes.toBytes(pageSize); }
  public static PageFilter parseFrom(byte[] pbBytes) { return new PageFilter(Bytes.toLong(pbBytes)); }
  @Override public String toString() { return getClass().getSimpleName() + " " + pageSize; }
}
