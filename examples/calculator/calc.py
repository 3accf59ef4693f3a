"""calc: a small command-line calculator.

Evaluates arithmetic expressions safely (no eval): numbers, + - * / // % **,
parentheses, unary minus, and a few functions from the math module.

    calc "2 * (3 + 4)"      -> 14
    calc "sqrt(2) ** 2"     -> 2.0000000000000004
"""

import ast
import math
import operator
import sys

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_FUNCTIONS = {name: getattr(math, name) for name in ("sqrt", "sin", "cos", "tan", "log", "exp", "floor", "ceil")}
_CONSTANTS = {"pi": math.pi, "e": math.e}


class CalcError(ValueError):
    pass


def evaluate(expression: str):
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as err:
        raise CalcError(f"cannot parse {expression!r}: {err.msg}") from None
    return _eval(tree.body)


def _eval(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 1000:
            raise CalcError("exponent too large")
        try:
            return _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise CalcError("division by zero") from None
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS and len(node.args) == 1 and not node.keywords):
        return _FUNCTIONS[node.func.id](_eval(node.args[0]))
    raise CalcError(f"unsupported element: {ast.dump(node)[:40]}")


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: calc EXPRESSION", file=sys.stderr)
        return 2
    try:
        print(evaluate(" ".join(args)))
    except CalcError as err:
        print(f"calc: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
