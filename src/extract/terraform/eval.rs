//! Terraform's functions and operators over lowered values, as `terraform plan` evaluates
//! them when their arguments are known: what a module computes from literals, locals and a
//! caller's inputs (`concat`, `merge`, `length(var.x) > 0 ? [1] : []`, ...).
//!
//! A result is known only when every part it depends on is; a value only known at deploy
//! time makes the result unknown, never `"*"`, empty or literal text. An error (a missing
//! key, a wrong type) is told apart from unknown so that `try()` and `can()` can fall back.

use crate::base::source::Span;
use crate::base::value::{Member, Value, ValueKind};
use hcl_edit::expr::{BinaryOperator, UnaryOperator};

/// What evaluating an expression gives.
#[derive(Debug, PartialEq)]
pub(super) enum Eval {
    Known(Value),
    /// Only known at deploy time.
    Unknown,
    /// Terraform would stop here (a missing key, a wrong type): `try()` takes the next
    /// argument.
    Error,
}

use Eval::{Error, Known, Unknown};

/// Whether a value holds no unknown part anywhere (a template hole counts as unknown).
pub(super) fn is_known(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Unknown(_) | ValueKind::Template(_) => false,
        ValueKind::Array(items) => items.iter().all(is_known),
        ValueKind::Object(members) => members.iter().all(|m| is_known(&m.value)),
        _ => true,
    }
}

fn is_unknown(value: &Value) -> bool {
    matches!(value.kind, ValueKind::Unknown(_) | ValueKind::Template(_))
}

/// Whether two fully known values are equal as Terraform compares them.
fn equal(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::Number(x), ValueKind::Number(y)) => number(x) == number(y),
        _ => a.to_json() == b.to_json(),
    }
}

fn number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}

