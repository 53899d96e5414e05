package dev.weir.store;

import dev.weir.protocol.sigv4.Credentials;

/** The key pair the store accepts in this module's tests (a store answers one key pair only). */
public final class StoreTestCredentials {
    public static final Credentials CREDENTIALS = new Credentials("AKIDSTORETEST0000001", "store-test-secret");

    private StoreTestCredentials() {}

    /** The default options, accepting {@link #CREDENTIALS}. */
    public static StoreOptions options() {
        return StoreOptions.signedBy(CREDENTIALS);
    }
}
