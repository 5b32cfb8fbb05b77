package io.perkamo.core.fold;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64 128 (Austin Appleby's public-domain reference, the variant Guava calls
 * {@code murmur3_128}): a fast non-cryptographic hash, enough to tell payloads apart under one
 * user's transaction_id. The result is {@code h1, h2} as in the reference.
 */
final class Murmur3 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Murmur3() {
    }

    /** The 128-bit hash of {@code data[0, length)} with a 32-bit seed, as {h1, h2}. */
    static long[] hash128(byte[] data, int length, int seed) {
        long[] both = hash128x2(data, length, seed, seed);
        return new long[] {both[0], both[1]};
    }

    /**
     * {@code hash128} with two seeds in one pass, as {h1, h2} of seedA then of seedB: the mixing
     * of each block does not depend on the seed, so the two hashes share it.
     */
    static long[] hash128x2(byte[] data, int length, int seedA, int seedB) {
        long a1 = seedA & 0xffffffffL;
        long a2 = a1;
        long b1 = seedB & 0xffffffffL;
        long b2 = b1;
        int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++) {
            long k1 = mixK1((long) LONG_LE.get(data, i << 4));
            long k2 = mixK2((long) LONG_LE.get(data, (i << 4) + 8));
            a1 ^= k1;
            a1 = Long.rotateLeft(a1, 27) + a2;
            a1 = a1 * 5 + 0x52dce729;
            a2 ^= k2;
            a2 = Long.rotateLeft(a2, 31) + a1;
            a2 = a2 * 5 + 0x38495ab5;
            b1 ^= k1;
            b1 = Long.rotateLeft(b1, 27) + b2;
            b1 = b1 * 5 + 0x52dce729;
            b2 ^= k2;
            b2 = Long.rotateLeft(b2, 31) + b1;
            b2 = b2 * 5 + 0x38495ab5;
        }
        int tail = blocks << 4;
        long k1 = 0;
        long k2 = 0;
        int rest = length & 15;
        for (int i = rest - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (data[tail + i] & 0xff);
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (data[tail + i] & 0xff);
        }
        if (rest > 8) {
            a2 ^= mixK2(k2);
            b2 ^= mixK2(k2);
        }
        if (rest > 0) {
            a1 ^= mixK1(k1);
            b1 ^= mixK1(k1);
        }
        long[] out = new long[4];
        finish(a1, a2, length, out, 0);
        finish(b1, b2, length, out, 2);
        return out;
    }

    private static void finish(long h1, long h2, int length, long[] out, int at) {
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        out[at] = h1;
        out[at + 1] = h2;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
