export { compileExpr, truthy, regexProblem, EXPR_LIMITS, ExprSyntaxError, ExprRuntimeError, type Expr, type Scope } from './compile.js';
export { compileTemplate, compileBareOrTemplate, findPlaceholders, TemplateSyntaxError, type Template } from './template.js';
export { FUNCTIONS, deepEqual } from './functions.js';
export { compilePattern, testPattern, patternProblem, slashPattern, PatternError, type Pattern } from './pattern.js';
export { VALUE_LIMITS, ValueLimitError, bounded } from './limits.js';
export { markupLoading } from './markup.js';
