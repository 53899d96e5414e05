package dev.weir.proxy.enforce.verdict;

import dev.weir.protocol.error.DynamoError;

import java.util.List;

/**
 * What became of a request, fixed by the last check that ran: permitted, or refused for one
 * of five kinds of reason. The audit event records it ({@link #auditName()}), so a refused
 * request is never recorded as allowed, whichever step refused it.
 */
public sealed interface Verdict permits Verdict.Permitted, Verdict.Refused {

    /** Why a request was refused. */
    enum Kind {
        /** No valid identity: no signature, a wrong one, an unknown key, a certificate that contradicts the signer. */
        UNAUTHENTICATED,
        /** The request is malformed: unknown operation, unreadable body, bad expression, bad table ARN. */
        INVALID,
        /**
         * A deny matched, or a check refused what the policy hides from the caller: a side
         * channel or information flow ("it tests the field ..."), a write outside its fields or
         * rows, a table of another account.
         */
        FORBIDDEN,
        /** No allow matched (default deny), or no policy is loaded. */
        NOT_PERMITTED,
        /**
         * weir cannot enforce the policy on this request (a parameter or operation it does not
         * handle yet, a condition the store cannot state, table tags it could not read), so it
         * refused rather than forward it unchecked.
         */
        UNENFORCEABLE
    }

    /** The rules that decided, in the order the decision met them. */
    List<String> ruleIds();

    /** The audit event's {@code decision}: {@code ALLOWED}, or the refusal's kind. */
    String auditName();

    /** Every check passed; the request goes upstream. */
    record Permitted(List<String> ruleIds) implements Verdict {
        public Permitted {
            ruleIds = List.copyOf(ruleIds);
        }

        @Override public String auditName() {
            return "ALLOWED";
        }
    }

    /**
     * Refused; the caller gets {@code error}.
     *
     * @param reason why, in words (for an AccessDeniedException the text after "because")
     */
    record Refused(Kind kind, List<String> ruleIds, String reason, DynamoError error) implements Verdict {
        public Refused {
            ruleIds = List.copyOf(ruleIds);
        }

        @Override public String auditName() {
            return kind.name();
        }
    }
}
