// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.filter;

import java.util.ArrayList;
import org.apache.hadoop.hbase.Cell;

/** Only the first cell of each row (as the shell's count uses). */
public class FirstKeyOnlyFilter extends Filter {
  private boolean foundKV;

  public FirstKeyOnlyFilter() { }
  @Override public void reset() { foundKV = false; }

  @Override
  public ReturnCode filterCell(Cell c) {
    if (foundKV) { return ReturnCode.NEXT_ROW; }
    foundKV = true;
    return ReturnCode.INCLUDE;
  }

  public static Filter createFilterFromArguments(ArrayList<byte[]> filterArguments) {
    if (!filterArguments.isEmpty()) {
      throw new IllegalArgumentException("Expected 0 but got: " + filterArguments.size());
    }
    return new FirstKeyOnlyFilter();
  }

  @Override public byte[] toByteArray() { return new byte[0]; }
  public static FirstKeyOnlyFilter parseFrom(byte[] pbBytes) { return new FirstKeyOnlyFilter(); }
}
