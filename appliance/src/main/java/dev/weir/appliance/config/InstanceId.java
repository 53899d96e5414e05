package dev.weir.appliance.config;

import java.util.Map;

/**
 * The name this weir instance writes into every audit record (ECS {@code observer.name}, the
 * syslog HOSTNAME, the Kafka record key) and numbers its records under. Replicas that send to
 * one receiver must have distinct names, or the receiver sees two runs of numbers as one with
 * duplicates: {@code WEIR_INSTANCE_ID} in the environment wins (one configuration file shared
 * by every replica, each replica given its own name, a pod's name say), then
 * {@code audit.instance_id}, then {@code weir-<pid>}, which is distinct only among processes on
 * one machine (every container's first process is pid 1).
 */
public final class InstanceId {
    /** The environment variable that names the instance. */
    public static final String VARIABLE = "WEIR_INSTANCE_ID";
    /** What a name may be, for error messages. */
    static final String RULE = "must be 1 to 64 letters, digits, '.', '_' or '-'";

    private InstanceId() {}

    /** True for a name every sink and format carries unchanged (a syslog HOSTNAME, a Kafka key, a file name). */
    static boolean valid(String id) {
        return id.matches("[A-Za-z0-9._-]{1,64}");
    }

    /**
     * The instance's name: the environment's, else the configured one, else {@code weir-<pid>}.
     *
     * @param configured {@code audit.instance_id}, already checked, or null
     * @param env        the environment ({@code System.getenv()} in production)
     * @throws ConfigException when the environment variable is set to a name that is not valid
     */
    public static String resolve(String configured, Map<String, String> env, long pid) throws ConfigException {
        String fromEnv = env.get(VARIABLE);
        if (fromEnv != null) {
            if (!valid(fromEnv)) throw new ConfigException(VARIABLE + " " + RULE + ", got '" + fromEnv + "'");
            return fromEnv;
        }
        return configured != null ? configured : "weir-" + pid;
    }
}
