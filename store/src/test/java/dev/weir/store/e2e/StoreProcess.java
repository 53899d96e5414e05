package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import dev.weir.store.BundledStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A store in a process of its own, for the crash test: prints its port, then serves until killed. */
public final class StoreProcess {
    private StoreProcess() {}

    public static void main(String[] args) throws InterruptedException {
        BundledStore store = BundledStore.open(Path.of(args[0]), StoreTestCredentials.CREDENTIALS);
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        System.out.println("PORT " + address.getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
