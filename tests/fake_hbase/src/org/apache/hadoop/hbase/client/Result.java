// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;

/** The cells of one row (or of part of it, with Scan.setBatch), in HBase order. */
public class Result {
  public static final Result EMPTY_RESULT = new Result();
  private final Cell[] cells;
  private byte[] row;

  /** An empty Result whose rawCells() is null, as HBase's. */
  public Result() { this.cells = null; }
  private Result(Cell[] cells) { this.cells = cells; }
  public static Result create(Cell[] cells) { return new Result(cells); }
  public static Result create(List<Cell> cells) { return new Result(cells.toArray(new Cell[0])); }

  /** Sorted by family, qualifier, then newest first; an empty array for a Get of a missing row. */
  public Cell[] rawCells() { return cells; }

  /** The cells as a list, or null if there are none (as HBase's). */
  public List<Cell> listCells() { return isEmpty() ? null : Arrays.asList(cells); }

  public byte[] getRow() {
    if (row == null && !isEmpty()) { row = CellUtil.cloneRow(cells[0]); }
    return row;
  }

  public boolean isEmpty() { return cells == null || cells.length == 0; }
  public int size() { return cells == null ? 0 : cells.length; }

  public List<Cell> getColumnCells(byte[] family, byte[] qualifier) {
    List<Cell> result = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (CellUtil.matchingColumn(cells[i], family, qualifier)) { result.add(cells[i]); }
    }
    return result;
  }

  public Cell getColumnLatestCell(byte[] family, byte[] qualifier) {
    for (int i = 0; i < size(); i++) {
      if (CellUtil.matchingColumn(cells[i], family, qualifier)) { return cells[i]; }
    }
    return null;
  }

  /** The newest value of the column, or null. */
  public byte[] getValue(byte[] family, byte[] qualifier) {
    Cell cell = getColumnLatestCell(family, qualifier);
    return cell == null ? null : CellUtil.cloneValue(cell);
  }

  public boolean containsColumn(byte[] family, byte[] qualifier) {
    return getColumnLatestCell(family, qualifier) != null;
  }

  @Override
  public String toString() {
    return isEmpty() ? "keyvalues=NONE" : "keyvalues=" + Arrays.toString(cells).replace('[', '{').replace(']', '}');
  }
}
