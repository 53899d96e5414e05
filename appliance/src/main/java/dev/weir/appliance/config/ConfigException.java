package dev.weir.appliance.config;

/** A configuration or principals file that cannot be used; the message names file:line:column. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
