package dev.weir.proxy.upstream;

/** The store's answer: status, its checksum header (may be null) and the body bytes. */
public record UpstreamResponse(int status, String crc32, byte[] body) {}
