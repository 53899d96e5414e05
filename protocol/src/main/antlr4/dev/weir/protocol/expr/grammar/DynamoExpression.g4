/*
 * DynamoDB's expression language: condition (ConditionExpression, FilterExpression,
 * KeyConditionExpression), update (UpdateExpression) and projection (ProjectionExpression).
 * One grammar, three start rules. Keywords are case-insensitive; function names are plain
 * identifiers and are checked by the AST builder, as are reserved words, so that the errors
 * come out in DynamoDB's words. Any character the lexer does not know becomes an UNKNOWN
 * token, so every error is a parser error naming the offending token.
 */
grammar DynamoExpression;

// ---------------------------------------------------------------------------- start rules

conditionExpression  : condition EOF ;
updateExpression     : updateClause+ EOF ;
projectionExpression : path (COMMA path)* EOF ;

// ---------------------------------------------------------------------------- conditions

condition    : conjunction (OR conjunction)* ;
conjunction  : negation (AND negation)* ;
negation     : NOT negation                                          # notCondition
             | predicate                                             # predicateCondition
             ;
predicate    : LPAREN condition RPAREN                               # parenCondition
             | operand comparator operand                            # comparison
             | operand BETWEEN operand AND operand                   # between
             | operand IN LPAREN operand (COMMA operand)* RPAREN     # in
             | function                                              # functionCondition
             ;
comparator   : EQ | NE | LT | LE | GT | GE ;

operand      : path                                                  # pathOperand
             | VALUE_REF                                             # valueOperand
             | function                                              # functionOperand
             | LPAREN operand RPAREN                                 # parenOperand
             ;
function     : IDENT LPAREN operand (COMMA operand)* RPAREN ;

// ---------------------------------------------------------------------------- updates

updateClause : SET setAction (COMMA setAction)*                      # setClause
             | REMOVE path (COMMA path)*                             # removeClause
             | ADD valueAction (COMMA valueAction)*                  # addClause
             | DELETE valueAction (COMMA valueAction)*               # deleteClause
             ;
setAction    : path EQ setValue ;
valueAction  : path VALUE_REF ;
setValue     : setOperand                                            # plainValue
             | setOperand (PLUS | MINUS) setOperand                  # arithmeticValue
             ;
setOperand   : path                                                  # setPathOperand
             | VALUE_REF                                             # setValueOperand
             | IDENT LPAREN setOperand (COMMA setOperand)* RPAREN    # setFunctionOperand
             ;

// ---------------------------------------------------------------------------- paths

path         : pathName (DOT pathName | LBRACKET INDEX RBRACKET)* ;
pathName     : IDENT | NAME_REF | SET | REMOVE | ADD | DELETE ;

// ---------------------------------------------------------------------------- lexer

AND      : [aA] [nN] [dD] ;
OR       : [oO] [rR] ;
NOT      : [nN] [oO] [tT] ;
BETWEEN  : [bB] [eE] [tT] [wW] [eE] [eE] [nN] ;
IN       : [iI] [nN] ;
SET      : [sS] [eE] [tT] ;
REMOVE   : [rR] [eE] [mM] [oO] [vV] [eE] ;
ADD      : [aA] [dD] [dD] ;
DELETE   : [dD] [eE] [lL] [eE] [tT] [eE] ;

NAME_REF  : '#' [a-zA-Z0-9_]+ ;
VALUE_REF : ':' [a-zA-Z0-9_]+ ;
IDENT     : [a-zA-Z_] [a-zA-Z0-9_]* ;
INDEX     : [0-9]+ ;

EQ       : '=' ;
NE       : '<>' ;
LE       : '<=' ;
GE       : '>=' ;
LT       : '<' ;
GT       : '>' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA    : ',' ;
DOT      : '.' ;
PLUS     : '+' ;
MINUS    : '-' ;

WS       : [ \t\r\n]+ -> skip ;
UNKNOWN  : . ;
