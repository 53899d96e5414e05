package dev.weir.proxy.enforce.request;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.predicate.Residual;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operands;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.expr.eval.Projector;
import dev.weir.protocol.expr.eval.UpdateApplier;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParseOutcome.Accepted;
import dev.weir.proxy.enforce.request.ParseOutcome.Refused;
import dev.weir.proxy.enforce.request.PolicyConjuncts.PolicyConjunct;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential fuzzing of what issue 13 rests on: "expressions are composed as trees, never as
 * text". From each input a client request ({@link ClientFragment}: its condition, filter, key
 * condition, update and projection texts with their names and values) is read by weir's
 * request parser ({@link WeirParse}) and by the bundled store's ({@link StoreParse}), then
 * composed with a policy's conjunct ({@link PolicyConjuncts}, a {@link Residual} tree) into the
 * request weir would forward ({@link Composition}: for writes and GetItem the firewall's own
 * {@code rewrite/Conjoin} and {@code rewrite/Render}). What must hold:
 *
 * <ol>
 *   <li><b>One reading.</b> When weir refuses, the store refuses with the same error type.
 *       When both accept, the trees are equal (placeholders erased, values in the store's
 *       canonical form). weir may accept what the store refuses (it leaves checks on values
 *       to the store), but then the store must refuse what weir forwards as well, with the
 *       same error type: weir never turns a refused request into an accepted one.</li>
 *   <li><b>The composition reads back exactly.</b> Each written text, parsed with the
 *       writer's names and values, gives exactly the composed tree: the client's condition
 *       and the policy's conjunct as the two sides of one AND, the policy's side a whole
 *       subtree no client text changed; the writer's names and values are all used.</li>
 *   <li><b>The store takes it.</b> The forwarded body passes the store's own request
 *       validation (unused or empty names and values, redundant parentheses, reserved words,
 *       the 4 KB and 300-operator limits); a write whose rendered text is over either is
 *       refused by weir itself (and only then), a modelled read's by the store, never cut short.</li>
 *   <li><b>It means client AND policy.</b> On random stored items, the store's evaluation of
 *       the composed condition equals the client's condition and the policy's own verdict
 *       ({@code RowFilter.test}, not the residual); the residual equals the policy; the key
 *       condition, update and projection do what the client's do.</li>
 * </ol>
 *
 * <p>Regression inputs live in {@code ExpressionDifferentialFuzzTestInputs/<method>/};
 * {@code ./weir fuzz expression-differential} fuzzes.
 */
class ExpressionDifferentialFuzzTest {
    private static final int ITEMS = 16;

    @FuzzTest
    @DictionaryEntries({"ConditionExpression=", "FilterExpression=", "KeyConditionExpression=", "UpdateExpression=",
            "ProjectionExpression=", "#a=", ":v=", "#{}", ":{}", "policy=", "items=", "UpdateItem", "Query", "Scan",
            "GetItem", "PutItem", "DeleteItem", " or", "OR#i", "or(", " AND ", "AND(", "NOT#a", "not(", " BETWEEN ",
            " IN (", "attribute_exists(", "attribute_not_exists(", "attribute_type(", "begins_with(", "contains(", "size(",
            "if_not_exists(", "list_append(", "SET ", "REMOVE ", "ADD ", "DELETE ", " = ", " <> ", " <= ", " > ", ", ",
            "(", ")", "[1]", ".", "status", "name", "region", "{\"S\":\"eu\"}", "{\"N\":\"18\"}", "{\"SS\":[\"x\"]}",
            "{\"L\":[{\"S\":\"eu\"}]}", "{\"BOOL\":true}", "{\"NULL\":true}"})
    void composedExpressionsMeanClientAndPolicy(byte[] input) {
        check(input);
    }

