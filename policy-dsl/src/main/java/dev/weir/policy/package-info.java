/**
 * The weir policy language: text files ({@code *.weir}) compiled into an immutable
 * {@link dev.weir.policy.decision.DecisionTable}. Entry point: {@link dev.weir.policy.PolicyLoader#load}.
 *
 * <h2>Syntax (first slice)</h2>
 * <pre>
 * # comment to end of line; whitespace and newlines are insignificant
 * role NAME [extends NAME, ...]
 *
 * [@id("ID")]
 * (allow | deny) PRINCIPALS on table TABLES op OPERATIONS CLAUSE*
 *
 * PRINCIPALS  = * | ROLE | [ROLE, ...]
 * TABLES      = * | NAME | [NAME, ...]          NAME: identifier or "quoted"
 * OPERATIONS  = * | OP | [OP, ...]              OP: GetItem, Query, ... or read | write | delete | admin
 * CLAUSE      = fields [PATH, ...]              allow-list (allow rules; at most once)
 *             | mask PATH FUNC                  FUNC: show_first(n) | show_last(n) | hash | constant("x")
 *             | remove PATH
 *             | null PATH
 *             | reason "text"                   deny rules only; at most once
 * PATH        = SEGMENT(.SEGMENT)*              SEGMENT: name, "quoted name" or *
 * </pre>
 * A rule without {@code @id} is named {@code <file>:<line>}, the file being its path relative
 * to the policy directory.
 *
 * <h2>Steps</h2>
 * {@code parse} (ANTLR grammar, then {@code AstBuilder}: the only code that sees parse trees)
 * → {@code ast} (records, sealed interfaces) → {@code check} (diagnostics) → {@code compile}
 * → {@code decision} (the table) and {@code field} (field plans and masking).
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Default deny: a request no allow matches is {@code NotPermitted}.</li>
 *   <li>Any matching deny forbids ({@code Forbidden}), whatever allows match.</li>
 *   <li>Otherwise {@code Allowed}, naming every matching allow. Visible fields are the union
 *       of the matching allows' {@code fields} (an allow without {@code fields} allows all);
 *       per path the strictest action wins: remove &gt; null &gt; hash/constant &gt;
 *       show_first/show_last &gt; show.</li>
 *   <li>A role holds the rules of every role it extends, transitively.</li>
 *   <li>Neither rule order nor file order changes anything.</li>
 * </ul>
 * Details: {@link dev.weir.policy.compile.PolicyCompiler}, {@link dev.weir.policy.field.FieldPlan},
 * {@link dev.weir.policy.field.Strictness}, {@link dev.weir.policy.field.Masking}.
 */
package dev.weir.policy;
