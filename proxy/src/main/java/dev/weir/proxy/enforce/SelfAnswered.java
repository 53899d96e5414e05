package dev.weir.proxy.enforce;

import dev.weir.proxy.upstream.UpstreamClient;

import java.util.concurrent.CompletableFuture;

/**
 * A permitted request weir carries out itself rather than forwarding the client's body: a Query
 * or Scan it pages ({@link PagedRead}), a Streams request ({@link StreamAnswer}). It asks the
 * upstream what it needs and builds the caller's answer; every wait ends by the deadline.
 */
interface SelfAnswered {
    CompletableFuture<Answered> answer(Planned planned, UpstreamClient upstream, long deadlineNanos);
}
