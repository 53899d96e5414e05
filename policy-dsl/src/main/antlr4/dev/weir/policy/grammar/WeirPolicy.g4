/*
 * The weir policy language. First slice: roles with inheritance, allow/deny rules over
 * (principal, table, operation) with field clauses. The shape is meant to grow: new
 * clauses (`when`, `rows where`, `require`) are new alternatives of `clause`, new mask
 * functions are just names with arguments (resolved by the AST builder), and names that
 * would clash with keywords can always be written as quoted strings.
 *
 * Whitespace and newlines are insignificant; `#` starts a comment to end of line.
 */
grammar WeirPolicy;

// ---------------------------------------------------------------------------- parser

policyFile   : declaration* EOF ;

declaration  : roleDecl
             | ruleDecl
             ;

// role support extends analyst, auditor
roleDecl     : ROLE role=IDENT (EXTENDS parents+=IDENT (',' parents+=IDENT)*)? ;

// @id("people-read")
// allow analyst on table people op [GetItem, Query] fields [...] mask ssn show_last(4)
ruleDecl     : annotation* effect principals ON TABLE tables OP operations clause* ;

annotation   : '@' key=IDENT '(' value=STRING ')' ;

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
             | NULL fieldPath                             # nullClause
             | REASON STRING                              # reasonClause
             ;

// show_last(4), hash, constant("x"); later e.g. hmac(key: "pseudonym")
maskFunction : fn=IDENT ('(' (argument (',' argument)*)? ')')? ;

argument     : (key=IDENT ':')? literal ;

literal      : INT                                        # intLiteral
             | STRING                                     # stringLiteral
             ;

// address.city, address.*, "display name"
fieldPath    : pathSegment ('.' pathSegment)* ;

pathSegment  : name                                       # namedSegment
             | STAR                                       # anySegment
             ;

// attribute and table names: identifiers, keywords used as names, or quoted strings
name         : IDENT | STRING | keyword ;

keyword      : ROLE | EXTENDS | ALLOW | DENY | ON | TABLE | OP
             | FIELDS | MASK | REMOVE | NULL | REASON
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

STAR    : '*' ;
INT     : [0-9]+ ;
IDENT   : [a-zA-Z_] [a-zA-Z0-9_-]* ;
STRING  : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS      : [ \t\r\n\f]+ -> skip ;
