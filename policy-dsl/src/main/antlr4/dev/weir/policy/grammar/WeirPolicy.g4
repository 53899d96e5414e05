/*
 * The weir policy language: roles with inheritance, named networks, and allow/deny rules
 * over (principal, table, operation) with clauses for the four dimensions:
 *   role     who:       allow analyst ...          role support extends analyst
 *   context  when:      when ctx.source in office and ctx.time in 07:00..19:00 "Europe/Berlin"
 *   field    what:      fields [id, address.*]     mask ssn show_last(4)     remove salary
 *   content  which:     rows where item.region == principal.region
 *                       require item.region in principal.regions
 * and data-lifecycle triggers (docs/triggers.md):
 *   @id("faces") trigger on table images when [INSERT, MODIFY] rows where item.kind == "image"
 *       changed [image_uri] call "http://127.0.0.1:9000/faces" as role faces_worker
 *       batch 10 retry 5 backoff 200ms to 30s mark faces_done
 * Function names (masks, predicates) are plain identifiers resolved by the AST builder, and
 * names that would clash with keywords can always be written as quoted strings.
 *
 * Whitespace and newlines are insignificant; `#` starts a comment to end of line (comments
 * go to a hidden channel so the formatter can keep them).
 */
grammar WeirPolicy;

// ---------------------------------------------------------------------------- parser

policyFile   : declaration* EOF ;

declaration  : roleDecl
             | networkDecl
             | ruleDecl
             | triggerDecl
             ;

// role support extends analyst, auditor
roleDecl     : ROLE role=IDENT (EXTENDS parents+=IDENT (',' parents+=IDENT)*)? ;

// network office = [10.0.0.0/8, 127.0.0.1, "fd00::/8"]
networkDecl  : NETWORK net=IDENT '=' '[' cidr (',' cidr)* ']' ;

cidr         : CIDR | STRING ;

// @id("people-read")
// allow analyst on table people op [GetItem, Query] fields [...] mask ssn show_last(4)
ruleDecl     : annotation* effect principals ON TABLE tables OP operations clause* ;

annotation   : '@' key=IDENT '(' value=STRING ')' ;

// @id("faces") trigger on table images when [INSERT, MODIFY] ... mark faces_done
// @id("nightly") trigger every "0 3 * * *" call "https://..." as role R
// @id("audit-deletes") trigger on request op [DeleteItem] on table images call "https://..." as role R
triggerDecl  : annotation* TRIGGER triggerSource triggerClause* ;

triggerSource : ON TABLE table=name                             # streamSource
              | EVERY cron=STRING                               # everySource
              | ON kind=IDENT OP '[' IDENT (',' IDENT)* ']' ON TABLE table=name   # requestSource
              ;

triggerClause : WHEN '[' IDENT (',' IDENT)* ']'                 # eventsClause
              | ROWS WHERE condition                            # triggerRowsClause
              | CHANGED '[' fieldPath (',' fieldPath)* ']'      # changedClause
              | CALL STRING                                     # callClause
              | AS ROLE IDENT                                   # runAsClause
              | BATCH INT                                       # batchClause
              | RETRY INT (BACKOFF low=duration TO high=duration)?  # retryClause
              | MARK name                                       # markClause
              ;

// 200ms, 30s, 5m
duration     : INT IDENT ;

effect       : ALLOW | DENY ;

principals   : STAR                                       # anyPrincipal
             | IDENT                                      # onePrincipal
             | '[' IDENT (',' IDENT)* ']'                 # principalList
             ;

tables       : STAR                                       # anyTable
             | name                                       # oneTable
             | '[' name (',' name)* ']'                   # tableList
             ;

// operation names as in the API, or a group: read, write, delete, admin
operations   : STAR                                       # anyOperation
             | IDENT                                      # oneOperation
             | '[' IDENT (',' IDENT)* ']'                 # operationList
             ;

clause       : FIELDS '[' fieldPath (',' fieldPath)* ']'  # fieldsClause
             | MASK fieldPath maskFunction                # maskClause
             | REMOVE fieldPath                           # removeClause
             | REMOVE '[' fieldPath (',' fieldPath)* ']'  # removeListClause
             | NULL fieldPath                             # nullClause
             | REASON STRING                              # reasonClause
             | WHEN condition                             # whenClause
             | ROWS WHERE condition                       # rowsClause
             | REQUIRE condition                          # requireClause
             ;

