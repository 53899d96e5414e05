package dev.weir.proxy.upstream;

/**
 * One answer {@link ResponseFramer} read from the store, and whether the connection stays
 * open after it (HTTP/1.1 without {@code Connection: close}; never after a body the close
 * delimited).
 */
record FramedResponse(UpstreamResponse response, boolean keepAlive) {}
