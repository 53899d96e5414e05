package dev.weir.store.api.validate;

import java.util.List;
import java.util.function.Supplier;

/**
 * The JSON type a request member must have, as DynamoDB's deserializer knows it. Each shape
 * names the Java type DynamoDB's own messages quote ({@code cannot be converted to Integer},
 * {@code Unrecognized collection type class java.lang.String}), so a wrong type is reported in
 * DynamoDB's words ({@link SerializationCheck}).
 */
public sealed interface Shape {
    Text TEXT = new Text();
    Flag FLAG = new Flag();
    Bytes BYTES = new Bytes();
    Whole INTEGER = new Whole("Integer");
    Whole LONG = new Whole("Long");

    /** The class DynamoDB names when this shape is found where a value of another kind was expected. */
    String javaClass();

    /** A string member. */
    record Text() implements Shape {
        public String javaClass() {
            return "java.lang.String";
        }
    }

    /** A boolean member; DynamoDB also reads the strings {@code true} and {@code false} (any case). */
    record Flag() implements Shape {
        public String javaClass() {
            return "java.lang.Boolean";
        }
    }

    /** A base64 string (an attribute value's B and BS). */
    record Bytes() implements Shape {
        public String javaClass() {
            return "java.nio.ByteBuffer";
        }
    }

    /** A whole number, {@code Integer} or {@code Long} in DynamoDB's messages; a decimal is truncated. */
    record Whole(String javaName) implements Shape {
        public String javaClass() {
            return "java.lang." + javaName;
        }
    }

    /** A JSON array of one shape. */
    record ListOf(Shape element) implements Shape {
        public String javaClass() {
            return "java.util.List";
        }
    }

    /** A JSON object whose members are names chosen by the caller, each value of one shape and under {@code valueConstraints}. */
    record MapOf(Shape value, List<Constraint> valueConstraints) implements Shape {
        public MapOf {
            valueConstraints = List.copyOf(valueConstraints);
        }

        public MapOf(Shape value) {
            this(value, List.of());
        }

        public String javaClass() {
            return "java.util.Map<java.lang.String, " + value.javaClass() + ">";
        }
    }

    /**
     * A structure of DynamoDB's model, {@code name} as in the API reference; its members in
     * DynamoDB's validation order. The members are supplied lazily so that a structure can
     * contain itself (an AttributeValue's M and L).
     */
    record Struct(String name, Supplier<List<Member>> members) implements Shape {
        public String javaClass() {
            return "com.amazonaws.dynamodb.v20120810." + name;
        }

        /** The member called {@code name}, or null. */
        public Member member(String memberName) {
            for (Member m : members.get()) if (m.name().equals(memberName)) return m;
            return null;
        }
    }
}
