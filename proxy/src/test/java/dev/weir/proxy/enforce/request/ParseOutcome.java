package dev.weir.proxy.enforce.request;

/** What one parser made of a request body: its expression trees, or DynamoDB's refusal. */
sealed interface ParseOutcome {

    record Accepted(ExpressionTrees trees) implements ParseOutcome {}

    /** @param type the error's short type ({@code ValidationException}) */
    record Refused(String type, String message) implements ParseOutcome {}
}