// show_last(4), hash, hmac(key: "pseudonym"), unkeyed_sha256, round(1000), pattern("[0-9]", "#")
maskFunction : fn=IDENT ('(' (argument (',' argument)*)? ')')? ;

argument     : (key=IDENT ':')? literal ;

literal      : number                                     # numberLiteral
             | STRING                                     # stringLiteral
             ;

number       : '-'? (INT | DECIMAL) ;

// address.city, address.*, tags[*], "display name"
fieldPath    : pathSegment ('.' pathSegment)* ;

pathSegment  : (name | STAR) ('[' STAR ']')* ;

// --- predicates (when, rows where, require). Earlier alternatives bind tighter.
condition    : '(' condition ')'                                   # parenCondition
             | NOT condition                                       # notCondition
             | condition AND condition                             # andCondition
             | condition OR condition                              # orCondition
             | left=operand comparator right=operand               # compareCondition
             | value=operand IN set                                # inCondition
             | value=operand BETWEEN low=operand AND high=operand  # betweenCondition
             | fn=IDENT '(' operand (',' operand)* ')'             # callCondition
             | (TRUE | FALSE)                                      # constantCondition
             ;

comparator   : EQ | NE | LT | LE | GT | GE ;

operand      : reference                                  # referenceOperand
             | fn=IDENT '(' reference ')'                 # functionOperand
             | number                                     # numberOperand
             | STRING                                     # stringOperand
             | (TRUE | FALSE)                             # booleanOperand
             | NULL                                       # nullOperand
             | CIDR                                       # cidrOperand
             ;

// item.address.city, principal.regions, ctx.tls.subject.ou, item.tags[0]
reference    : root=IDENT (refStep)* ;

refStep      : '.' name                                   # keyStep
             | '[' INT ']'                                # indexStep
             ;

set          : '[' (operand (',' operand)*)? ']'          # listSet
             | from=TIME '..' to=TIME zone=STRING?        # timeSet
             | reference                                  # referenceSet
             ;

// attribute and table names: identifiers, keywords used as names, or quoted strings
name         : IDENT | STRING | keyword ;

keyword      : ROLE | EXTENDS | ALLOW | DENY | ON | TABLE | OP
             | FIELDS | MASK | REMOVE | NULL | REASON
             | NETWORK | WHEN | ROWS | WHERE | REQUIRE
             | AND | OR | NOT | IN | BETWEEN | TRUE | FALSE
             | TRIGGER | CHANGED | CALL | AS | BATCH | RETRY | BACKOFF | TO | MARK | EVERY
             ;

// ----------------------------------------------------------------------------- lexer

ROLE    : 'role' ;
EXTENDS : 'extends' ;
ALLOW   : 'allow' ;
DENY    : 'deny' ;
ON      : 'on' ;
TABLE   : 'table' ;
OP      : 'op' ;
FIELDS  : 'fields' ;
MASK    : 'mask' ;
REMOVE  : 'remove' ;
NULL    : 'null' ;
REASON  : 'reason' ;
NETWORK : 'network' ;
WHEN    : 'when' ;
ROWS    : 'rows' ;
WHERE   : 'where' ;
REQUIRE : 'require' ;
AND     : 'and' ;
OR      : 'or' ;
NOT     : 'not' ;
IN      : 'in' ;
BETWEEN : 'between' ;
TRUE    : 'true' ;
FALSE   : 'false' ;
TRIGGER : 'trigger' ;
CHANGED : 'changed' ;
CALL    : 'call' ;
AS      : 'as' ;
BATCH   : 'batch' ;
RETRY   : 'retry' ;
BACKOFF : 'backoff' ;
TO      : 'to' ;
MARK    : 'mark' ;
EVERY   : 'every' ;

EQ      : '==' ;
NE      : '!=' ;
LE      : '<=' ;
GE      : '>=' ;
LT      : '<' ;
GT      : '>' ;

STAR    : '*' ;
CIDR    : [0-9]+ '.' [0-9]+ '.' [0-9]+ '.' [0-9]+ ('/' [0-9]+)? ;
TIME    : [0-9]+ ':' [0-9]+ ;
DECIMAL : [0-9]+ '.' [0-9]+ ;
INT     : [0-9]+ ;
IDENT   : [a-zA-Z_] [a-zA-Z0-9_-]* ;
STRING  : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;

COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n\f]+ -> skip ;
