package dev.weir.proxy.upstream;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one event loop's upstream exchanges: one list, sorted by deadline, and at
 * most one of the loop's timed tasks, due at the first deadline or before it. Arming and
 * disarming are list links (an exchange is its own node), so a request costs no insert into and
 * removal from the loop's heap of timed tasks (each O(log n), 3.5% of weir's samples at
 * saturation when every exchange scheduled its own task, issue 16).
 *
 * <p>An exchange is armed when it is sent, so the list is almost always appended to: deadlines
 * are the request's arrival plus a fixed time, and a loop sends in about the order requests
 * came. One that came earlier but is sent later (it waited for a table lookup or a durable audit
 * record) is walked back from the tail to its place. A disarmed first deadline leaves the timed
 * task alone: when it runs early, it reschedules itself for the deadline first then, and with
 * no deadline left it ends. So a busy loop reschedules about once per deadline's length, and an
 * idle one wakes once after its last exchange.
 *
 * <p>Every method runs on the loop.
 */
final class LoopDeadlines {
    private static final Logger log = LoggerFactory.getLogger(LoopDeadlines.class);

    /** One armed deadline: what fails at it. */
    abstract static class Node {
        private long deadline;
        private Node prev;
        private Node next;
        private boolean armed;

        /** Runs on the loop at the deadline, once, after the node has left the list. */
        abstract void expire();
    }

    private final EventExecutor loop;
    private Node first;
    private Node last;
    /** The pending timed task, or null; due at {@link #timerAt}. */
    private ScheduledFuture<?> timer;
    private long timerAt;
    /** Timed tasks scheduled so far (tests). */
    private long schedules;
    private final Runnable fire = this::fire;

    LoopDeadlines(EventExecutor loop) {
        this.loop = loop;
    }

    /** Arms {@code n} for {@code deadlineNanos} (on {@link System#nanoTime()}); a deadline that has passed fires on the loop's next turn. */
    void arm(Node n, long deadlineNanos) {
        if (n.armed) throw new IllegalStateException("a deadline armed twice");
        n.deadline = deadlineNanos;
        n.armed = true;
        Node p = last;
        while (p != null && p.deadline - deadlineNanos > 0) p = p.prev;
        n.prev = p;
        n.next = p == null ? first : p.next;
        if (n.next != null) n.next.prev = n;
        else last = n;
        if (p != null) p.next = n;
        else first = n;
        if (n == first && (timer == null || timerAt - deadlineNanos > 0)) {
            if (timer != null) timer.cancel(false);
            schedule(deadlineNanos);
        }
    }

    /** Takes {@code n} out of the list (nothing when it is not in it: fired, or never armed). */
    void disarm(Node n) {
        if (!n.armed) return;
        n.armed = false;
        if (n.prev != null) n.prev.next = n.next;
        else first = n.next;
        if (n.next != null) n.next.prev = n.prev;
        else last = n.prev;
        n.prev = null;
        n.next = null;
    }

    /** Deadlines armed and not yet fired or disarmed. */
    int armed() {
        int k = 0;
        for (Node n = first; n != null; n = n.next) k++;
        return k;
    }

    /** Whether a timed task is pending (tests). */
    boolean timerPending() {
        return timer != null;
    }

    /** Timed tasks scheduled so far (tests). */
    long schedules() {
        return schedules;
    }

    private void schedule(long at) {
        schedules++;
        timerAt = at;
        timer = loop.schedule(fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        long now = System.nanoTime();
        while (first != null && first.deadline - now <= 0) {
            Node n = first;
            disarm(n);
            try {
                n.expire();
            } catch (RuntimeException bug) {
                log.error("a deadline's expiry failed; the loop's other deadlines still fire", bug);
            }
        }
        // An expiry's own callbacks may have armed a new first deadline and its timer.
        if (first != null && timer == null) schedule(first.deadline);
    }
}
