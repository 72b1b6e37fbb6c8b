// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package fakehbase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.TableNotEnabledException;
import org.apache.hadoop.hbase.TableNotFoundException;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Mutation;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.RetriesExhaustedWithDetailsException;
import org.apache.hadoop.hbase.client.Row;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptor;

/** A Table of the fake cluster (not checked to exist until used, as in HBase), with its scanner and BufferedMutator. */
public final class FakeTable implements Table {
  private static final Result DONE = Result.create(new Cell[0]);
  private final FakeConnection connection;
  private final TableName name;
  private volatile boolean closed;

  FakeTable(FakeConnection connection, TableName name) {
    this.connection = connection;
    this.name = name;
  }

  private <T> T run(FakeCluster.Op<T> op) throws IOException {
    if (closed) { throw new IOException("Table " + name + " is closed"); }
    return connection.cluster().onTable(name, op);
  }

  @Override public TableName getName() { return name; }
  @Override public Configuration getConfiguration() { return connection.getConfiguration(); }
  @Override public TableDescriptor getDescriptor() throws IOException { return connection.cluster().descriptor(name); }
  @Override public boolean exists(Get get) throws IOException { return !get(get).isEmpty(); }
  @Override public Result get(Get get) throws IOException { return run((table, now) -> table.get(get, now)); }

  @Override
  public Result[] get(List<Get> gets) throws IOException {
    if (gets.size() == 1) { return new Result[] {get(gets.get(0))}; }
    Object[] results = batch(gets);
    Result[] out = new Result[results.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Result) results[i];
    }
    return out;
  }

  @Override
  public ResultScanner getScanner(Scan scan) throws IOException {
    return new Scanner(run((table, now) -> table.scan(scan, now)));
  }

  @Override
  public ResultScanner getScanner(byte[] family) throws IOException { return getScanner(new Scan().addFamily(family)); }

  @Override
  public ResultScanner getScanner(byte[] family, byte[] qualifier) throws IOException {
    return getScanner(new Scan().addColumn(family, qualifier));
  }

  static void validatePut(Put put) {
    if (put.isEmpty()) { throw new IllegalArgumentException("No columns to insert"); }
  }

  @Override
  public void put(Put put) throws IOException {
    validatePut(put);
    run((table, now) -> {
      table.put(put, now);
      return null;
    });
  }

  @Override public void put(List<Put> puts) throws IOException { puts.forEach(FakeTable::validatePut); batch(puts); }

  @Override
  public void delete(Delete delete) throws IOException {
    run((table, now) -> {
      table.delete(delete, now);
      return null;
    });
  }

  @Override
  public void delete(List<Delete> deletes) throws IOException {
    Object[] results = new Object[deletes.size()];
    try {
      batch(deletes, results);
    } finally { // as HBase's HTable: the list keeps only the Deletes that failed
      for (int i = results.length - 1; i >= 0; i--) {
        if (results[i] instanceof Result) { deletes.remove(i); }
      }
    }
  }

  @Override
  public long incrementColumnValue(byte[] row, byte[] family, byte[] qualifier, long amount) throws IOException {
    return run((table, now) -> table.increment(row, family, qualifier, amount, now));
  }

  @Override public void close() { closed = true; }

  private Object[] batch(List<? extends Row> actions) throws IOException {
    Object[] results = new Object[actions.size()];
    batch(actions, results);
    return results;
  }

  /**
   * Applies each action on its own (a batch is not atomic); the failures become one
   * RetriesExhaustedWithDetailsException, naming the region server, or "null" where the client
   * failed to locate the region (missing or disabled table).
   */
  void batch(List<? extends Row> actions, Object[] results) throws IOException {
    List<Throwable> errors = new ArrayList<>();
    List<Row> failed = new ArrayList<>();
    List<String> servers = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      Row action = actions.get(i);
      try {
        results[i] = run((table, now) -> {
          if (action instanceof Put) {
            table.put((Put) action, now);
          } else if (action instanceof Delete) {
            table.delete((Delete) action, now);
          } else if (action instanceof Get) {
            return table.get((Get) action, now);
          } else {
            throw new IllegalArgumentException("the FAKE HBase client cannot batch " + action.getClass().getName());
          }
          return DONE;
        });
      } catch (TableNotFoundException | TableNotEnabledException e) {
        errors.add(e);
        failed.add(action);
        servers.add("null");
      } catch (IOException e) {
        if (closed || connection.isClosed()) { throw e; }
        errors.add(e);
        failed.add(action);
        servers.add(connection.cluster.server.toString());
      }
    }
    if (!errors.isEmpty()) { throw new RetriesExhaustedWithDetailsException(errors, failed, servers); }
  }

  @Override public String toString() { return name.getNameAsString() + ";" + connection; }

  /** The scanner over the snapshot taken when it opened. */
  static final class Scanner implements ResultScanner {
    private final Iterator<Result> results;
    private boolean closed;

    Scanner(List<Result> results) { this.results = results.iterator(); }
    @Override public Result next() { return closed || !results.hasNext() ? null : results.next(); }
    @Override public void close() { closed = true; }
    @Override public boolean renewLease() { return !closed; }
  }

  /** Buffers mutations until flush(), close() or a full write buffer; flushing empties the buffer even if some fail. */
  static final class Mutator implements BufferedMutator {
    private final FakeTable table;
    private final long writeBufferSize;
    private final List<Mutation> buffer = new ArrayList<>();
    private long buffered;
    private boolean closed;

    Mutator(FakeTable table, long writeBufferSize) {
      this.table = table;
      this.writeBufferSize = writeBufferSize;
    }

    private void checkOpen() {
      if (closed) { throw new IllegalStateException("Cannot put when the BufferedMutator is closed."); }
    }

    @Override public TableName getName() { return table.getName(); }
    @Override public Configuration getConfiguration() { return table.getConfiguration(); }
    @Override public long getWriteBufferSize() { return writeBufferSize; }

    @Override
    public synchronized void mutate(Mutation mutation) throws IOException {
      mutate(Collections.singletonList(mutation));
    }

    @Override
    public synchronized void mutate(List<? extends Mutation> mutations) throws IOException {
      checkOpen();
      for (Mutation m : mutations) {
        if (m instanceof Put) { validatePut((Put) m); }
      }
      for (Mutation m : mutations) {
        buffer.add(m);
        buffered += m.heapSize();
      }
      if (buffered > writeBufferSize) { flush(); }
    }

    @Override
    public synchronized void flush() throws IOException {
      checkOpen();
      List<Mutation> sending = new ArrayList<>(buffer);
      buffer.clear();
      buffered = 0;
      table.batch(sending, new Object[sending.size()]);
    }

    @Override
    public synchronized void close() throws IOException {
      if (!closed) {
        try {
          flush();
        } finally {
          closed = true;
        }
      }
    }
  }
}
