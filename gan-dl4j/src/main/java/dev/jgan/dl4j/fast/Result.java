package dev.jgan.dl4j.fast;

/** Where a kernel's output goes. */
enum Result {
    /** A buffer of the kernel that its next pass of the same batch size overwrites. */
    BUFFER,
    /** A new array the caller owns. */
    FRESH;

    /** Whether the caller gets a new array. */
    boolean fresh() {
        return this == FRESH;
    }
}
