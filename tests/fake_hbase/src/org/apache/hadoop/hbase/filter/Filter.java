// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.filter;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.hbase.Cell;

/**
 * A server-side row filter, called as HBase's region scanner calls it: per row reset(),
 * filterAllRemaining(), filterRowKey(); per cell filterCell() and transformCell(); then
 * filterRowCells() and, if hasFilterRow(), filterRow(). The defaults are FilterBase's.
 * Each scan works on a copy made through toByteArray() and the subclass's static parseFrom(byte[]),
 * as the region server deserializes its own.
 */
public abstract class Filter {
  protected transient boolean reversed;

  public enum ReturnCode {
    INCLUDE, INCLUDE_AND_NEXT_COL, SKIP, NEXT_COL, NEXT_ROW, SEEK_NEXT_USING_HINT, INCLUDE_AND_SEEK_NEXT_ROW
  }

  public void reset() throws IOException { }
  public boolean filterAllRemaining() throws IOException { return false; }
  public boolean filterRowKey(Cell firstRowCell) throws IOException { return filterAllRemaining(); }
  public ReturnCode filterCell(Cell c) throws IOException { return ReturnCode.INCLUDE; }
  public Cell transformCell(Cell v) throws IOException { return v; }
  public void filterRowCells(List<Cell> kvs) throws IOException { }
  public boolean hasFilterRow() { return false; }
  public boolean filterRow() throws IOException { return false; }

  public abstract byte[] toByteArray() throws IOException;

  public void setReversed(boolean reversed) { this.reversed = reversed; }
  public boolean isReversed() { return reversed; }
  @Override public String toString() { return getClass().getSimpleName(); }
}
