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
