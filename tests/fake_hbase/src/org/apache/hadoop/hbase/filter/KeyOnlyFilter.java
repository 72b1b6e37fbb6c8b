// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.filter;

import java.util.ArrayList;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.util.Bytes;
import fakehbase.FakeCell;

/** Keys only: every value becomes empty (or, with lenAsVal, its 4-byte length). */
public class KeyOnlyFilter extends Filter {
  private boolean lenAsVal;

  public KeyOnlyFilter() { this(false); }
  public KeyOnlyFilter(boolean lenAsVal) { this.lenAsVal = lenAsVal; }

  @Override
  public Cell transformCell(Cell cell) {
    byte[] value = lenAsVal ? Bytes.toBytes(cell.getValueLength()) : new byte[0];
    return new FakeCell(CellUtil.cloneRow(cell), CellUtil.cloneFamily(cell), CellUtil.cloneQualifier(cell),
        cell.getTimestamp(), cell.getType(), value);
  }

  public static Filter createFilterFromArguments(ArrayList<byte[]> filterArguments) {
    if (filterArguments.size() > 1) {
      throw new IllegalArgumentException("Expected: 0 or 1 but got: " + filterArguments.size());
    }
    KeyOnlyFilter filter = new KeyOnlyFilter();
    if (filterArguments.size() == 1) {
      filter.lenAsVal = ParseFilter.convertByteArrayToBoolean(filterArguments.get(0));
    }
    return filter;
  }

  @Override public byte[] toByteArray() { return Bytes.toBytes(lenAsVal); }

  public static KeyOnlyFilter parseFrom(byte[] pbBytes) {
    return new KeyOnlyFilter(pbBytes.length > 0 && pbBytes[0] != 0);
  }
}
