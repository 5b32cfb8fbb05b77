package io.perkamo.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids: {@code req_} + 24 base62 characters, generated for every request. An id sent by
 * a client is not trusted (it would let callers forge log correlation); only a peer instance
 * forwarding a read, authenticated by the cluster secret, passes its id along.
 */
final class RequestIds {
    static final String HEADER = "x-perkamo-request-id";
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern WELL_FORMED = Pattern.compile("^req_[0-9A-Za-z]{24}$");

    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[28];
        out[0] = 'r';
        out[1] = 'e';
        out[2] = 'q';
        out[3] = '_';
        for (int i = 4; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static boolean wellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }
}