/// A number as Terraform prints it: whole numbers without a fraction.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A scalar as Terraform converts it to a string; `None` for collections and null.
fn string_of(value: &Value) -> Option<String> {
    match &value.kind {
        ValueKind::String(text) | ValueKind::Number(text) => Some(text.clone()),
        ValueKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn known(span: Span, kind: ValueKind) -> Eval {
    Known(Value::new(span, kind))
}

/// `condition ? a : b` once the condition is known: the branch to take.
pub(super) fn truth(condition: &Value) -> Result<bool, Eval> {
    match &condition.kind {
        ValueKind::Bool(b) => Ok(*b),
        ValueKind::String(text) if text == "true" || text == "false" => Ok(text == "true"),
        _ if is_unknown(condition) => Err(Unknown),
        _ => Err(Error),
    }
}

pub(super) fn unary(operator: UnaryOperator, operand: Value, span: Span) -> Eval {
    if is_unknown(&operand) {
        return Unknown;
    }
    match (operator, &operand.kind) {
        (UnaryOperator::Not, _) => match truth(&operand) {
            Ok(b) => known(span, ValueKind::Bool(!b)),
            Err(outcome) => outcome,
        },
        (UnaryOperator::Neg, ValueKind::Number(n)) => match number(n) {
            Some(n) => known(span, ValueKind::Number(number_text(-n))),
            None => Error,
        },
        _ => Error,
    }
}

pub(super) fn binary(operator: BinaryOperator, lhs: Value, rhs: Value, span: Span) -> Eval {
    use BinaryOperator as Op;
    // `false && x` and `true || x` are known whatever `x` is.
    if let Op::And | Op::Or = operator {
        let decided = matches!(operator, Op::Or);
        for side in [&lhs, &rhs] {
            if truth(side) == Ok(decided) {
                return known(span, ValueKind::Bool(decided));
            }
        }
        return match (truth(&lhs), truth(&rhs)) {
            (Ok(_), Ok(_)) => known(span, ValueKind::Bool(!decided)),
            (Err(Error), _) | (_, Err(Error)) => Error,
            _ => Unknown,
        };
    }
    if !is_known(&lhs) || !is_known(&rhs) {
        return Unknown;
    }
    match operator {
        Op::Eq => known(span, ValueKind::Bool(equal(&lhs, &rhs))),
        Op::NotEq => known(span, ValueKind::Bool(!equal(&lhs, &rhs))),
        _ => {
            let (Some(a), Some(b)) = (
                string_of(&lhs).and_then(|t| number(&t)),
                string_of(&rhs).and_then(|t| number(&t)),
            ) else {
                return Error;
            };
            let kind = match operator {
                Op::Less => ValueKind::Bool(a < b),
                Op::LessEq => ValueKind::Bool(a <= b),
                Op::Greater => ValueKind::Bool(a > b),
                Op::GreaterEq => ValueKind::Bool(a >= b),
                Op::Plus => ValueKind::Number(number_text(a + b)),
                Op::Minus => ValueKind::Number(number_text(a - b)),
                Op::Mul => ValueKind::Number(number_text(a * b)),
                Op::Div if b != 0.0 => ValueKind::Number(number_text(a / b)),
                Op::Mod if b != 0.0 => ValueKind::Number(number_text(a % b)),
                _ => return Error,
            };
            known(span, kind)
        }
    }
}

/// The items of a list argument, `Err` when it is not one (yet).
fn list(value: &Value) -> Result<&[Value], Eval> {
    match &value.kind {
        ValueKind::Array(items) => Ok(items),
        _ if is_unknown(value) => Err(Unknown),
        _ => Err(Error),
    }
}

fn object(value: &Value) -> Result<&[Member], Eval> {
    match &value.kind {
        ValueKind::Object(members) => Ok(members),
        _ if is_unknown(value) => Err(Unknown),
        _ => Err(Error),
    }
}

/// A string argument (numbers and booleans convert), `Err` when it is not known.
fn text(value: &Value) -> Result<String, Eval> {
    match string_of(value) {
        Some(text) => Ok(text),
        None if is_unknown(value) => Err(Unknown),
        None => Err(Error),
    }
}

/// Calls a Terraform function whose arguments are evaluated; `None` when iamlint does not
/// evaluate that function (its result is then unknown).
pub(super) fn call(name: &str, args: Vec<Value>, span: Span) -> Option<Eval> {
    let outcome = match name {
        "tolist" | "tomap" | "tostring" | "tonumber" | "tobool" => match args.as_slice() {
            [only] if is_unknown(only) => Unknown,
            [_] => Known(args.into_iter().next()?),
            _ => Error,
        },
        "toset" | "distinct" => one_arg(&args, |value| {
            let items = list(value)?;
            if !items.iter().all(is_known) {
                return Err(Unknown);
            }
            let mut kept: Vec<Value> = Vec::new();
            for item in items {
                if !kept.iter().any(|k| equal(k, item)) {
                    kept.push(item.clone());
                }
            }
            Ok(Value::new(span, ValueKind::Array(kept)))
        }),
        "concat" => result(
            args.iter()
                .try_fold(Vec::new(), |mut all, arg| {
                    all.extend_from_slice(list(arg)?);
                    Ok(all)
                })
                .map(|items| Value::new(span, ValueKind::Array(items))),
        ),
        "flatten" => one_arg(&args, |value| {
            let mut out = Vec::new();
            flatten_into(value, &mut out)?;
            Ok(Value::new(span, ValueKind::Array(out)))
        }),
        "compact" => one_arg(&args, |value| {
            let mut out = Vec::new();
            for item in list(value)? {
                match &item.kind {
                    ValueKind::Null => {}
                    ValueKind::String(text) if text.is_empty() => {}
                    ValueKind::String(_) | ValueKind::Number(_) | ValueKind::Bool(_) => {
                        out.push(item.clone())
                    }
                    // A template has literal text, so it is never empty.
                    ValueKind::Template(parts)
                        if parts.iter().any(|part| {
                            matches!(part, crate::base::value::TemplatePart::Literal(t) if !t.is_empty())
                        }) =>
                    {
                        out.push(item.clone())
                    }
                    _ if is_unknown(item) => return Err(Unknown),
                    _ => return Err(Error),
                }
            }
            Ok(Value::new(span, ValueKind::Array(out)))
        }),
        "coalesce" => {
            let mut outcome = Error;
            for arg in args {
                match &arg.kind {
                    ValueKind::Null => continue,
                    ValueKind::String(text) if text.is_empty() => continue,
                    _ if matches!(arg.kind, ValueKind::Unknown(_)) => {
                        outcome = Unknown;
                        break;
                    }
                    _ => {
                        outcome = Known(arg);
                        break;
                    }
                }
            }
            outcome
        }
        "merge" => {
            let mut merged: Vec<Member> = Vec::new();
            let mut outcome = None;
            for arg in &args {
                if matches!(arg.kind, ValueKind::Null) {
                    continue;
                }
                match object(arg) {
                    Ok(members) => {
                        for member in members {
                            merged.retain(|m| m.key != member.key);
                            merged.push(member.clone());
                        }
                    }
                    Err(e) => {
                        outcome = Some(e);
                        break;
                    }
                }
            }
            outcome.unwrap_or_else(|| known(span, ValueKind::Object(merged)))
        }
        "lookup" => match args.as_slice() {
            [map, key] | [map, key, _] => match (object(map), text(key)) {
                (Ok(members), Ok(key)) => match members.iter().find(|m| m.key == key) {
                    Some(member) => Known(member.value.clone()),
                    None => match args.into_iter().nth(2) {
                        Some(default) => Known(default),
                        None => Error,
                    },
                },
                (Err(Error), _) | (_, Err(Error)) => Error,
                _ => Unknown,
            },
            _ => Error,
        },
        "element" => match args.as_slice() {
            [items, index] => match (list(items), text(index).map(|i| number(&i))) {
                (Ok(items), Ok(Some(index))) if !items.is_empty() && index >= 0.0 => {
                    Known(items[index as usize % items.len()].clone())
                }
                (Err(Unknown), _) | (_, Err(Unknown)) => Unknown,
                _ => Error,
            },
            _ => Error,
        },
        "length" => one_arg(&args, |value| {
            let length = match &value.kind {
                ValueKind::Array(items) => items.len(),
                ValueKind::Object(members) => members.len(),
                ValueKind::String(text) => text.chars().count(),
                _ if is_unknown(value) => return Err(Unknown),
                _ => return Err(Error),
            };
            Ok(Value::new(span, ValueKind::Number(length.to_string())))
        }),
        "keys" | "values" => one_arg(&args, |value| {
            let members = object(value)?;
            let items = members
                .iter()
                .map(|m| match name {
                    "keys" => Value::new(m.key_span, ValueKind::String(m.key.clone())),
                    _ => m.value.clone(),
                })
                .collect();
            Ok(Value::new(span, ValueKind::Array(items)))
        }),
        "contains" => match args.as_slice() {
            [items, wanted] => match list(items) {
                Ok(items) if items.iter().all(is_known) && is_known(wanted) => known(
                    span,
                    ValueKind::Bool(items.iter().any(|i| equal(i, wanted))),
                ),
                Err(Error) => Error,
                _ => Unknown,
            },
            _ => Error,
        },
        "lower" | "upper" => one_arg(&args, |value| {
            let text = text(value)?;
            let changed = if name == "lower" {
                text.to_lowercase()
            } else {
                text.to_uppercase()
            };
            Ok(Value::new(span, ValueKind::String(changed)))
        }),
        "join" => match args.as_slice() {
            [separator, items] => result((|| {
                let separator = text(separator)?;
                let parts = list(items)?
                    .iter()
                    .map(text)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::new(span, ValueKind::String(parts.join(&separator))))
            })()),
            _ => Error,
        },
        "split" => match args.as_slice() {
            [separator, whole] => result((|| {
                let (separator, whole) = (text(separator)?, text(whole)?);
                if separator.is_empty() {
                    return Err(Error);
                }
                let items = whole
                    .split(separator.as_str())
                    .map(|part| Value::new(span, ValueKind::String(part.to_string())))
                    .collect();
                Ok(Value::new(span, ValueKind::Array(items)))
            })()),
            _ => Error,
        },
        "replace" => match args.as_slice() {
            [whole, search, replacement] => result((|| {
                let (whole, search, replacement) =
                    (text(whole)?, text(search)?, text(replacement)?);
                // `/.../` is a regular expression, not evaluated here.
                if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
                    return Err(Unknown);
                }
                Ok(Value::new(
                    span,
                    ValueKind::String(whole.replace(&search, &replacement)),
                ))
            })()),
            _ => Error,
        },
        "format" => result(format(&args, span)),
        "jsonencode" => one_arg(&args, |value| {
            if !is_known(value) {
                return Err(Unknown);
            }
            Ok(Value::new(
                span,
                ValueKind::String(value.to_json().to_string()),
            ))
        }),
        _ => return None,
    };
    Some(outcome)
}

