// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import org.apache.hadoop.hbase.TableName;

/** Options for Connection.getBufferedMutator: the table and the write buffer size (default: hbase.client.write.buffer). */
public class BufferedMutatorParams implements Cloneable {
  static final int UNSET = -1;
  private final TableName tableName;
  private long writeBufferSize = UNSET;

  public BufferedMutatorParams(TableName tableName) { this.tableName = tableName; }
  public TableName getTableName() { return tableName; }
  public long getWriteBufferSize() { return writeBufferSize; }

  public BufferedMutatorParams writeBufferSize(long writeBufferSize) {
    this.writeBufferSize = writeBufferSize;
    return this;
  }

  @Override
  public BufferedMutatorParams clone() { return new BufferedMutatorParams(tableName).writeBufferSize(writeBufferSize); }
}
