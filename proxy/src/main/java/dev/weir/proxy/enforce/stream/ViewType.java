package dev.weir.proxy.enforce.stream;

/**
 * A stream's {@code StreamViewType}: which images its records carry. An image a stream does
 * not carry cannot be judged by a row filter, so for a caller under one it counts as not
 * visible ({@link RecordCut}).
 */
public enum ViewType {
    KEYS_ONLY(false, false), NEW_IMAGE(true, false), OLD_IMAGE(false, true), NEW_AND_OLD_IMAGES(true, true);

    private final boolean newImage;
    private final boolean oldImage;

    ViewType(boolean newImage, boolean oldImage) {
        this.newImage = newImage;
        this.oldImage = oldImage;
    }

    public boolean carriesNew() {
        return newImage;
    }

    public boolean carriesOld() {
        return oldImage;
    }

    /** The view type of that name, or null. */
    public static ViewType named(String name) {
        if (name == null) return null;
        for (ViewType t : values()) if (t.name().equals(name)) return t;
        return null;
    }
}
