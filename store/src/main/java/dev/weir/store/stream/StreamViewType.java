package dev.weir.store.stream;

/** What a change record carries besides the keys, as a stream's StreamViewType says. */
public enum StreamViewType {
    KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES;

    public boolean hasNewImage() {
        return this == NEW_IMAGE || this == NEW_AND_OLD_IMAGES;
    }

    public boolean hasOldImage() {
        return this == OLD_IMAGE || this == NEW_AND_OLD_IMAGES;
    }
}
