package io.ipdm.operators.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.flink.types.Row;

/**
 * Turns a type-checked CEL expression into a tree of Java closures, for the subset that filters and
 * projections mostly use: literals, fields, {@code && || ! ?:}, comparisons, equality, arithmetic,
 * {@code in}, {@code size}, {@code contains startsWith endsWith}, and {@code int() double()}.
 * Anything else is left to CEL's interpreter (the whole expression). The semantics are CEL's:
 * {@code &&} and {@code ||} absorb an error when the other side decides, integer overflow and
 * division by zero are errors, values of different types are unequal. {@code NativeExpressionTest}
 * checks every construct against the interpreter.
 */
final class NativeCompiler {
    /** An evaluation error (CEL's error value); a null field is a plain Java null. */
    record Err(String message) {}

    /** Per-evaluation state: whether a null field was read. */
    static final class State {
        boolean sawNull;
    }

    interface Node {
        Object eval(Row row, State st);
    }

    private final Map<String, Integer> positions;
    private final Map<String, CelTypeMapping.FieldBinding> bindings;
    private final CelAbstractSyntaxTree ast;

    private NativeCompiler(CelCompilation.Compiled compiled) {
        this.positions = compiled.positions();
        this.bindings = compiled.bindings();
        this.ast = compiled.ast();
    }