    /** Everything the class comment promises, for one input (also run by {@link ExpressionDifferentialVariantsTest}). */
    static void check(byte[] input) {
        ClientFragment fragment = ClientFragment.read(input);
        Operation op = fragment.op();
        ObjectNode body = fragment.body();
        Supplier<String> request = () -> op + " " + body;

        ParseOutcome weir = WeirParse.of(op, body);
        ParseOutcome store = StoreParse.of(op, body);
        if (weir instanceof Refused w) {
            Refused s = assertInstanceOf(Refused.class, store, () -> "weir refuses (" + w + ") what the store accepts: " + request.get());
            assertEquals(s.type(), w.type(), () -> "weir refuses with " + w + ", the store with " + s + ": " + request.get());
            return;
        }
        ExpressionTrees client = ((Accepted) weir).trees();
        if (store instanceof Accepted s) {
            assertEquals(Erasure.CANONICAL.of(s.trees()), Erasure.CANONICAL.of(client),
                    () -> "weir and the store read different trees: " + request.get());
        }

        PolicyConjunct policy = PolicyConjuncts.of(fragment.policy(), op);
        ConditionExpr policyTree = policy.residual() instanceof Residual.Tree t ? t.condition() : null;
        Composition composed = Composition.of(op, client, policyTree, body, WeirParse.expressions(op, body));
        Supplier<String> forwarded = () -> request.get() + "\ncomposed with: " + policy.text() + "\nwritten: "
                + composed.texts() + " " + composed.names() + " " + composed.values();
        if (composed.refusedForSize()) {
            // weir refuses the part itself (nothing is sent): only when a rendered text really is over 4 KB or 300 operators
            assertTrue(composed.overLimit(), () -> "weir refused for size a part within DynamoDB's limits: " + forwarded.get());
            return;
        }

        if (!composed.overLimit()) readsBack(composed, client, policyTree, op, forwarded);

        ParseOutcome storeOfComposed = StoreParse.of(op, composed.body(body));
        if (store instanceof Refused s) {
            Refused r = assertInstanceOf(Refused.class, storeOfComposed,
                    () -> "weir accepts what the store refuses (" + s + "), and the store accepts what weir forwards: " + forwarded.get());
            assertEquals(s.type(), r.type(), forwarded);
            return;
        }
        if (composed.overLimit()) {
            Refused r = assertInstanceOf(Refused.class, storeOfComposed,
                    () -> "an expression over 4 KB or 300 operators was accepted: " + forwarded.get());
            assertEquals("ValidationException", r.type(), forwarded);
            assertTrue(r.message().contains("Expression size has exceeded the maximum allowed size")
                    || r.message().contains("The expression contains too many operators"), () -> r + " " + forwarded.get());
            return;
        }
        Accepted accepted = assertInstanceOf(Accepted.class, storeOfComposed,
                () -> "the store refuses what weir forwards: " + storeOfComposed + " " + forwarded.get());
        assertEquals(Erasure.CANONICAL.of(sectioned(composed.expected())), Erasure.CANONICAL.of(sectioned(accepted.trees())),
                () -> "the store reads the forwarded request as other trees: " + forwarded.get());

        meansClientAndPolicy(op, ((Accepted) store).trees(), accepted.trees(), policy, fragment.items(), forwarded);
    }

    /** (2) Each text, parsed with the writer's names and values, is exactly the composed tree; every name and value is used. */
    private static void readsBack(Composition composed, ExpressionTrees client, ConditionExpr policy, Operation op,
                                  Supplier<String> forwarded) {
        ExpressionContext context = new ExpressionContext(composed.names(), composed.values());
        Map<String, String> t = composed.texts();
        ExpressionTrees read;
        try {
            read = new ExpressionTrees(
                    t.containsKey("KeyConditionExpression") ? context.condition("KeyConditionExpression", t.get("KeyConditionExpression")).expression() : null,
                    t.containsKey("FilterExpression") ? context.condition("FilterExpression", t.get("FilterExpression")).expression() : null,
                    t.containsKey("ConditionExpression") ? context.condition("ConditionExpression", t.get("ConditionExpression")).expression() : null,
                    t.containsKey("UpdateExpression") ? context.update(t.get("UpdateExpression")).expression() : null,
                    t.containsKey("ProjectionExpression") ? context.projection(t.get("ProjectionExpression")).paths() : null);
            context.requireAllUsed();
        } catch (DynamoException e) {
            throw new AssertionError("weir's written expressions do not parse: " + e.error() + " " + forwarded.get(), e);
        }
        assertEquals(Erasure.EXACT.of(sectioned(composed.expected())), Erasure.EXACT.of(sectioned(read)),
                () -> "the written text reads back as another tree: " + forwarded.get());
        if (policy == null || op == Operation.GetItem) return;
        boolean write = PolicyConjuncts.isWrite(op);
        ConditionExpr own = client.guarded(write);
        ConditionExpr joined = read.guarded(write);
        if (own == null) {
            assertEquals(Erasure.EXACT.of(policy), Erasure.EXACT.of(joined), forwarded);
        } else {
            ConditionExpr.And and = assertInstanceOf(ConditionExpr.And.class, joined, () -> "not client AND policy: " + forwarded.get());
            assertEquals(Erasure.EXACT.of(own), Erasure.EXACT.of(and.left()), () -> "the client's side changed: " + forwarded.get());
            assertEquals(Erasure.EXACT.of(policy), Erasure.EXACT.of(and.right()), () -> "the policy's side changed: " + forwarded.get());
        }
    }

