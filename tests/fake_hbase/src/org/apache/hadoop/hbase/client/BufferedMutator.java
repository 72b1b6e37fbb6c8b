// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;

/** Buffers Puts and Deletes; flush() (or a full buffer, or close()) sends them, row by row. */
public interface BufferedMutator extends Closeable {
  TableName getName();

  Configuration getConfiguration();

  void mutate(Mutation mutation) throws IOException;

  void mutate(List<? extends Mutation> mutations) throws IOException;

  void flush() throws IOException;

  long getWriteBufferSize();

  @Override
  void close() throws IOException;
}