    /** The compiled tree, or empty when the expression uses something outside the subset. */
    static Optional<Node> compile(CelCompilation.Compiled compiled) {
        try {
            return Optional.of(new NativeCompiler(compiled).node(compiled.ast().getExpr()));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private Node node(CelExpr e) {
        return switch (e.exprKind().getKind()) {
            case CONSTANT -> constant(e.constant());
            case IDENT -> field(e.ident().name());
            case CALL -> call(e.call().function(), e.call().target().orElse(null), e.call().args());
            case LIST -> list(e.list().elements());
            default -> throw new Unsupported();
        };
    }

    private static Node constant(CelConstant c) {
        Object v =
                switch (c.getKind()) {
                    case INT64_VALUE -> c.int64Value();
                    case DOUBLE_VALUE -> c.doubleValue();
                    case STRING_VALUE -> c.stringValue();
                    case BOOLEAN_VALUE -> c.booleanValue();
                    case NULL_VALUE -> null;
                    default -> throw new Unsupported();
                };
        return (row, st) -> v;
    }

    private Node field(String name) {
        Integer pos = positions.get(name);
        if (pos == null) {
            throw new Unsupported();
        }
        int p = pos;
        Function<Object, Object> conv = bindings.get(name).toCel();
        if (conv == Function.<Object>identity()) {
            return (row, st) -> {
                Object v = row.getField(p);
                if (v == null) {
                    st.sawNull = true;
                }
                return v;
            };
        }
        return (row, st) -> {
            Object v = row.getField(p);
            if (v == null) {
                st.sawNull = true;
                return null;
            }
            return conv.apply(v);
        };
    }

    private Node list(List<CelExpr> elements) {
        Node[] nodes = elements.stream().map(this::node).toArray(Node[]::new);
        if (elements.stream()
                .allMatch(e -> e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT)) {
            List<Object> constant = new ArrayList<>();
            for (Node n : nodes) {
                constant.add(n.eval(null, null));
            }
            List<Object> fixed = java.util.Collections.unmodifiableList(constant);
            return (row, st) -> fixed;
        }
        return (row, st) -> {
            List<Object> out = new ArrayList<>(nodes.length);
            for (Node n : nodes) {
                Object v = n.eval(row, st);
                if (v instanceof Err) {
                    return v;
                }
                out.add(v);
            }
            return out;
        };
    }

    private Node call(String fn, CelExpr target, List<CelExpr> args) {
        if (target != null) {
            Node t = node(target);
            Node a = args.size() == 1 ? node(args.get(0)) : null;
            return switch (fn) {
                case "contains" -> stringTest(t, a, String::contains);
                case "startsWith" -> stringTest(t, a, String::startsWith);
                case "endsWith" -> stringTest(t, a, String::endsWith);
                case "size" -> args.isEmpty() ? unary(t, NativeCompiler::size) : unsupported();
                default -> unsupported();
            };
        }
        if ((fn.equals("int") || fn.equals("double"))
                && args.size() == 1
                && ast.getType(args.get(0).id())
                        .map(t -> t.kind() == CelKind.STRING)
                        .orElse(true)) {
            throw new Unsupported(); // CEL's number parsing rules: left to the interpreter
        }
        Node[] n = args.stream().map(this::node).toArray(Node[]::new);
        return switch (fn) {
            case "_&&_" -> and(n[0], n[1]);
            case "_||_" -> or(n[0], n[1]);
            case "!_" -> unary(n[0], v -> v instanceof Boolean b ? !b : noOverload("!"));
            case "_?_:_" -> conditional(n[0], n[1], n[2]);
            case "_==_" -> binary(n[0], n[1], NativeCompiler::equal);
            case "_!=_" ->
                    binary(
                            n[0],
                            n[1],
                            (a, b) -> equal(a, b) instanceof Boolean x ? !x : noOverload("!="));
            case "_<_" -> compare(n[0], n[1], "<", c -> c < 0);
            case "_<=_" -> compare(n[0], n[1], "<=", c -> c <= 0);
            case "_>_" -> compare(n[0], n[1], ">", c -> c > 0);
            case "_>=_" -> compare(n[0], n[1], ">=", c -> c >= 0);
            case "_+_" -> binary(n[0], n[1], NativeCompiler::add);
            case "_-_" -> binary(n[0], n[1], NativeCompiler::subtract);
            case "_*_" -> binary(n[0], n[1], NativeCompiler::multiply);
            case "_/_" -> binary(n[0], n[1], NativeCompiler::divide);
            case "_%_" -> binary(n[0], n[1], NativeCompiler::modulo);
            case "-_" -> unary(n[0], NativeCompiler::negate);
            case "@in" -> binary(n[0], n[1], NativeCompiler::in);
            case "size" -> n.length == 1 ? unary(n[0], NativeCompiler::size) : unsupported();
            case "int" -> n.length == 1 ? unary(n[0], NativeCompiler::toInt) : unsupported();
            case "double" -> n.length == 1 ? unary(n[0], NativeCompiler::toDouble) : unsupported();
            default -> unsupported();
        };
    }

    private static Node unsupported() {
        throw new Unsupported();
    }

    private static Err noOverload(String op) {
        return new Err("no matching overload for '" + op + "'");
    }

    private static Node and(Node l, Node r) {
        return (row, st) -> {
            Object a = l.eval(row, st);
            if (Boolean.FALSE.equals(a)) {
                return false;
            }
            Object b = r.eval(row, st);
            if (Boolean.FALSE.equals(b)) {
                return false;
            }
            if (a instanceof Boolean && b instanceof Boolean) {
                return true;
            }
            return a instanceof Err ? a : b instanceof Err ? b : noOverload("&&");
        };
    }

    private static Node or(Node l, Node r) {
        return (row, st) -> {
            Object a = l.eval(row, st);
            if (Boolean.TRUE.equals(a)) {
                return true;
            }
            Object b = r.eval(row, st);
            if (Boolean.TRUE.equals(b)) {
                return true;
            }
            if (a instanceof Boolean && b instanceof Boolean) {
                return false;
            }
            return a instanceof Err ? a : b instanceof Err ? b : noOverload("||");
        };
    }

    private static Node conditional(Node c, Node t, Node f) {
        return (row, st) -> {
            Object v = c.eval(row, st);
            if (v instanceof Boolean b) {
                return b ? t.eval(row, st) : f.eval(row, st);
            }
            return v instanceof Err ? v : noOverload("?:");
        };
    }

    private static Node unary(Node n, Function<Object, Object> f) {
        return (row, st) -> {
            Object v = n.eval(row, st);
            return v instanceof Err ? v : f.apply(v);
        };
    }

    private interface BinaryOp {
        Object apply(Object a, Object b);
    }

    private static Node binary(Node l, Node r, BinaryOp op) {
        return (row, st) -> {
            Object a = l.eval(row, st);
            if (a instanceof Err) {
                return a;
            }
            Object b = r.eval(row, st);
            return b instanceof Err ? b : op.apply(a, b);
        };
    }

    private interface StringTest {
        boolean test(String s, String arg);
    }

    private static Node stringTest(Node target, Node arg, StringTest test) {
        if (arg == null) {
            throw new Unsupported();
        }
        return binary(
                target,
                arg,
                (a, b) ->
                        a instanceof String s && b instanceof String x
                                ? test.test(s, x)
                                : noOverload("string function"));
    }

    private interface Comparison {
        boolean test(int c);
    }

    private static Node compare(Node l, Node r, String op, Comparison cmp) {
        return binary(
                l,
                r,
                (a, b) -> {
                    if (a instanceof Long x && b instanceof Long y) {
                        return cmp.test(Long.compare(x, y));
                    }
                    if (a instanceof Number x && b instanceof Number y) {
                        double dx = x.doubleValue();
                        double dy = y.doubleValue();
                        if (Double.isNaN(dx) || Double.isNaN(dy)) {
                            return false;
                        }
                        return cmp.test(Double.compare(dx == 0.0 ? 0.0 : dx, dy == 0.0 ? 0.0 : dy));
                    }
                    if (a instanceof String x && b instanceof String y) {
                        return cmp.test(x.compareTo(y));
                    }
                    if (a instanceof Boolean x && b instanceof Boolean y) {
                        return cmp.test(Boolean.compare(x, y));
                    }
                    return noOverload(op);
                });
    }

    static Object equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (a instanceof Long && b instanceof Long) {
                return a.equals(b);
            }
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!Boolean.TRUE.equals(equal(x.get(i), y.get(i)))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static Object in(Object elem, Object list) {
        if (!(list instanceof List<?> l)) {
            return noOverload("in");
        }
        for (Object o : l) {
            if (Boolean.TRUE.equals(equal(elem, o))) {
                return true;
            }
        }
        return false;
    }

    private static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x + y;
            return ((x ^ r) & (y ^ r)) < 0 ? new Err("integer overflow") : (Object) r;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x + y;
        }
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x.size() + y.size());
            out.addAll(x);
            out.addAll(y);
            return out;
        }
        return noOverload("+");
    }

    private static Object subtract(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x - y;
            return ((x ^ y) & (x ^ r)) < 0 ? new Err("integer overflow") : (Object) r;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x - y;
        }
        return noOverload("-");
    }

    private static Object multiply(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long hi = Math.multiplyHigh(x, y);
            long lo = x * y;
            return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0)
                    ? (Object) lo
                    : new Err("integer overflow");
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x * y;
        }
        return noOverload("*");
    }

    private static Object divide(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            if (y == 0) {
                return new Err("divide by zero");
            }
            if (x == Long.MIN_VALUE && y == -1) {
                return new Err("integer overflow");
            }
            return x / y;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x / y;
        }
        return noOverload("/");
    }

    private static Object modulo(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            if (y == 0) {
                return new Err("modulus by zero");
            }
            if (x == Long.MIN_VALUE && y == -1) {
                return new Err("integer overflow");
            }
            return x % y;
        }
        return noOverload("%");
    }

    private static Object negate(Object v) {
        if (v instanceof Long x) {
            return x == Long.MIN_VALUE ? new Err("integer overflow") : (Object) (-x);
        }
        if (v instanceof Double x) {
            return -x;
        }
        return noOverload("-");
    }

    private static Object size(Object v) {
        if (v instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        if (v instanceof List<?> l) {
            return (long) l.size();
        }
        return noOverload("size");
    }

    private static Object toInt(Object v) {
        if (v instanceof Long) {
            return v;
        }
        if (v instanceof Double d) {
            // CEL truncates toward zero and rejects values outside the int range
            if (Double.isNaN(d) || d <= -0x1p63 || d >= 0x1p63) {
                return new Err("double is out of range for int");
            }
            return (long) d.doubleValue();
        }
        return noOverload("int");
    }

    private static Object toDouble(Object v) {
        if (v instanceof Double) {
            return v;
        }
        if (v instanceof Long l) {
            return l.doubleValue();
        }
        return noOverload("double");
    }
}
