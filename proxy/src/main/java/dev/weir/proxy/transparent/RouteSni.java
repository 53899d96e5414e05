package dev.weir.proxy.transparent;

import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import javax.net.ssl.SSLHandshakeException;
import java.util.Locale;
import java.util.Set;

/**
 * The certificate a TLS client of one route gets, by the name it asks for (SNI): the route's
 * own for any of its names, and the same when the client names none (a client that calls the
 * store by its IP address sends no SNI). A name that is not the route's fails the handshake:
 * the client asked for a store that is not at this address, and weir shows it no certificate
 * rather than one for another name.
 */
public final class RouteSni implements AsyncMapping<String, SslContext> {
    private final Set<String> names;
    private final SslContext context;

    public RouteSni(Set<String> names, SslContext context) {
        this.names = Set.copyOf(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
        this.context = context;
    }

    @Override
    public Future<SslContext> map(String name, Promise<SslContext> promise) {
        if (name == null || names.contains(name.toLowerCase(Locale.ROOT))) return promise.setSuccess(context);
        return promise.setFailure(new SSLHandshakeException("no certificate for server name '" + name + "' at this address"));
    }
}
