package dev.jgan.inference.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One protobuf message being written in the wire format with protobuf-java's {@link CodedOutputStream}; nested
 * messages are written to their own buffer first, then embedded as length-delimited fields. Repeated scalars are
 * written unpacked, the default of ONNX's proto2 schema.
 */
final class Proto {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Proto int64(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    Proto int32(int field, int value) {
        return write(() -> out.writeInt32(field, value));
    }

    Proto float32(int field, float value) {
        return write(() -> out.writeFloat(field, value));
    }

    Proto string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    Proto bytes(int field, byte[] value) {
        return write(() -> out.writeBytes(field, ByteString.copyFrom(value)));
    }

    Proto message(int field, Proto message) {
        byte[] inner = message.toByteArray();
        return write(() -> out.writeByteArray(field, inner));
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private Proto write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
