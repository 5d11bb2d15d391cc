#!/usr/bin/env python3
"""Large synthetic datasets for the streaming benchmark (scripts/bench-streaming.sh).

  make-datasets.py idx MNIST_DIR COUNT OUT_DIR   uncompressed IDX files of COUNT 28x28 digits: the MNIST training
                                                 images repeated, copy k shifted k pixels right (cyclically)
  make-datasets.py png COUNT SIZE OUT_DIR        COUNT SIZExSIZE RGB PNG files of coloured discs on gradients, in
                                                 100 subfolders

Only the Python standard library (gzip, zlib, struct) is used, so it runs on a bare machine.
"""
import gzip
import os
import struct
import sys
import zlib


def idx(mnist_dir, count, out_dir):
    def read(name):
        path = os.path.join(mnist_dir, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
            return f.read()

    images = read("train-images-idx3-ubyte")
    labels = read("train-labels-idx1-ubyte")
    n, rows, cols = struct.unpack(">III", images[4:16])
    size = rows * cols
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "train-images-idx3-ubyte"), "wb") as out:
        out.write(struct.pack(">IIII", 0x803, count, rows, cols))
        for i in range(count):
            k, j = divmod(i, n)
            img = images[16 + j * size:16 + (j + 1) * size]
            shift = k % cols
            if shift:
                img = b"".join(img[r * cols:(r + 1) * cols][-shift:] + img[r * cols:(r + 1) * cols][:-shift]
                               for r in range(rows))
            out.write(img)
    with open(os.path.join(out_dir, "train-labels-idx1-ubyte"), "wb") as out:
        out.write(struct.pack(">II", 0x801, count))
        out.write(bytes(labels[8 + (i % n)] for i in range(count)))


def png_bytes(width, height, rgb_rows):
    raw = b"".join(b"\x00" + row for row in rgb_rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def png(count, size, out_dir):
    for i in range(count):
        folder = os.path.join(out_dir, "%02d" % (i % 100))
        os.makedirs(folder, exist_ok=True)
        cx, cy, r = (i * 37) % size, (i * 53) % size, size // 6 + i % (size // 4)
        colour = ((i * 71) % 256, (i * 113) % 256, (i * 29) % 256)
        rows = []
        for y in range(size):
            row = bytearray()
            for x in range(size):
                if (x - cx) ** 2 + (y - cy) ** 2 < r * r:
                    row += bytes(colour)
                else:
                    row += bytes(((x * 4) % 256, (y * 4) % 256, ((x + y) * 2) % 256))
            rows.append(bytes(row))
        with open(os.path.join(folder, "img%07d.png" % i), "wb") as f:
            f.write(png_bytes(size, size, rows))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "idx":
        idx(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "png":
        png(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)
