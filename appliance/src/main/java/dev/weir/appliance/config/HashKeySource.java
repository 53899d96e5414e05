package dev.weir.appliance.config;

import dev.weir.policy.field.HashKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the deployment's hash key comes from ({@code masking} in weir.yaml): the environment
 * variable {@code WEIR_HASH_KEY_<ID>} (UTF-8) when it is set, else the key file under the home
 * folder. A missing key file is created on first start with 32 random bytes, mode 0600, so the
 * demo works out of the box and pseudonyms stay the same across restarts; the log says it was
 * created, never what it holds. Several replicas must share one key (the same file or
 * variable), or each writes other pseudonyms.
 */
public final class HashKeySource {
    private static final Logger log = LoggerFactory.getLogger(HashKeySource.class);
    /** Shorter keys are refused: a short key can be searched like a password. */
    static final int MIN_BYTES = 16;
    static final int NEW_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private HashKeySource() {}

    /**
     * The hash key {@code masking} names, or empty without a {@code masking} block.
     *
     * @param configFile weir.yaml, for errors in file:line:column form
     * @param env        the environment ({@code System.getenv()} in production)
     */
    public static Optional<HashKey> resolve(Path configFile, Path home, WeirConfig.Masking masking, Map<String, String> env)
            throws ConfigException {
        if (masking == null) return Optional.empty();
        String id = masking.hashKeyId();
        String variable = HashKey.environmentVariable(id);
        String fromEnv = env.get(variable);
        if (fromEnv != null) {
            byte[] secret = fromEnv.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_BYTES) {
                throw YamlFiles.at(configFile, variable + " holds " + secret.length + " bytes; a hash key needs at least "
                        + MIN_BYTES + " (32 random bytes are best)", "masking", "hash_key_id");
            }
            log.info("hash key {} from {}", id, variable);
            return Optional.of(new HashKey(id, secret));
        }
        Path file = home.resolve(masking.hashKeyFile());
        try {
            if (!Files.exists(file) && create(file)) {
                log.info("hash key {} created in {} ({} random bytes, mode 0600; pseudonyms depend on it: back it up)",
                        id, file, NEW_KEY_BYTES);
            }
            byte[] secret = Files.readAllBytes(file);
            if (secret.length < MIN_BYTES) {
                throw YamlFiles.at(configFile, "hash key file " + file + " holds " + secret.length
                        + " bytes; a hash key needs at least " + MIN_BYTES, "masking", "hash_key_file");
            }
            warnIfReadableByOthers(file);
            return Optional.of(new HashKey(id, secret));
        } catch (IOException e) {
            throw YamlFiles.at(configFile, "cannot read or create the hash key file " + file + ": " + e.getMessage()
                    + " (or set " + variable + ")", "masking", "hash_key_file");
        }
    }

    /** Writes a new random key to {@code file}, readable by its owner only; false if another process just did. */
    private static boolean create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] secret = new byte[NEW_KEY_BYTES];
        RANDOM.nextBytes(secret);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel out = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC), attributes)) {
            ByteBuffer b = ByteBuffer.wrap(secret);
            while (b.hasRemaining()) out.write(b);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        return true;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("hash key file {} is readable by others than its owner (chmod 600 it)", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
