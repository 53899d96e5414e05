package dev.weir.audit.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the spool's segment files. It exists as a seam: a unit test passes one whose channels
 * fail writes the way a full disk does (a short write, then ENOSPC) to check what the spool
 * and the pipeline make of it; the appliance always uses {@link #DEFAULT}.
 */
@FunctionalInterface
public interface SegmentChannels {
    SegmentChannels DEFAULT = FileChannel::open;

    FileChannel open(Path file, OpenOption... options) throws IOException;

    /**
     * Whether the spool preallocates its active segment on these channels (real files: yes). A
     * fault-injecting test disk that charges every write against its budget says no, so its tests
     * keep meeting the failure at the byte they aim at; {@code SpoolPreallocationTest} and the
     * tmpfs tests check preallocation under faults.
     */
    default boolean preallocates() {
        return true;
    }
}
