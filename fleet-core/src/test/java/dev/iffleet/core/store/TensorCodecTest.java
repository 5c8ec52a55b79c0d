package dev.iffleet.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The binary tensor format of artifacts in Redis. */
class TensorCodecTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static Stream<long[]> shapes() {
        return Stream.of(new long[] {5}, new long[] {2, 3}, new long[] {1, 77, 64}, new long[] {2, 3, 4, 5});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void float32RoundTripIsExact(long[] dims) {
        NDArray a = manager.randomNormal(new Shape(dims));
        NDArray back = TensorCodec.decode(manager, TensorCodec.encode(a, DataType.FLOAT32));
        assertEquals(DataType.FLOAT32, back.getDataType());
        assertEquals(a.getShape(), back.getShape());
        assertArrayEquals(a.toFloatArray(), back.toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void float16RoundTripKeepsValuesWithinHalfPrecision(long[] dims) {
        NDArray a = manager.randomUniform(-4f, 4f, new Shape(dims));
        NDArray back = TensorCodec.decode(manager, TensorCodec.encode(a, DataType.FLOAT16));
        assertEquals(DataType.FLOAT32, back.getDataType(), "float16 comes back as float32");
        assertEquals(a.getShape(), back.getShape());
        float[] expected = a.toFloatArray();
        float[] actual = back.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            // fp16 keeps 11 significant bits: relative rounding error at most 2^-11
            float tolerance = Math.abs(expected[i]) * 0x1p-11f + 0x1p-24f;
            assertEquals(expected[i], actual[i], tolerance, "element " + i);
        }
    }

    @Test
    void float16StoresTwoBytesPerValue() {
        NDArray a = manager.zeros(new Shape(2, 3));
        assertEquals(6 + 2 * 4 + 6 * 2, TensorCodec.encode(a, DataType.FLOAT16).length);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void int64RoundTripIsExact(long[] dims) {
        long n = Arrays.stream(dims).reduce(1, (x, y) -> x * y);
        long[] values = new long[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 2 == 0 ? 1L : -1L) * ((1L << 40) + i);
        }
        NDArray a = manager.create(values, new Shape(dims));
        NDArray back = TensorCodec.decode(manager, TensorCodec.encode(a, DataType.INT64));
        assertEquals(DataType.INT64, back.getDataType());
        assertEquals(a.getShape(), back.getShape());
        assertArrayEquals(values, back.toLongArray());
    }

    @Test
    void headerIsMagicDtypeRankThenLittleEndianDims() {
        NDArray a = manager.create(new float[] {1.0f, -2.0f}, new Shape(2, 1));
        byte[] expected = {
            'I', 'F', 'T', '1', // magic
            0, // float32
            2, // rank
            2, 0, 0, 0, 1, 0, 0, 0, // dims
            0, 0, (byte) 0x80, 0x3F, // 1.0f
            0, 0, 0, (byte) 0xC0 // -2.0f
        };
        assertArrayEquals(expected, TensorCodec.encode(a, DataType.FLOAT32));
    }

    @Test
    void dimsAreLittleEndianInt32() {
        byte[] bytes = TensorCodec.encode(manager.zeros(new Shape(258)), DataType.INT64);
        assertArrayEquals(new byte[] {'I', 'F', 'T', '1', 2, 1, 2, 1, 0, 0}, Arrays.copyOf(bytes, 10));
        assertEquals(10 + 258 * 8, bytes.length);
    }

    @Test
    void float16HasDtypeCodeOne() {
        assertEquals(1, TensorCodec.encode(manager.zeros(new Shape(1)), DataType.FLOAT16)[4]);
    }

    @Test
    void badMagicIsRejected() {
        byte[] bytes = TensorCodec.encode(manager.ones(new Shape(3)), DataType.FLOAT32);
        bytes[0] = 'X';
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, bytes));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void tooShortForAHeaderIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, new byte[] {'I', 'F'}));
    }

    @Test
    void truncatedDataIsRejected() {
        byte[] bytes = TensorCodec.encode(manager.ones(new Shape(2, 3)), DataType.FLOAT32);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, cut));
        assertEquals("tensor data has 23 bytes, shape needs 24", e.getMessage());
    }

    @Test
    void truncatedDimsAreRejected() {
        byte[] bytes = TensorCodec.encode(manager.ones(new Shape(2, 3, 4)), DataType.FLOAT32);
        byte[] cut = Arrays.copyOf(bytes, 6 + 5);
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, cut));
    }

    @Test
    void corruptRankIsRejected() {
        byte[] bytes = TensorCodec.encode(manager.ones(new Shape(2)), DataType.FLOAT32);
        bytes[5] = (byte) 0x80;
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, bytes));
    }

    @Test
    void transposedArrayIsStoredInLogicalOrder() {
        NDArray a = manager.arange(6f).reshape(2, 3).transpose();
        NDArray back = TensorCodec.decode(manager, TensorCodec.encode(a, DataType.FLOAT32));
        assertEquals(new Shape(3, 2), back.getShape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, back.toFloatArray());
    }

    @Test
    void extraTrailingBytesAreRejected() {
        byte[] bytes = TensorCodec.encode(manager.ones(new Shape(2)), DataType.FLOAT32);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, longer));
    }

    @Test
    void unknownDtypeCodeIsRejected() {
        byte[] bytes = TensorCodec.encode(manager.ones(new Shape(2)), DataType.FLOAT32);
        bytes[4] = 9;
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.decode(manager, bytes));
    }

    @Test
    void unsupportedDtypeCannotBeEncoded() {
        NDArray a = manager.ones(new Shape(2));
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.encode(a, DataType.INT32));
    }
}