fn one_arg(args: &[Value], f: impl FnOnce(&Value) -> Result<Value, Eval>) -> Eval {
    match args {
        [only] => result(f(only)),
        _ => Error,
    }
}

fn result(outcome: Result<Value, Eval>) -> Eval {
    match outcome {
        Ok(value) => Known(value),
        Err(other) => other,
    }
}

fn flatten_into(value: &Value, out: &mut Vec<Value>) -> Result<(), Eval> {
    for item in list(value)? {
        match &item.kind {
            ValueKind::Array(_) => flatten_into(item, out)?,
            // An unknown item may itself be a list.
            ValueKind::Unknown(_) => return Err(Unknown),
            _ => out.push(item.clone()),
        }
    }
    Ok(())
}

/// `format("%s-%d", a, b)` with the verbs modules use: `%s`, `%d`, `%v` and `%%`.
fn format(args: &[Value], span: Span) -> Result<Value, Eval> {
    let (pattern, rest) = args.split_first().ok_or(Error)?;
    let pattern = text(pattern)?;
    let mut rest = rest.iter();
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => out.push_str(&text(rest.next().ok_or(Error)?)?),
            // Widths, precisions and other verbs are not evaluated.
            _ => return Err(Unknown),
        }
    }
    Ok(Value::new(span, ValueKind::String(out)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::base::value::Unknown as UnknownValue;

    fn span() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    fn s(text: &str) -> Value {
        Value::new(span(), ValueKind::String(text.into()))
    }

    fn n(number: &str) -> Value {
        Value::new(span(), ValueKind::Number(number.into()))
    }

    fn list(items: Vec<Value>) -> Value {
        Value::new(span(), ValueKind::Array(items))
    }

    fn object(members: &[(&str, Value)]) -> Value {
        let members = members
            .iter()
            .map(|(key, value)| Member {
                key: key.to_string(),
                key_span: span(),
                value: value.clone(),
            })
            .collect();
        Value::new(span(), ValueKind::Object(members))
    }

    fn null() -> Value {
        Value::new(span(), ValueKind::Null)
    }

    fn unknown() -> Value {
        Value::new(
            span(),
            ValueKind::Unknown(UnknownValue {
                expression: "var.x".into(),
                reference: None,
            }),
        )
    }

    /// The JSON of a known result, `"unknown"` or `"error"`.
    fn run(name: &str, args: Vec<Value>) -> serde_json::Value {
        match call(name, args, span()).expect("an evaluated function") {
            Known(value) => value.to_json(),
            Unknown => "unknown".into(),
            Error => "error".into(),
        }
    }

    #[test]
    fn list_functions_keep_known_items_and_stop_at_unknown_lists() {
        let ab = list(vec![s("a"), s("b")]);
        assert_eq!(
            run("concat", vec![ab.clone(), list(vec![s("c")])]),
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(run("concat", vec![ab.clone(), unknown()]), "unknown");
        // An unknown item of a known list stays an unknown item.
        assert_eq!(
            run("concat", vec![list(vec![unknown()])]),
            serde_json::json!(["${var.x}"])
        );
        assert_eq!(
            run(
                "flatten",
                vec![list(vec![ab.clone(), list(vec![list(vec![s("c")])])])]
            ),
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(run("flatten", vec![list(vec![unknown()])]), "unknown");
        assert_eq!(
            run("compact", vec![list(vec![s(""), null(), s("a")])]),
            serde_json::json!(["a"])
        );
        // An unknown item may be "": the result's length is unknown.
        assert_eq!(
            run("compact", vec![list(vec![s("a"), unknown()])]),
            "unknown"
        );
        assert_eq!(
            run("distinct", vec![list(vec![s("a"), s("a"), s("b")])]),
            serde_json::json!(["a", "b"])
        );
        assert_eq!(
            run("toset", vec![list(vec![n("1"), n("1.0")])]),
            serde_json::json!([1])
        );
        assert_eq!(run("element", vec![ab.clone(), n("3")]), "b");
        assert_eq!(run("element", vec![list(vec![]), n("0")]), "error");
        assert_eq!(run("length", vec![ab.clone()]), serde_json::json!(2));
        assert_eq!(run("length", vec![unknown()]), "unknown");
        assert_eq!(run("contains", vec![ab, s("b")]), true);
    }

    #[test]
    fn maps_merge_and_look_up() {
        let defaults = object(&[("effect", s("Allow")), ("sid", s("A"))]);
        let overrides = object(&[("sid", s("B"))]);
        assert_eq!(
            run("merge", vec![defaults.clone(), null(), overrides]),
            serde_json::json!({"effect": "Allow", "sid": "B"})
        );
        assert_eq!(run("merge", vec![defaults.clone(), unknown()]), "unknown");
        assert_eq!(run("lookup", vec![defaults.clone(), s("effect")]), "Allow");
        assert_eq!(
            run("lookup", vec![defaults.clone(), s("missing"), null()]),
            serde_json::Value::Null
        );
        assert_eq!(run("lookup", vec![defaults.clone(), s("missing")]), "error");
        assert_eq!(
            run("lookup", vec![unknown(), s("effect"), null()]),
            "unknown"
        );
        assert_eq!(
            run("keys", vec![defaults]),
            serde_json::json!(["effect", "sid"])
        );
    }

    #[test]
    fn strings_are_built_only_from_known_parts() {
        assert_eq!(
            run("format", vec![s("%s:%s"), s("s3"), s("GetObject")]),
            "s3:GetObject"
        );
        assert_eq!(run("format", vec![s("%d%%"), n("5")]), "5%");
        assert_eq!(run("format", vec![s("%s"), unknown()]), "unknown");
        // Widths and other verbs are not evaluated rather than evaluated wrongly.
        assert_eq!(run("format", vec![s("%05d"), n("5")]), "unknown");
        assert_eq!(run("join", vec![s(","), list(vec![s("a"), n("1")])]), "a,1");
        assert_eq!(
            run("split", vec![s(","), s("a,b")]),
            serde_json::json!(["a", "b"])
        );
        assert_eq!(run("replace", vec![s("a-b"), s("-"), s(":")]), "a:b");
        assert_eq!(
            run("replace", vec![s("a-b"), s("/[-]/"), s(":")]),
            "unknown"
        );
        assert_eq!(run("lower", vec![s("PROD")]), "prod");
        assert_eq!(run("upper", vec![unknown()]), "unknown");
        assert_eq!(run("coalesce", vec![null(), s(""), s("x")]), "x");
        assert_eq!(run("coalesce", vec![unknown(), s("x")]), "unknown");
        assert_eq!(
            run("jsonencode", vec![object(&[("Action", s("s3:*"))])]),
            r#"{"Action":"s3:*"}"#
        );
        assert_eq!(run("jsonencode", vec![list(vec![unknown()])]), "unknown");
        assert!(call("sha256", vec![s("x")], span()).is_none());
    }

    #[test]
    fn operators_decide_what_they_can() {
        let t = Value::new(span(), ValueKind::Bool(true));
        let f = Value::new(span(), ValueKind::Bool(false));
        let json = |outcome: Eval| match outcome {
            Known(value) => value.to_json(),
            Unknown => "unknown".into(),
            Error => "error".into(),
        };
        assert_eq!(
            json(binary(BinaryOperator::Greater, n("2"), n("0"), span())),
            true
        );
        assert_eq!(
            json(binary(BinaryOperator::Eq, s("a"), s("a"), span())),
            true
        );
        assert_eq!(
            json(binary(BinaryOperator::Eq, n("1"), n("1.0"), span())),
            true
        );
        assert_eq!(
            json(binary(BinaryOperator::Plus, n("1"), n("2"), span())),
            serde_json::json!(3)
        );
        assert_eq!(
            json(binary(BinaryOperator::Div, n("1"), n("0"), span())),
            "error"
        );
        assert_eq!(
            json(binary(BinaryOperator::Eq, unknown(), s("a"), span())),
            "unknown"
        );
        // `false && x` and `true || x` do not depend on `x`.
        assert_eq!(
            json(binary(BinaryOperator::And, f.clone(), unknown(), span())),
            false
        );
        assert_eq!(
            json(binary(BinaryOperator::Or, unknown(), t.clone(), span())),
            true
        );
        assert_eq!(
            json(binary(BinaryOperator::And, t.clone(), unknown(), span())),
            "unknown"
        );
        assert_eq!(json(unary(UnaryOperator::Not, t, span())), false);
        assert_eq!(
            json(unary(UnaryOperator::Neg, n("2"), span())),
            serde_json::json!(-2)
        );
        assert_eq!(truth(&unknown()), Err(Unknown));
        assert_eq!(truth(&n("1")), Err(Error));
    }
}
