package dev.weir.proxy.enforce;

import dev.weir.protocol.error.DynamoError;

/**
 * A request whose caller could not be identified: the error to answer with, and the access
 * key it claimed (null when it named none), for the audit.
 */
record Unidentified(Received received, DynamoError error, String accessKeyId) implements Stage {}
