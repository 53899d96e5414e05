package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.AttributeValue;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * An item of a caller's page as the view shows it, worked out from the store page only when
 * asked for: the page's bytes were already written by {@link ShowPlan} (what the caller gets),
 * so the item model is built only for those who read {@link Page#items} (tests, tools).
 * Immutable; equal to {@code view.show(page.item(i))}.
 */
final class ShownLater extends AbstractMap<String, AttributeValue> {
    private final ReadView view;
    private final ScannedPage page;
    private final int item;
    private Map<String, AttributeValue> shown;

    ShownLater(ReadView view, ScannedPage page, int item) {
        this.view = view;
        this.page = page;
        this.item = item;
    }

    private Map<String, AttributeValue> shown() {
        Map<String, AttributeValue> s = shown;
        if (s == null) shown = s = view.show(page.item(item));
        return s;
    }

    @Override public Set<Entry<String, AttributeValue>> entrySet() {
        return shown().entrySet();
    }

    @Override public AttributeValue get(Object key) {
        return shown().get(key);
    }

    @Override public boolean containsKey(Object key) {
        return shown().containsKey(key);
    }

    @Override public int size() {
        return shown().size();
    }
}