    /** (4) On random stored items: composed = client AND policy; the residual is the policy; key, update and projection unchanged. */
    private static void meansClientAndPolicy(Operation op, ExpressionTrees client, ExpressionTrees composed, PolicyConjunct policy,
                                             long seed, Supplier<String> forwarded) {
        boolean write = PolicyConjuncts.isWrite(op);
        boolean joined = policy.residual() instanceof Residual.Tree && op != Operation.GetItem;
        Set<Path> paths = new LinkedHashSet<>();
        Set<AttributeValue> values = new LinkedHashSet<>();
        for (ConditionExpr c : new ConditionExpr[] {client.keyCondition(), client.filter(), client.condition()}) {
            if (c == null) continue;
            Operands.collectPaths(c, paths);
            RandomItems.values(c, values);
        }
        if (client.update() != null) {
            UpdateApplier update = new UpdateApplier(client.update());
            paths.addAll(update.readPaths());
            paths.addAll(update.writePaths());
        }
        if (client.projection() != null) paths.addAll(client.projection());
        paths.addAll(policy.filter().itemPaths());
        if (policy.residual() instanceof Residual.Tree t) RandomItems.values(t.condition(), values);

        for (Map<String, AttributeValue> item : RandomItems.of(seed, paths, values, ITEMS)) {
            boolean policyHolds = policy.filter().test(policy.request(), item);
            if (policy.residual() != null) {
                assertEquals(policyHolds, policy.residual().test(item), () -> "the residual is not the policy on " + item + ": " + forwarded.get());
            }
            boolean clientHolds = holds(client.guarded(write), item);
            boolean expected = joined ? clientHolds && policyHolds : clientHolds;
            assertEquals(expected, holds(composed.guarded(write), item),
                    () -> "the forwarded condition is not client (" + clientHolds + ") AND policy (" + policyHolds + ") on "
                            + item + ": " + forwarded.get());
            if (client.keyCondition() != null) {
                assertEquals(holds(client.keyCondition(), item), holds(composed.keyCondition(), item),
                        () -> "the key condition changed on " + item + ": " + forwarded.get());
            }
            if (client.update() != null) {
                assertEquals(applied(client.update(), item), applied(composed.update(), item),
                        () -> "the update does something else to " + item + ": " + forwarded.get());
            }
            if (client.projection() != null) {
                assertEquals(new Projector(client.projection()).apply(item), new Projector(composed.projection()).apply(item),
                        () -> "the projection shows something else of " + item + ": " + forwarded.get());
            }
        }
    }

    private static boolean holds(ConditionExpr c, Map<String, AttributeValue> item) {
        return c == null || new ConditionEvaluator(c).test(item);
    }

    /** The updated item, or the type of the error the store answers for this item. */
    private static Object applied(UpdateExpr update, Map<String, AttributeValue> item) {
        try {
            return new UpdateApplier(update).apply(item);
        } catch (DynamoException e) {
            return e.error().shortType();
        }
    }

    private static ExpressionTrees sectioned(ExpressionTrees t) {
        return new ExpressionTrees(t.keyCondition(), t.filter(), t.condition(), Erasure.bySection(t.update()), t.projection());
    }
}
