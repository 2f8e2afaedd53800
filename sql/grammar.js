/*
 * grammar.js — strand's tree-sitter grammar for the PostgreSQL dialect
 * subset it supports. Syntax only: names stay names and literals stay text;
 * sql/lower.c turns the tree into the AST of sql.h, and the planner's binder
 * gives it meaning.
 *
 * What it deliberately does not do:
 *   - reserved words: tree-sitter lexes a keyword only where the grammar
 *     accepts it and otherwise hands it over as an identifier, so the check
 *     that `CREATE TABLE select (...)` is an error lives in sql.c;
 *   - lexical errors (unterminated strings, trailing junk after numbers) are
 *     found by the small scanner in sql.c, as PostgreSQL's lexer does;
 *   - non-associative comparisons (`a = b = c`) parse left-associatively
 *     here and are rejected by lower.c at the second operator.
 *
 * Regenerate the parser as README.md says (tree-sitter CLI 0.22, ABI 14);
 * parser/ holds the result.
 */

// Case-insensitive keyword token: SELECT, select and SeLeCt alike.
function kw(word) {
  const re = word.split('').map(c => /[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c).join('');
  return new RegExp(re);
}

function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

// PostgreSQL's precedence (gram.y), lowest first.
const PREC = {
  or: 1,
  and: 2,
  not: 3,
  is: 4,
  compare: 5,
  like: 6,    // LIKE, ILIKE, SIMILAR TO
  op: 7,      // || and other operators
  add: 8,
  mul: 9,
  pow: 10,    // ^
  at: 11,     // AT TIME ZONE
  unary: 12,  // unary - and +
  cast: 13,   // ::
  subscript: 14, // a[i]
};

// Operators other than the arithmetic and comparison ones, all at
// PostgreSQL's precedence of "any other operator"; the binder resolves
// them by name and operand types (types.def's OPER rows).
const OTHER_OPERATORS = [
  '~', '~*', '!~', '!~*', '~~', '~~*', '!~~', '!~~*',
  '->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&', '&&', '#-',
  '<<', '>>', '&', '|', '#',
];

const KEYWORDS = [
  'abort', 'absolute', 'all', 'alter', 'analyze', 'and', 'as', 'asc', 'backward', 'begin',
  'binary', 'by', 'bypassrls', 'call', 'cascade', 'cast', 'chain', 'char', 'character',
  'checkpoint', 'close', 'commit', 'committed', 'connection', 'constraint', 'copy', 'create',
  'createdb', 'createrole', 'csv', 'current_role', 'current_user', 'cursor', 'declare', 'default',
  'deferrable', 'delete', 'delimiter', 'desc', 'double', 'drop', 'encoding', 'encrypted', 'end',
  'escape', 'exists', 'false', 'fetch', 'first', 'for', 'force', 'forward', 'freeze', 'from',
  'full', 'header', 'hold', 'hour', 'if', 'in', 'index', 'inherit', 'inout', 'insensitive',
  'insert', 'interval', 'into', 'is', 'isnull', 'isolation', 'key', 'language', 'last', 'level',
  'limit', 'listen', 'local', 'locked', 'login', 'minute', 'module', 'move', 'names', 'next', 'no',
  'nobypassrls', 'nocreatedb', 'nocreaterole', 'noinherit', 'nologin', 'none', 'noreplication',
  'nosuperuser', 'not', 'notify', 'notnull', 'nowait', 'null', 'nulls', 'of', 'offset', 'on',
  'only', 'or', 'order', 'ordinality', 'out', 'password', 'precision', 'primary', 'prior', 'procedure',
  'program', 'quote', 'read', 'relative', 'release', 'rename', 'repeatable', 'replace',
  'replication', 'reset', 'restrict', 'returning', 'role', 'rollback', 'savepoint', 'schema',
  'scroll', 'select', 'serializable', 'session', 'session_user', 'set', 'share', 'show', 'skip',
  'start', 'stdin', 'stdout', 'superuser', 'table', 'time', 'to', 'transaction', 'true',
  'uncommitted', 'unique', 'unlisten', 'until', 'update', 'user', 'using', 'vacuum', 'valid',
  'values', 'varying', 'verbose', 'where', 'with', 'without', 'work', 'write', 'zone',
  'both', 'ilike', 'leading', 'like', 'placing', 'similar', 'trailing',
  'at', 'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'timestamp',
  'any', 'array', 'some', 'year', 'month', 'day', 'second',
  'case', 'when', 'then', 'else', 'between', 'symmetric', 'asymmetric', 'distinct', 'unknown',
  'join', 'inner', 'left', 'right', 'cross', 'natural', 'outer', 'group', 'having', 'filter',
  'union', 'intersect', 'except', 'over', 'partition', 'window', 'rows', 'range', 'groups', 'unbounded',
  'preceding', 'following', 'current', 'row', 'exclude', 'ties', 'others', 'recursive', 'materialized', 'collate', 'operator',
  'lateral', 'grouping', 'sets', 'rollup', 'cube', 'explain', 'analyse',
  'check', 'references', 'foreign', 'action', 'add', 'uescape',
];

const keywordRules = {};
for (const w of KEYWORDS) keywordRules['kw_' + w] = _ => kw(w);

module.exports = grammar({
  name: 'sql',

  extras: $ => [/\s/, $.comment],

  // $tag$ ... $tag$: the closing delimiter must repeat the opening tag,
  // which no regular expression can say (scanner.c).
  externals: $ => [$.dollar_string],

  word: $ => $.identifier,

  rules: {
    source_file: $ => seq(
      optional($._statement),
      repeat(seq(';', optional($._statement))),
    ),

    // Keywords come before `identifier`: tree-sitter prefers the earlier of
    // two regexps matching the same text, and only such tokens become
    // keywords of the word token.
    ...keywordRules,

    _statement: $ => choice(
      $.select_statement,
      $.insert_statement,
      $.update_statement,
      $.delete_statement,
      $.create_table_statement,
      $.drop_table_statement,
      $.create_index_statement,
      $.drop_index_statement,
      $.begin_statement,
      $.commit_statement,
      $.rollback_statement,
      $.savepoint_statement,
      $.release_statement,
      $.vacuum_statement,
      $.checkpoint_statement,
      $.create_procedure_statement,
      $.drop_procedure_statement,
      $.call_statement,
      $.copy_statement,
      $.create_role_statement,
      $.alter_role_statement,
      $.alter_table_statement,
      $.drop_role_statement,
      $.declare_statement,
      $.explain_statement,
      $.fetch_statement,
      $.close_statement,
      $.listen_statement,
      $.unlisten_statement,
      $.notify_statement,
      $.set_statement,
      $.reset_statement,
      $.show_statement,
    ),

    // ---- SELECT --------------------------------------------------------
    // A query: a SELECT, VALUES, a set operation or a parenthesized query,
    // then ORDER BY, LIMIT / OFFSET and locking for the whole of it.
    select_statement: $ => seq(
      optional($.with_clause),
      field('body', $._query_term),
      optional($.order_by_clause),
      optional(choice(
        seq($._limit_offset, optional($.locking_clause)),
        seq($.locking_clause, optional($._limit_offset)),
      )),
    ),

    // WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (query), ...
    with_clause: $ => seq($.kw_with, optional(field('recursive', $.kw_recursive)), commaSep1($.cte)),
    cte: $ => seq(
      field('name', $._name),
      optional($.column_list),
      $.kw_as,
      optional(seq(optional($.kw_not), $.kw_materialized)),
      '(', field('query', choice($.select_statement, $.insert_statement, $.update_statement, $.delete_statement)),
      ')',
    ),

    _query_term: $ => choice($.simple_select, $.values_clause, $.set_operation, $.query_parens),

    query_parens: $ => prec(1, seq('(', field('query', $.select_statement), ')')),

    // UNION and EXCEPT bind less tightly than INTERSECT, all to the left
    set_operation: $ => choice(
      prec.left(1, seq(
        field('left', $._query_term),
        field('op', choice($.kw_union, $.kw_except)),
        optional(field('quantifier', choice($.kw_all, $.kw_distinct))),
        field('right', $._query_term),
      )),
      prec.left(2, seq(
        field('left', $._query_term),
        field('op', $.kw_intersect),
        optional(field('quantifier', choice($.kw_all, $.kw_distinct))),
        field('right', $._query_term),
      )),
    ),

    simple_select: $ => seq(
      $.kw_select,
      optional($.distinct_clause),
      optional($.target_list),
      optional($.from_clause),
      optional($.where_clause),
      optional($.group_by_clause),
      optional($.having_clause),
      optional($.window_clause),
    ),

    // ALL, DISTINCT or DISTINCT ON (expr, ...)
    distinct_clause: $ => choice(
      $.kw_all,
      seq($.kw_distinct, optional(seq($.kw_on, '(', commaSep1(field('on', $._expression)), ')'))),
    ),

    _limit_offset: $ => choice(
      seq($.limit_clause, optional($.offset_clause)),
      seq($.offset_clause, optional($.limit_clause)),
    ),

    // FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF t, ...] [NOWAIT | SKIP LOCKED]
    locking_clause: $ => seq(
      $.kw_for,
      field('strength', choice(
        $.kw_update,
        seq($.kw_no, $.kw_key, $.kw_update),
        $.kw_share,
        seq($.kw_key, $.kw_share),
      )),
      optional(seq($.kw_of, commaSep1(field('table', $._name)))),
      optional(choice($.kw_nowait, seq($.kw_skip, $.kw_locked))),
    ),

    target_list: $ => commaSep1($.target),

    target: $ => choice(
      $.star,
      seq(
        field('expr', $._expression),
        optional(choice(
          seq($.kw_as, field('label', $._name)),
          field('alias', $._name),
        )),
      ),
    ),

    star: _ => '*',

    from_clause: $ => seq($.kw_from, commaSep1($._from_item)),

    _from_item: $ => choice($.table_ref, $.joined_table, $.subquery_ref, $.parenthesized_join),

    table_ref: $ => seq(
      choice(
        field('name', $._any_name),
        seq(optional(field('lateral', $.kw_lateral)),
          choice(field('function', $.function_call),
            seq($.kw_rows, $.kw_from, '(', commaSep1(field('rows_from', $.function_call)), ')')),
          optional(field('ordinality', seq($.kw_with, $.kw_ordinality)))),
      ),
      optional($.alias),
    ),

    // [AS] name [(column, ...)]
    alias: $ => seq(optional($.kw_as), field('name', $._name), optional($.column_list)),

    // (SELECT ...) [AS] alias
    subquery_ref: $ => seq(optional(field('lateral', $.kw_lateral)), '(', field('query', $.select_statement), ')',
      optional($.alias)),

    // (a JOIN b ...) [AS] alias
    parenthesized_join: $ => seq('(', field('join', $.joined_table), ')', optional($.alias)),

    // Joins associate to the left, as in PostgreSQL: a JOIN b ON .. JOIN c ON ..
    joined_table: $ => prec.left(seq(
      field('left', $._from_item),
      choice(
        seq(field('type', $.kw_cross), $.kw_join, field('right', $._from_item)),
        seq(optional($.join_type), $.kw_join, field('right', $._from_item), $._join_qual),
        seq(field('natural', $.kw_natural), optional($.join_type), $.kw_join, field('right', $._from_item)),
      ),
    )),

    join_type: $ => choice(
      $.kw_inner,
      seq(choice($.kw_left, $.kw_right, $.kw_full), optional($.kw_outer)),
    ),

    _join_qual: $ => choice(
      seq($.kw_on, field('on', $._expression)),
      seq($.kw_using, field('using', $.column_list)),
    ),

    where_clause: $ => seq($.kw_where, $._expression),

    group_by_clause: $ => seq($.kw_group, $.kw_by, optional(field('quantifier', choice($.kw_all, $.kw_distinct))),
      commaSep1(field('item', $._group_item))),
    // an expression, (), ROLLUP (...), CUBE (...) or GROUPING SETS (...)
    _group_item: $ => choice($._expression, $.empty_grouping_set, $.rollup, $.cube, $.grouping_sets),
    empty_grouping_set: $ => seq('(', ')'),
    rollup: $ => seq($.kw_rollup, '(', commaSep1(field('item', $._expression)), ')'),
    cube: $ => seq($.kw_cube, '(', commaSep1(field('item', $._expression)), ')'),
    grouping_sets: $ => seq($.kw_grouping, $.kw_sets, '(', commaSep1(field('item', $._group_item)), ')'),

    having_clause: $ => seq($.kw_having, field('condition', $._expression)),

    order_by_clause: $ => seq($.kw_order, $.kw_by, commaSep1($.order_item)),

    order_item: $ => seq(
      $._expression,
      optional(choice($.kw_asc, $.kw_desc, seq($.kw_using, field('using', choice('<', '>', '<=', '>=', '=', '<>'))))),
      optional(seq($.kw_nulls, choice($.kw_first, $.kw_last))),
    ),

    // LIMIT n | ALL, or the standard's FETCH {FIRST | NEXT} [n] {ROW | ROWS} {ONLY | WITH TIES}
    limit_clause: $ => choice(
      seq($.kw_limit, choice($.kw_all, field('count', $._expression))),
      seq($.kw_fetch, choice($.kw_first, $.kw_next), optional(field('count', $._fetch_count)),
        choice($.kw_row, $.kw_rows), choice($.kw_only, field('ties', seq($.kw_with, $.kw_ties)))),
    ),
    // PostgreSQL's select_fetch_first_value: a constant, a parameter or a parenthesized expression
    _fetch_count: $ => choice($.integer, $.decimal, $.parameter, $.parenthesized, $.kw_null, $.string,
      seq(choice('-', '+'), choice($.integer, $.decimal))),

    offset_clause: $ => seq($.kw_offset, field('count', $._expression), optional(choice($.kw_row, $.kw_rows))),

    // ---- INSERT / UPDATE / DELETE --------------------------------------
    insert_statement: $ => seq(
      optional($.with_clause),
      $.kw_insert, $.kw_into,
      field('table', $._any_name),
      choice(
        seq(optional($.column_list), $.values_clause),
        seq($.kw_default, $.kw_values),
      ),
      optional($.returning_clause),
    ),

    column_list: $ => seq('(', commaSep1($._name), ')'),

    values_clause: $ => seq($.kw_values, commaSep1($.values_row)),

    values_row: $ => seq('(', commaSep1(choice($._expression, $.default)), ')'),

    default: $ => $.kw_default,

    returning_clause: $ => seq($.kw_returning, $.target_list),

    update_statement: $ => seq(
      optional($.with_clause),
      $.kw_update,
      $._dml_table,
      $.kw_set,
      commaSep1($.set_clause),
      optional($.where_clause),
      optional($.returning_clause),
    ),

    set_clause: $ => seq(
      field('column', $._name),
      repeat(seq('[', field('index', $._expression), ']')), // SET a[2] = x
      '=',
      field('value', choice($._expression, $.default)),
    ),

    delete_statement: $ => seq(
      optional($.with_clause),
      $.kw_delete, $.kw_from,
      $._dml_table,
      optional($.where_clause),
      optional($.returning_clause),
    ),

    _dml_table: $ => seq(
      field('table', $._any_name),
      optional(seq(optional($.kw_as), field('alias', $._name))),
    ),

    // ---- CREATE TABLE / DROP TABLE -------------------------------------
    create_table_statement: $ => seq(
      $.kw_create, $.kw_table,
      optional($.if_not_exists),
      field('table', $._any_name),
      '(',
      optional(commaSep1(choice($.column_def, $.table_constraint))),
      ')',
    ),

    if_not_exists: $ => seq($.kw_if, $.kw_not, $.kw_exists),

    column_def: $ => seq(
      field('name', $._name),
      field('type', $.type_name),
      repeat($.column_constraint),
    ),

    column_constraint: $ => seq(
      optional(seq($.kw_constraint, field('name', $._name))),
      choice(
        $.not_null, $.kw_null, $.primary_key, $.kw_unique,
        seq($.kw_default, field('default', $._default_expr)),
        seq($.kw_check, '(', field('check', $._expression), ')'),
        $.references,
      ),
    ),

    // DEFAULT's expression: PostgreSQL's b_expr, here in its usual forms (a
    // constant, a call, a cast, a parenthesized expression), so that a NOT
    // NULL after it stays a constraint.
    _default_expr: $ => prec(1, choice(
      $.integer, $.decimal, $.string, $.escape_string, $.dollar_string, $.kw_true, $.kw_false, $.kw_null,
      $.function_call, $.user_function, $.cast_call, $.typecast, $.typed_literal, $.parenthesized,
      $.array_constructor, $.unary_expression, $.binary_expression,
    )),

    // REFERENCES table [(columns)] [ON DELETE action] [ON UPDATE action]
    references: $ => seq(
      $.kw_references, field('table', $._any_name), optional($.column_list),
      repeat($.referential_action),
    ),

    referential_action: $ => seq(
      $.kw_on, field('event', choice($.kw_delete, $.kw_update)),
      field('action', choice($.kw_cascade, $.kw_restrict, seq($.kw_no, $.kw_action), seq($.kw_set, $.kw_null),
        seq($.kw_set, $.kw_default))),
    ),

    not_null: $ => seq($.kw_not, $.kw_null),

    primary_key: $ => seq($.kw_primary, $.kw_key),

    table_constraint: $ => seq(
      optional(seq($.kw_constraint, field('name', $._name))),
      choice(
        seq(choice($.primary_key, $.kw_unique), $.column_list),
        seq($.kw_check, '(', field('check', $._expression), ')'),
        seq($.kw_foreign, $.kw_key, $.column_list, $.references),
      ),
    ),

    // ALTER TABLE [IF EXISTS] name ADD constraint, ...
    alter_table_statement: $ => seq(
      $.kw_alter, $.kw_table, optional($.if_exists), field('table', $._any_name),
      commaSep1($.alter_table_command),
    ),

    alter_table_command: $ => seq($.kw_add, $.table_constraint),

    drop_table_statement: $ => seq(
      $.kw_drop, $.kw_table,
      optional($.if_exists),
      commaSep1(field('table', $._any_name)),
      optional(choice($.kw_cascade, $.kw_restrict)),
    ),

    if_exists: $ => seq($.kw_if, $.kw_exists),

    // ---- CREATE INDEX / DROP INDEX -------------------------------------
    create_index_statement: $ => seq(
      $.kw_create,
      optional($.kw_unique),
      $.kw_index,
      optional(choice(
        seq($.if_not_exists, field('name', $._name)),
        field('name', $._name),
      )),
      $.kw_on,
      field('table', $._any_name),
      optional(seq($.kw_using, field('method', $._name))),
      '(', commaSep1($.index_elem), ')',
    ),

    index_elem: $ => seq(
      field('column', $._name),
      optional(choice($.kw_asc, $.kw_desc)),
      optional(seq($.kw_nulls, choice($.kw_first, $.kw_last))),
    ),

    drop_index_statement: $ => seq(
      $.kw_drop, $.kw_index,
      optional($.if_exists),
      commaSep1(field('index', $._name)),
      optional(choice($.kw_cascade, $.kw_restrict)),
    ),

    // ---- CHECKPOINT ----------------------------------------------------
    checkpoint_statement: $ => $.kw_checkpoint,

    // ---- procedures and modules ------------------------------------------
    create_procedure_statement: $ => seq(
      $.kw_create,
      optional($.or_replace),
      choice(
        seq($.kw_procedure, field('name', $._name), '(', optional(commaSep1($.procedure_param)), ')'),
        seq(field('module', $.kw_module), field('name', $._name)),
      ),
      repeat1(choice(
        seq($.kw_language, field('language', choice($._name, $.string))),
        seq($.kw_as, field('body', choice($.string, $.escape_string, $.dollar_string))),
      )),
    ),

    or_replace: $ => seq($.kw_or, $.kw_replace),

    // [IN | OUT | INOUT] [name] type [DEFAULT expr | = expr]
    procedure_param: $ => seq(
      optional(field('mode', choice($.kw_in, $.kw_out, $.kw_inout))),
      optional(field('name', $._name)),
      field('type', $.type_name),
      optional(seq(choice($.kw_default, '='), field('default', $._expression))),
    ),

    drop_procedure_statement: $ => seq(
      $.kw_drop,
      choice($.kw_procedure, field('module', $.kw_module)),
      optional($.if_exists),
      commaSep1($.procedure_ref),
      optional(choice($.kw_cascade, $.kw_restrict)),
    ),

    procedure_ref: $ => seq(
      field('name', $._name),
      optional(seq('(', optional(commaSep1($.procedure_param)), ')')),
    ),

    call_statement: $ => seq(
      $.kw_call,
      field('name', $._name),
      '(', optional(commaSep1(field('arg', $._expression))), ')',
    ),

    // ---- COPY ----------------------------------------------------------
    // COPY t [(cols)] FROM STDIN | TO STDOUT, COPY (query) TO STDOUT, with
    // options in the parenthesized form or PostgreSQL's older keyword form.
    copy_statement: $ => seq(
      $.kw_copy,
      choice(
        seq(field('table', $._any_name), optional($.column_list), choice($.kw_from, $.kw_to)),
        seq('(', field('query', choice(
          $.select_statement, $.insert_statement, $.update_statement, $.delete_statement,
        )), ')', $.kw_to),
      ),
      optional($.kw_program),
      field('target', choice($.kw_stdin, $.kw_stdout, $.string)),
      optional($.kw_with),
      optional(choice(
        seq('(', commaSep1($.copy_option), ')'),
        repeat1($.copy_legacy_option),
      )),
    ),

    copy_option: $ => seq(
      field('name', choice(
        $._name, $.kw_null, $.kw_freeze, $.kw_header, $.kw_delimiter, $.kw_quote, $.kw_escape,
        $.kw_encoding, $.kw_binary, $.kw_csv,
      )),
      optional(field('value', choice(
        $._name, $.string, $.escape_string, $.integer, $.kw_true, $.kw_false, $.kw_on, $.kw_binary, $.kw_csv,
        $.star, $.column_list,
      ))),
    ),

    copy_legacy_option: $ => choice(
      $.kw_binary,
      $.kw_csv,
      $.kw_header,
      $.kw_freeze,
      seq(choice($.kw_delimiter, $.kw_null, $.kw_quote, $.kw_escape), optional($.kw_as),
        field('value', choice($.string, $.escape_string))),
      seq($.kw_encoding, field('value', choice($.string, $.escape_string))),
      seq($.kw_force, $.kw_quote, choice($.star, commaSep1($._name))),
      seq($.kw_force, $.kw_not, $.kw_null, commaSep1($._name)),
    ),

    // ---- roles ---------------------------------------------------------
    create_role_statement: $ => seq(
      $.kw_create, choice($.kw_role, field('user', $.kw_user)), field('name', $._name),
      optional($.kw_with), repeat($.role_option),
    ),

    alter_role_statement: $ => seq(
      $.kw_alter, choice($.kw_role, $.kw_user), field('name', $._name),
      choice(
        seq(optional($.kw_with), repeat1($.role_option)),
        seq($.kw_rename, $.kw_to, field('new_name', $._name)),
      ),
    ),

    drop_role_statement: $ => seq(
      $.kw_drop, choice($.kw_role, $.kw_user), optional($.if_exists), commaSep1(field('name', $._name)),
    ),

    role_option: $ => choice(
      $.kw_login, $.kw_nologin, $.kw_superuser, $.kw_nosuperuser, $.kw_createdb, $.kw_nocreatedb,
      $.kw_createrole, $.kw_nocreaterole, $.kw_inherit, $.kw_noinherit, $.kw_replication,
      $.kw_noreplication, $.kw_bypassrls, $.kw_nobypassrls,
      seq(optional($.kw_encrypted), $.kw_password, field('password', choice($.string, $.kw_null))),
      seq($.kw_connection, $.kw_limit, field('limit', $.signed_count)),
      seq($.kw_valid, $.kw_until, field('until', $.string)),
    ),

    // EXPLAIN [ANALYZE] [VERBOSE] statement | EXPLAIN (option [value], ...) statement
    explain_statement: $ => seq(
      $.kw_explain,
      optional(choice(
        seq('(', commaSep1($.explain_option), ')'),
        seq(field('analyze', choice($.kw_analyze, $.kw_analyse)), optional(field('verbose', $.kw_verbose))),
        field('verbose', $.kw_verbose),
      )),
      field('statement', choice($.select_statement, $.insert_statement, $.update_statement, $.delete_statement)),
    ),
    explain_option: $ => seq(field('name', choice($._name, $.kw_analyze, $.kw_analyse, $.kw_verbose)),
      optional(field('value', choice($._name, $.kw_true, $.kw_false, $.kw_on, $.integer, $.string)))),

    // ---- cursors -------------------------------------------------------
    declare_statement: $ => seq(
      $.kw_declare, field('name', $._name),
      repeat(choice($.kw_binary, $.kw_insensitive, field('scroll', seq(optional($.kw_no), $.kw_scroll)))),
      $.kw_cursor,
      optional(field('hold', seq(choice($.kw_with, $.kw_without), $.kw_hold))),
      $.kw_for, field('query', $.select_statement),
    ),

    // FETCH and MOVE: a direction, then FROM or IN, then the cursor.
    fetch_statement: $ => seq(
      choice($.kw_fetch, $.kw_move),
      optional(field('direction', $.fetch_direction)),
      optional(choice($.kw_from, $.kw_in)),
      field('name', $._name),
    ),

    fetch_direction: $ => choice(
      $.kw_next, $.kw_prior, $.kw_first, $.kw_last, $.kw_all,
      seq(choice($.kw_absolute, $.kw_relative), field('count', $.signed_count)),
      field('count', $.signed_count),
      seq(choice($.kw_forward, $.kw_backward), optional(choice(field('count', $.signed_count), $.kw_all))),
    ),

    signed_count: $ => seq(optional(choice('-', '+')), $.integer),

    close_statement: $ => seq($.kw_close, choice(field('name', $._name), $.kw_all)),

    // ---- LISTEN / UNLISTEN / NOTIFY -------------------------------------
    listen_statement: $ => seq($.kw_listen, field('channel', $._name)),
    unlisten_statement: $ => seq($.kw_unlisten, choice(field('channel', $._name), $.star)),
    notify_statement: $ => seq($.kw_notify, field('channel', $._name), optional(seq(',', field('payload', $.string)))),

    // ---- VACUUM --------------------------------------------------------
    vacuum_statement: $ => seq(
      $.kw_vacuum,
      optional($.vacuum_options),
      repeat(choice($.kw_full, $.kw_freeze, $.kw_verbose, $.kw_analyze)),
      optional(commaSep1(field('table', $._name))),
    ),

    vacuum_options: $ => seq('(', commaSep1($.vacuum_option), ')'),

    vacuum_option: $ => seq(
      choice($._name, $.kw_full, $.kw_freeze, $.kw_verbose, $.kw_analyze),
      optional(choice($._name, $.integer, $.string, $.kw_true, $.kw_false, $.kw_on)),
    ),

    // ---- SET / RESET / SHOW --------------------------------------------
    set_statement: $ => seq(
      $.kw_set,
      optional(choice($.kw_session, $.kw_local)),
      choice(
        seq(field('name', $._name), choice($.kw_to, '='), choice($.default, commaSep1($.set_value))),
        seq($.kw_transaction, $._transaction_modes),
        seq($.kw_time, $.kw_zone, field('zone', choice($.set_value, $.kw_local, $.default, $.interval_zone))),
        seq($.kw_names, optional(field('encoding', choice($.string, $.default)))),
        seq($.kw_schema, field('schema', $.string)),
        seq($.kw_role, field('role', choice($._name, $.string, $.kw_none))),
      ),
    ),

    // SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE (sequelize sends it).
    interval_zone: $ => seq($.kw_interval, $.string, optional(seq($.kw_hour, $.kw_to, $.kw_minute))),

    set_value: $ => choice(
      $._name,
      $.string,
      seq(optional(choice('-', '+')), choice($.integer, $.decimal)),
      $.kw_true,
      $.kw_false,
      $.kw_on,
    ),

    reset_statement: $ => seq($.kw_reset, choice(field('name', $._name), $.kw_all, seq($.kw_time, $.kw_zone), $.kw_role)),

    show_statement: $ => seq($.kw_show, choice(
      field('name', $._name),
      $.kw_all,
      seq($.kw_time, $.kw_zone),
      seq($.kw_transaction, $.kw_isolation, $.kw_level),
    )),

    type_name: $ => seq(
      choice(
        seq($.kw_double, $.kw_precision),
        seq(choice($.kw_timestamp, $.kw_time), optional($.type_modifiers),
          optional(seq(choice($.kw_with, $.kw_without), $.kw_time, $.kw_zone))),
        seq(choice($.kw_character, $.kw_char), optional($.kw_varying), optional($.type_modifiers)),
        seq($.kw_interval, choice($.interval_fields, optional($.type_modifiers))),
        seq($._any_name, optional($.type_modifiers)),
      ),
      optional($.array_bounds),
    ),

    // INTERVAL YEAR, DAY TO SECOND(3), ...: the fields an interval keeps
    interval_fields: $ => choice(
      $.kw_year, $.kw_month, $.kw_day, $.kw_hour, $.kw_minute, $._interval_second,
      seq($.kw_year, $.kw_to, $.kw_month),
      seq($.kw_day, $.kw_to, choice($.kw_hour, $.kw_minute, $._interval_second)),
      seq($.kw_hour, $.kw_to, choice($.kw_minute, $._interval_second)),
      seq($.kw_minute, $.kw_to, $._interval_second),
    ),
    _interval_second: $ => seq($.kw_second, optional($.type_modifiers)),

    // int[], int[3][], int ARRAY, int ARRAY[3]: sizes are not enforced, as in PostgreSQL
    array_bounds: $ => choice(
      repeat1(seq('[', optional($.integer), ']')),
      seq($.kw_array, optional(seq('[', optional($.integer), ']'))),
    ),

    type_modifiers: $ => seq('(', commaSep1($.type_modifier), ')'),

    type_modifier: $ => seq(optional('-'), $.integer),

    // ---- transactions --------------------------------------------------
    begin_statement: $ => choice(
      seq($.kw_begin, optional(choice($.kw_work, $.kw_transaction)), optional($._transaction_modes)),
      seq($.kw_start, $.kw_transaction, optional($._transaction_modes)),
    ),

    _transaction_modes: $ => seq(
      $._transaction_mode,
      repeat(seq(optional(','), $._transaction_mode)),
    ),

    _transaction_mode: $ => choice(
      $.isolation_level,
      $.read_only,
      $.read_write,
      $.deferrable,
    ),

    isolation_level: $ => seq($.kw_isolation, $.kw_level, choice(
      $.kw_serializable,
      seq($.kw_repeatable, $.kw_read),
      seq($.kw_read, $.kw_committed),
      seq($.kw_read, $.kw_uncommitted),
    )),

    read_only: $ => seq($.kw_read, $.kw_only),
    read_write: $ => seq($.kw_read, $.kw_write),
    deferrable: $ => seq(optional($.kw_not), $.kw_deferrable),

    commit_statement: $ => seq(
      choice($.kw_commit, $.kw_end),
      optional(choice($.kw_work, $.kw_transaction)),
      optional($._chain),
    ),

    rollback_statement: $ => choice(
      seq(
        choice($.kw_rollback, $.kw_abort),
        optional(choice($.kw_work, $.kw_transaction)),
        optional($._chain),
      ),
      seq(
        $.kw_rollback,
        optional(choice($.kw_work, $.kw_transaction)),
        $.kw_to, optional($.kw_savepoint), field('savepoint', $._name),
      ),
    ),

    savepoint_statement: $ => seq($.kw_savepoint, field('name', $._name)),

    release_statement: $ => seq($.kw_release, optional($.kw_savepoint), field('name', $._name)),

    _chain: $ => seq($.kw_and, choice($.and_chain, $.and_no_chain)),
    and_chain: $ => $.kw_chain,
    and_no_chain: $ => seq($.kw_no, $.kw_chain),

    // ---- expressions ---------------------------------------------------
    _expression: $ => choice(
      $.integer,
      $.decimal,
      $.string,
      $.escape_string,
      $.dollar_string,
      $.unicode_string,
      $.kw_true,
      $.kw_false,
      $.kw_null,
      $.parameter,
      $.column_ref,
      $.qualified_star,
      $.field_selection,
      $.function_call,
      $.user_function,
      $.cast_call,
      $.typecast,
      $.unary_expression,
      $.binary_expression,
      $.like_expression,
      $.at_time_zone,
      $.typed_literal,
      $.is_null,
      $.parenthesized,
      $.array_constructor,
      $.subscript,
      $.quantified_comparison,
      $.case_expression,
      $.between_expression,
      $.in_expression,
      $.is_distinct,
      $.boolean_test,
      $.subquery,
      $.exists,
      $.collate,
      $.operator_call,
      $.row_constructor,
    ),

    // ROW(a, b, ...) or (a, b, ...): a row, for comparisons, IN and IS NULL
    row_constructor: $ => choice(
      seq($.kw_row, '(', optional(commaSep1(field('item', $._expression))), ')'),
      // below an IN list's items: f(x IN (a, b)) is x IN (a, b), not position's IN
      prec(-1, seq('(', field('item', $._expression), ',', commaSep1(field('item', $._expression)), ')')),
    ),

    // (SELECT ...) as a value; EXISTS (SELECT ...)
    subquery: $ => seq('(', field('query', $.select_statement), ')'),
    exists: $ => seq($.kw_exists, $.subquery),

    // CASE [arg] WHEN ... THEN ... [ELSE ...] END
    case_expression: $ => seq(
      $.kw_case,
      optional(field('arg', $._expression)),
      repeat1($.when_clause),
      optional(seq($.kw_else, field('else', $._expression))),
      $.kw_end,
    ),
    when_clause: $ => seq($.kw_when, field('when', $._expression), $.kw_then, field('then', $._expression)),

    // a [NOT] BETWEEN [SYMMETRIC] b AND c; the bound before AND may not
    // itself be an AND (PostgreSQL's b_expr), which precedence says here
    between_expression: $ => prec.left(PREC.like, seq(
      field('left', $._expression),
      optional(field('not', $.kw_not)),
      $.kw_between,
      optional(field('symmetric', choice($.kw_symmetric, $.kw_asymmetric))),
      field('low', $._expression),
      $.kw_and,
      field('high', $._expression),
    )),

    // a [NOT] IN (b, c, ...) or a [NOT] IN (SELECT ...)
    in_expression: $ => prec.left(PREC.like, seq(
      field('left', $._expression),
      optional(field('not', $.kw_not)),
      $.kw_in,
      choice(
        seq('(', commaSep1(field('item', $._expression)), ')'),
        field('query', $.subquery),
      ),
    )),

    // a IS [NOT] DISTINCT FROM b
    is_distinct: $ => prec.left(PREC.is, seq(
      field('left', $._expression),
      $.kw_is, optional(field('not', $.kw_not)), $.kw_distinct, $.kw_from,
      field('right', $._expression),
    )),

    // a IS [NOT] TRUE | FALSE | UNKNOWN
    boolean_test: $ => prec.left(PREC.is, seq(
      field('arg', $._expression),
      $.kw_is, optional(field('not', $.kw_not)),
      field('value', choice($.kw_true, $.kw_false, $.kw_unknown)),
    )),

    // ARRAY[a, b, ...]
    array_constructor: $ => choice(
      seq($.kw_array, '[', optional(commaSep1(choice($._expression, $.sub_array))), ']'),
      seq($.kw_array, field('query', $.subquery)), // ARRAY(SELECT ...)
    ),
    // ARRAY[[1, 2], [3, 4]]: more than one dimension (refused when lowering)
    sub_array: $ => seq('[', optional(commaSep1(choice($._expression, $.sub_array))), ']'),

    // a[i], a[lo:hi], a[:hi], a[lo:]: after a column, a parameter, a
    // parenthesized expression or another subscript, as in PostgreSQL
    subscript: $ => prec(PREC.subscript, seq(
      field('value', choice($.column_ref, $.parameter, $.parenthesized, $.subscript)),
      '[',
      choice(
        field('index', $._expression),
        seq(optional(field('lower', $._expression)), ':', optional(field('upper', $._expression))),
      ),
      ']',
    )),

    // x = ANY (array), x <> ALL (array), SOME as ANY
    quantified_comparison: $ => prec.left(PREC.compare, seq(
      field('left', $._expression),
      field('operator', choice('=', '<>', '!=', '<', '<=', '>', '>=')),
      field('quantifier', choice($.kw_any, $.kw_some, $.kw_all)),
      choice(seq('(', field('right', $._expression), ')'), field('query', $.subquery)),
    )),

    parenthesized: $ => seq('(', $._expression, ')'),

    // column, table.column, schema.table.column, database.schema.table.column
    column_ref: $ => prec.left(seq(
      field('name', $._name),
      optional(seq('.', field('column', $._name),
        optional(seq('.', field('column2', $._name),
          optional(seq('.', field('column3', $._name))))))),
    )),

    // table.*, schema.table.*, database.schema.table.*
    qualified_star: $ => seq(
      field('table', $._name),
      optional(seq('.', field('table2', $._name), optional(seq('.', field('table3', $._name))))),
      '.', '*',
    ),

    // (expression).field, (expression).*
    field_selection: $ => prec(PREC.subscript, seq(
      field('value', $.parenthesized), '.', choice(field('field', $._name), $.star),
    )),

    // f(args), and an aggregate's f(DISTINCT args ORDER BY ...) FILTER (WHERE ...)
    function_call: $ => seq(
      field('name', $._any_name),
      '(',
      optional(choice(
        $.star,
        seq(
          optional(field('quantifier', choice($.kw_distinct, $.kw_all))),
          commaSep1(field('arg', $._expression)),
          optional(field('order', $.order_by_clause)),
        ),
        $.special_args,
      )),
      ')',
      optional(seq($.kw_filter, '(', $.kw_where, field('filter', $._expression), ')')),
      optional(seq($.kw_over, field('over', choice($._name, $.window_spec)))),
    ),

    // ([base] [PARTITION BY ...] [ORDER BY ...] [frame])
    window_spec: $ => seq(
      '(',
      optional(field('base', $._name)),
      optional(seq($.kw_partition, $.kw_by, commaSep1(field('partition', $._expression)))),
      optional(field('order', $.order_by_clause)),
      optional(field('frame', $.frame_clause)),
      ')',
    ),

    // {ROWS | RANGE | GROUPS} {start | BETWEEN start AND end} [EXCLUDE ...]
    frame_clause: $ => seq(
      field('mode', choice($.kw_rows, $.kw_range, $.kw_groups)),
      choice(
        field('start', $.frame_bound),
        seq($.kw_between, field('start', $.frame_bound), $.kw_and, field('end', $.frame_bound)),
      ),
      optional(seq($.kw_exclude, field('exclude', choice(
        seq($.kw_current, $.kw_row), $.kw_group, $.kw_ties, seq($.kw_no, $.kw_others))))),
    ),

    frame_bound: $ => choice(
      seq(field('unbounded', $.kw_unbounded), field('side', choice($.kw_preceding, $.kw_following))),
      seq(field('current', $.kw_current), $.kw_row),
      seq(field('offset', $._expression), field('side', choice($.kw_preceding, $.kw_following))),
    ),

    // WINDOW w AS (...), ...
    window_clause: $ => seq($.kw_window, commaSep1($.window_definition)),
    window_definition: $ => seq(field('name', $._name), $.kw_as, field('spec', $.window_spec)),

    // The SQL-standard argument forms of substring, position, trim and
    // overlay (the binder checks which function may use which).
    special_args: $ => choice(
      seq(field('arg', $._expression), $.kw_from, field('from', $._expression),
        optional(seq($.kw_for, field('for', $._expression)))),
      seq(field('arg', $._expression), $.kw_for, field('for', $._expression)),
      seq(field('arg', $._expression), $.kw_in, field('in', $._expression)),
      seq(field('arg', $._expression), $.kw_placing, field('placing', $._expression), $.kw_from,
        field('from', $._expression), optional(seq($.kw_for, field('for', $._expression)))),
      seq(field('side', choice($.kw_leading, $.kw_trailing, $.kw_both)),
        optional(field('arg', $._expression)), $.kw_from, field('from', $._expression)),
      seq(field('side', choice($.kw_leading, $.kw_trailing, $.kw_both)), field('from', $._expression)),
      seq($.kw_from, field('from', $._expression)),
    ),

    // current_user and friends: functions written without parentheses.
    user_function: $ => choice($.kw_current_user, $.kw_session_user, $.kw_current_role, $.kw_user,
      $.kw_current_date,
      // current_time(p) and the others: their seconds rounded to p places
      seq(choice($.kw_current_time, $.kw_current_timestamp, $.kw_localtime, $.kw_localtimestamp),
        optional(seq('(', field('precision', $.integer), ')')))),

    // x AT TIME ZONE zone
    at_time_zone: $ => prec.left(PREC.at, seq(
      field('value', $._expression), $.kw_at, $.kw_time, $.kw_zone, field('zone', $._expression))),

    // type 'literal': date '2024-01-05', uuid '...', timestamptz '...'
    typed_literal: $ => choice(
      seq(field('type', $._name), field('value', $.string)),
      // INTERVAL '2' HOUR: the fields say what the number means
      seq($.kw_interval, field('value', $.string), optional($.interval_fields)),
      seq($.kw_interval, $.type_modifiers, field('value', $.string)),
    ),

    cast_call: $ => seq($.kw_cast, '(', $._expression, $.kw_as, $.type_name, ')'),

    typecast: $ => prec.left(PREC.cast, seq($._expression, '::', $.type_name)),

    // x COLLATE name
    collate: $ => prec.left(PREC.at, seq(field('arg', $._expression), $.kw_collate,
      field('collation', seq(optional(seq(field('schema', $._name), '.')), field('name', $._name))))),

    // a OPERATOR([schema.]op) b
    operator_call: $ => prec.left(PREC.op, seq(
      field('left', $._expression),
      $.kw_operator, '(', optional(seq(field('schema', $._name), '.')),
      field('operator', choice('=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '^', '||', ...OTHER_OPERATORS)),
      ')',
      field('right', $._expression),
    )),

    unary_expression: $ => choice(
      prec(PREC.unary, seq(field('operator', choice('-', '+')), field('operand', $._expression))),
      prec.right(PREC.not, seq(field('operator', $.kw_not), field('operand', $._expression))),
      // prefix operators bind as any other operator does: @ -2 + 3 is @ ((-2) + 3)
      prec.right(PREC.op, seq(field('operator', choice('@', '|/', '||/', '~')), field('operand', $._expression))),
    ),

    binary_expression: $ => {
      const table = [
        [PREC.or, $.kw_or],
        [PREC.and, $.kw_and],
        [PREC.compare, choice('=', '<>', '!=', '<', '<=', '>', '>=')],
        [PREC.op, choice('||', ...OTHER_OPERATORS)],
        [PREC.add, choice('+', '-')],
        [PREC.mul, choice('*', '/', '%')],
        [PREC.pow, '^'],
      ];
      return choice(...table.map(([p, op]) => prec.left(p, seq(
        field('left', $._expression),
        field('operator', op),
        field('right', $._expression),
      ))));
    },

    // a [NOT] LIKE | ILIKE | SIMILAR TO b [ESCAPE c]
    like_expression: $ => prec.left(PREC.like, seq(
      field('left', $._expression),
      optional(field('not', $.kw_not)),
      field('operator', choice($.kw_like, $.kw_ilike, seq($.kw_similar, $.kw_to))),
      field('right', $._expression),
      optional(seq($.kw_escape, field('escape', $._expression))),
    )),

    is_null: $ => prec.left(PREC.is, seq(
      $._expression,
      choice(
        seq($.kw_is, optional($.kw_not), $.kw_null),
        $.kw_isnull,
        $.kw_notnull,
      ),
    )),

    // ---- tokens ----------------------------------------------------------
    _name: $ => choice($.identifier, $.quoted_identifier),

    // a name, or schema.name (a table, function or type in a schema)
    _any_name: $ => choice($._name, $.qualified_name),
    qualified_name: $ => seq(field('schema', $._name), '.', field('name', $._name)),

    identifier: _ => /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/,

    quoted_identifier: _ => /"([^"]|"")+"/,

    integer: _ => /[0-9]+/,

    decimal: _ => token(choice(
      /[0-9]+\.[0-9]*([eE][+-]?[0-9]+)?/,
      /\.[0-9]+([eE][+-]?[0-9]+)?/,
      /[0-9]+[eE][+-]?[0-9]+/,
    )),

    string: _ => /'([^']|'')*'/,

    escape_string: _ => /[eE]'([^'\\]|\\(.|\n)|'')*'/,

    // U&'d\0061t\+000061' [UESCAPE '!']: code points escaped
    unicode_string: $ => seq(field('value', $.unicode_text), optional(seq($.kw_uescape, field('escape', $.string)))),
    unicode_text: _ => /[uU]&'([^']|'')*'/,

    parameter: _ => /\$[0-9]+/,

    comment: _ => token(choice(
      seq('--', /[^\n]*/),
      seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'),
    )),

  },
});
