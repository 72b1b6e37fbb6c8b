// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The Results of a scan, one row (or batch) at a time; next() is null at the end. */
public interface ResultScanner extends Closeable, Iterable<Result> {
  Result next() throws IOException;

  default Result[] next(int nbRows) throws IOException {
    List<Result> results = new ArrayList<>(nbRows);
    for (int i = 0; i < nbRows; i++) {
      Result r = next();
      if (r == null) { break; }
      results.add(r);
    }
    return results.toArray(new Result[0]);
  }

  @Override
  void close();

  boolean renewLease();

  @Override
  default Iterator<Result> iterator() {
    return new Iterator<Result>() {
      private Result next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = ResultScanner.this.next();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return next != null;
      }

      @Override
      public Result next() {
        if (!hasNext()) { throw new NoSuchElementException(); }
        Result r = next;
        next = null;
        return r;
      }
    };
  }
}
