package dev.iffleet.core.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Binary form of a tensor in Redis: magic {@code IFT1}, dtype code, rank, int32 dims, then little-endian
 * data. Text embeddings are stored as float16 to halve their size; everything else as float32.
 */
public final class TensorCodec {

    private static final int MAGIC = 0x31544649; // "IFT1" read little-endian

    private TensorCodec() {}

    /** Encodes {@code array} as {@code dtype} (FLOAT32, FLOAT16 or INT64). */
    public static byte[] encode(NDArray array, DataType dtype) {
        byte code = code(dtype);
        long[] dims = array.getShape().getShape();
        ByteBuffer data = array.toType(dtype, false).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(4 + 1 + 1 + 4 * dims.length + data.remaining())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).put(code).put((byte) dims.length);
        for (long d : dims) {
            out.putInt(Math.toIntExact(d));
        }
        out.put(data);
        return out.array();
    }

    /** Decodes into {@code manager}; float16 data comes back as float32 so the maths runs in one precision. */
    public static NDArray decode(NDManager manager, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 6 || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not an if-fleet tensor (bad magic)");
        }
        DataType dtype = dtype(in.get());
        int rank = in.get();
        if (rank < 0 || in.remaining() < 4 * rank) {
            throw new IllegalArgumentException("tensor header truncated or corrupt (rank " + rank + ", "
                    + in.remaining() + " bytes left)");
        }
        long[] dims = new long[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.getInt();
            count *= dims[i];
        }
        if (in.remaining() != count * dtype.getNumOfBytes()) {
            throw new IllegalArgumentException("tensor data has " + in.remaining() + " bytes, shape needs "
                    + count * dtype.getNumOfBytes());
        }
        ByteBuffer data = ByteBuffer.allocateDirect(in.remaining()).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("big-endian hosts are not supported");
        }
        data.put(in).flip();
        NDArray array = manager.create(data, new Shape(dims), dtype);
        return dtype == DataType.FLOAT16 ? array.toType(DataType.FLOAT32, false) : array;
    }

    private static byte code(DataType t) {
        return switch (t) {
            case FLOAT32 -> 0;
            case FLOAT16 -> 1;
            case INT64 -> 2;
            default -> throw new IllegalArgumentException("unsupported dtype " + t);
        };
    }

    private static DataType dtype(byte code) {
        return switch (code) {
            case 0 -> DataType.FLOAT32;
            case 1 -> DataType.FLOAT16;
            case 2 -> DataType.INT64;
            default -> throw new IllegalArgumentException("unknown dtype code " + code);
        };
    }
}
