//! Lowering Terraform expressions to the spanned value tree: literals, `jsonencode` objects,
//! templates with holes, heredoc and quoted JSON, `file()` and `templatefile()`, and
//! references to locals, resources and data sources of the same module.
//!
//! What only `terraform apply` knows (`var.x`, computed attributes, `for` expressions,
//! conditionals, most functions) is `Unknown`, never `"*"`.

use super::body::{Block, Expr, Src};
use super::eval::{self, Eval};
use super::module::{Module, ReadFiles};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::unread::Unread;
use crate::base::value::{Member, Reference, TemplatePart, Unknown, Value, ValueKind};
use crate::extract::mapped::Mapped;
use crate::extract::{OffsetMap, json, syntax_error};
use hcl_edit::expr::{Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::prelude::Span as _;
use hcl_edit::template::{Element, Template};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// References followed through locals and attributes before giving up: real modules chain a
/// few; a cycle (which Terraform rejects) must not loop.
const MAX_DEPTH: usize = 16;

/// References followed for one document: locals that each use another several times grow
/// exponentially with depth, and hostile input must not hang the run.
const BUDGET: usize = 20_000;

/// What a carrier attribute holds.
#[derive(Debug)]
pub(super) enum Doc {
    Value(Value),
    /// `data.aws_iam_policy_document.<name>.json`: the data source's address.
    DataSource(String),
    /// Only known at deploy time, or not a policy.
    Nothing,
}

/// How a template literal is escaped: a quoted string has backslash escapes, a heredoc, a
/// template file or a decoded `.tf.json` string only `$${` and `%%{`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escapes {
    Quoted,
    Template,
}

/// One step of a reference after its target (`.name`, `[0]`).
#[derive(Debug)]
enum Step {
    Attr(String),
    Index(usize),
    /// `["key"]`: a map key, or the instance of a `for_each` resource.
    Key(String),
    /// `[each.key]`, `[*]`: cannot be followed.
    Opaque,
}

/// Where a reference leads.
enum Target<'a> {
    Expr(Expr<'a>, Vec<Step>),
    /// `var.x` of a child module, given by its caller.
    Value(Value, Vec<Step>),
    /// `module.x.y`: an output of a local child module, which is written where the caller
    /// refers to it (the child's text is not the caller's to point at).
    Output(Value, Vec<Step>),
    DataDocument(String),
    Unknown(Option<Reference>),
}

pub(super) struct Lowerer<'m, 'a> {
    pub module: &'m Module<'a>,
    pub read: &'m dyn ReadFiles,
    pub diagnostics: Vec<Problem>,
    /// Files read by `file()` and `templatefile()`.
    pub external: Vec<FileId>,
    loaded: HashMap<PathBuf, Result<(FileId, Arc<SourceFile>), Unread>>,
    depth: usize,
    /// References still allowed for the current document (see [`BUDGET`]).
    budget: usize,
    /// Whether a limit has cut the current document's evaluation and that was reported.
    cut_reported: bool,
    /// The variables of the `templatefile()` being read.
    scope: Option<Value>,
    /// A child module's variables as its caller sets them, and their defaults.
    pub inputs: HashMap<String, Value>,
    pub defaults: HashMap<String, Value>,
    /// The outputs of the local child modules called so far, by call name, as the caller
    /// names what they hold (`module.roles.admin_role_arn` → `module.roles.aws_iam_role.admin`).
    pub module_outputs: HashMap<String, HashMap<String, Value>>,
    /// Whether a caller's input was read since [`Lowerer::take_input_used`].
    input_used: std::cell::Cell<bool>,
    /// The iterators in scope, innermost last: `for` variables and `dynamic` block
    /// iterators over a known collection (`statement` bound to `{key, value}`), each with
    /// whether its collection read a variable the caller sets.
    iterators: Vec<Bound>,
    /// Whether the expression being evaluated failed as Terraform would fail it (a missing
    /// key, a wrong type): `try()` then takes its next argument.
    failed: bool,
}

/// A name bound to one item of a known collection.
struct Bound {
    name: String,
    value: Value,
    /// Whether the collection read a variable the caller sets: reading the item does too.
    from_input: bool,
}

fn unknown(span: Span, expression: String, reference: Option<Reference>) -> Value {
    Value::new(
        span,
        ValueKind::Unknown(Unknown {
            expression,
            reference: reference.map(Box::new),
        }),
    )
}

impl<'m, 'a> Lowerer<'m, 'a> {
    pub(super) fn new(module: &'m Module<'a>, read: &'m dyn ReadFiles) -> Self {
        Lowerer {
            module,
            read,
            diagnostics: Vec::new(),
            external: Vec::new(),
            loaded: HashMap::new(),
            depth: 0,
            budget: BUDGET,
            cut_reported: false,
            scope: None,
            inputs: HashMap::new(),
            defaults: HashMap::new(),
            module_outputs: HashMap::new(),
            input_used: std::cell::Cell::new(false),
            iterators: Vec::new(),
            failed: false,
        }
    }

    /// Whether the document lowered since the last call read a variable its caller set.
    pub(super) fn take_input_used(&self) -> bool {
        self.input_used.replace(false)
    }

    /// The value an attribute stands for, and whether it reads a variable its caller sets.
    pub(super) fn value_reading_inputs(&mut self, expr: Expr<'_>, fallback: Span) -> (Value, bool) {
        let outer = self.input_used.replace(false);
        let value = self.value(expr, fallback);
        let used = self.input_used.get();
        self.input_used.set(outer || used);
        (value, used)
    }

    /// Starts a new document: references are counted per document.
    pub(super) fn reset_budget(&mut self) {
        self.budget = BUDGET;
        self.cut_reported = false;
    }

    /// A reference not followed because a limit was reached: its value stays unknown, and a
    /// finding says so (once per document) rather than the policy silently losing a part.
    fn report_cut(&mut self, at: Span, expression: &str) {
        if self.cut_reported {
            return;
        }
        self.cut_reported = true;
        let why = if self.depth >= MAX_DEPTH {
            format!("references nest more than {MAX_DEPTH} deep")
        } else {
            format!("one document follows more than {BUDGET} references")
        };
        self.diagnostics.push(Problem::new(
            RuleId::LimitExceeded,
            at,
            format!(
                "`{expression}` was not fully evaluated ({why}): its value is unknown, so the \
                 policy that uses it is not fully checked"
            ),
        ));
    }

    /// Whether one more reference may be followed.
    fn follow_reference(&mut self) -> bool {
        if self.depth >= MAX_DEPTH || self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        true
    }

    /// The value an attribute stands for.
    pub(super) fn value(&mut self, expr: Expr<'_>, fallback: Span) -> Value {
        match expr {
            Expr::Hcl(e, src) => self.hcl(e, src, fallback),
            Expr::Json(v, src) => self.json_value(v, src),
        }
    }

    /// The policy document a carrier attribute holds.
    pub(super) fn document(&mut self, expr: Expr<'_>, fallback: Span) -> Doc {
        match expr {
            Expr::Hcl(e, src) => self.hcl_document(e, src, fallback),
            Expr::Json(v, src) => match &v.kind {
                ValueKind::String(text) if text.contains("${") || text.contains("%{") => self
                    .with_json_template(v, src, |this, template, tsrc| {
                        if let Some(inner) = single_interpolation(template) {
                            return this.hcl_document(inner, tsrc, v.span);
                        }
                        let (mapped, directive) =
                            this.template(template, tsrc, Escapes::Template, v.span);
                        this.json_document(mapped, directive, tsrc, v.span)
                    })
                    .unwrap_or(Doc::Nothing),
                ValueKind::String(_) => {
                    let literal = &src.file_text[v.span.range()];
                    match json::decode_string_literal(literal, v.span.start as usize) {
                        Some((text, table)) => {
                            let end = table.last().copied().unwrap_or(v.span.end);
                            let mut mapped = Mapped {
                                end,
                                ..Mapped::default()
                            };
                            mapped.push(&text, &table[..table.len().saturating_sub(1)]);
                            self.json_document(mapped, false, src, v.span)
                        }
                        None => Doc::Nothing,
                    }
                }
                _ => Doc::Nothing,
            },
        }
    }

    /// The items of a list attribute as written (`[a, b]`, or a local holding one), so each
    /// can be read as a document.
    pub(super) fn list_items(&mut self, expr: Expr<'a>) -> Option<Vec<Expr<'a>>> {
        match expr {
            Expr::Hcl(Expression::Array(array), src) => {
                Some(array.iter().map(|e| Expr::Hcl(e, src)).collect())
            }
            Expr::Hcl(Expression::Traversal(traversal), _) => match self.resolve(traversal) {
                Target::Expr(expr, steps) if steps.is_empty() && self.follow_reference() => {
                    self.depth += 1;
                    let items = self.list_items(expr);
                    self.depth -= 1;
                    items
                }
                _ => None,
            },
            Expr::Json(value, src) => match &value.kind {
                ValueKind::Array(items) => Some(items.iter().map(|v| Expr::Json(v, src)).collect()),
                _ => None,
            },
            Expr::Hcl(..) => None,
        }
    }

    fn hcl(&mut self, e: &Expression, src: &Src<'_>, fallback: Span) -> Value {
        let span = src.span(e.span(), fallback);
        let kind = match e {
            Expression::Null(_) => ValueKind::Null,
            Expression::Bool(b) => ValueKind::Bool(*b.value()),
            Expression::Number(n) => ValueKind::Number(
                src.text
                    .get(e.span().unwrap_or_default())
                    .map_or_else(|| n.value().to_string(), str::to_string),
            ),
            Expression::String(s) => ValueKind::String(s.value().clone()),
            Expression::Array(array) => {
                ValueKind::Array(array.iter().map(|item| self.hcl(item, src, span)).collect())
            }
            Expression::Object(object) => ValueKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key_span = src.span(key.span(), span);
                        let key = match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            ObjectKey::Expression(other) => {
                                match self.hcl(other, src, key_span).kind {
                                    ValueKind::String(text) => text,
                                    _ => format!("${{{}}}", src.snippet(other.span())),
                                }
                            }
                        };
                        Member {
                            key,
                            key_span,
                            value: self.hcl(value.expr(), src, key_span),
                        }
                    })
                    .collect(),
            ),
            Expression::StringTemplate(template) => {
                if let Some(inner) = single_interpolation(template) {
                    return self.hcl(inner, src, span);
                }
                let (mapped, _) = self.template(template, src, Escapes::Quoted, span);
                mapped.into_kind()
            }
            Expression::HeredocTemplate(heredoc) => {
                let (mapped, _) = self.template(&heredoc.template, src, Escapes::Template, span);
                mapped.into_kind()
            }
            Expression::Parenthesis(inner) => return self.hcl(inner.inner(), src, span),
            Expression::Traversal(traversal) => return self.traversal(traversal, src, span),
            Expression::Variable(name) => {
                if let Some(value) = self.iterator(name.as_str()) {
                    return value.clone();
                }
                if let Some(value) = self.scope.as_ref().and_then(|s| s.get(name.as_str())) {
                    return value.clone();
                }
                return unknown(span, src.snippet(e.span()), None);
            }
            Expression::FuncCall(call) => return self.call(call, src, span),
            Expression::Conditional(conditional) => {
                let condition = self.hcl(&conditional.cond_expr, src, span);
                return match eval::truth(&condition) {
                    Ok(true) => self.hcl(&conditional.true_expr, src, span),
                    Ok(false) => self.hcl(&conditional.false_expr, src, span),
                    Err(outcome) => self.outcome(outcome, span, src.snippet(e.span())),
                };
            }
            Expression::UnaryOp(op) => {
                let operand = self.hcl(&op.expr, src, span);
                let outcome = eval::unary(*op.operator.value(), operand, span);
                return self.outcome(outcome, span, src.snippet(e.span()));
            }
            Expression::BinaryOp(op) => {
                let lhs = self.hcl(&op.lhs_expr, src, span);
                let rhs = self.hcl(&op.rhs_expr, src, span);
                let outcome = eval::binary(*op.operator.value(), lhs, rhs, span);
                return self.outcome(outcome, span, src.snippet(e.span()));
            }
            Expression::ForExpr(for_expr) => {
                let outcome = self.for_expr(for_expr, src, span);
                return self.outcome(outcome, span, src.snippet(e.span()));
            }
        };
        Value::new(span, kind)
    }

    /// A function call: evaluated when iamlint knows the function (see [`eval::call`]) and
    /// its arguments are known, else unknown.
    fn call(&mut self, call: &FuncCall, src: &Src<'_>, span: Span) -> Value {
        let expression = src.snippet(call.span());
        // `f(list...)` spreads its last argument: not evaluated.
        if call.name.is_namespaced() || call.args.expand_final() {
            return unknown(span, expression, None);
        }
        let name = call.name.name.as_str();
        let outcome = match name {
            "try" | "can" => self.attempt(call, src, span),
            _ => {
                let args: Vec<Value> = call
                    .args
                    .iter()
                    .map(|arg| self.hcl(arg, src, span))
                    .collect();
                match eval::call(name, args, span) {
                    Some(outcome) => outcome,
                    None => Eval::Unknown,
                }
            }
        };
        self.outcome(outcome, span, expression)
    }

    /// `try(a, b, ...)`: the first argument that does not fail; unknown as soon as one is
    /// unknown (at deploy time it may fail or not). `can(a)`: whether `a` does not fail.
    fn attempt(&mut self, call: &FuncCall, src: &Src<'_>, span: Span) -> Eval {
        let outer = std::mem::replace(&mut self.failed, false);
        let mut outcome = Eval::Error;
        for arg in call.args.iter() {
            self.failed = false;
            let value = self.hcl(arg, src, span);
            if self.failed {
                continue;
            }
            outcome = if call.name.name.as_str() == "can" {
                match eval::is_known(&value) {
                    true => Eval::Known(Value::new(span, ValueKind::Bool(true))),
                    false => Eval::Unknown,
                }
            } else if matches!(value.kind, ValueKind::Unknown(_)) {
                Eval::Unknown
            } else {
                Eval::Known(value)
            };
            break;
        }
        if call.name.name.as_str() == "can" && outcome == Eval::Error {
            outcome = Eval::Known(Value::new(span, ValueKind::Bool(false)));
        }
        self.failed = outer;
        outcome
    }

    /// The value an evaluation gives: an error is remembered for `try()` and is unknown
    /// like what is only known at deploy time.
    fn outcome(&mut self, outcome: Eval, span: Span, expression: String) -> Value {
        match outcome {
            Eval::Known(value) => value,
            Eval::Unknown => unknown(span, expression, None),
            Eval::Error => {
                self.failed = true;
                unknown(span, expression, None)
            }
        }
    }

    /// `[for k, v in collection : value if cond]` and `{for ... : key => value}` over a
    /// known collection; grouping (`...`) is not evaluated.
    fn for_expr(&mut self, for_expr: &ForExpr, src: &Src<'_>, span: Span) -> Eval {
        let outer = self.input_used.replace(false);
        let collection = self.hcl(&for_expr.intro.collection_expr, src, span);
        let from_input = self.input_used.get();
        self.input_used.set(outer || from_input);
        let entries: Vec<(Value, Value)> = match collection.kind {
            ValueKind::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    let key = Value::new(item.span, ValueKind::Number(index.to_string()));
                    (key, item)
                })
                .collect(),
            ValueKind::Object(members) => members
                .into_iter()
                .map(|m| (Value::new(m.key_span, ValueKind::String(m.key)), m.value))
                .collect(),
            ValueKind::Unknown(_) | ValueKind::Template(_) => return Eval::Unknown,
            _ => return Eval::Error,
        };
        if for_expr.grouping {
            return Eval::Unknown;
        }
        let key_var = for_expr
            .intro
            .key_var
            .as_ref()
            .map(|k| k.as_str().to_string());
        let value_var = for_expr.intro.value_var.as_str().to_string();
        let mut items = Vec::new();
        let mut members = Vec::new();
        for (key, value) in entries {
            let bound = self.iterators.len();
            if let Some(key_var) = &key_var {
                self.iterators.push(Bound {
                    name: key_var.clone(),
                    value: key,
                    from_input,
                });
            }
            self.iterators.push(Bound {
                name: value_var.clone(),
                value,
                from_input,
            });
            let outcome = self.for_item(for_expr, src, span, &mut items, &mut members);
            self.iterators.truncate(bound);
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
        let kind = match for_expr.key_expr {
            Some(_) => ValueKind::Object(members),
            None => ValueKind::Array(items),
        };
        Eval::Known(Value::new(span, kind))
    }

    /// One item of a `for` expression, with its variables bound; `Some` ends the whole
    /// expression (unknown or failed).
    fn for_item(
        &mut self,
        for_expr: &ForExpr,
        src: &Src<'_>,
        span: Span,
        items: &mut Vec<Value>,
        members: &mut Vec<Member>,
    ) -> Option<Eval> {
        if let Some(cond) = &for_expr.cond {
            match eval::truth(&self.hcl(&cond.expr, src, span)) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(outcome) => return Some(outcome),
            }
        }
        let value = self.hcl(&for_expr.value_expr, src, span);
        match &for_expr.key_expr {
            Some(key_expr) => {
                let key = self.hcl(key_expr, src, span);
                match key.kind {
                    ValueKind::String(text) => members.push(Member {
                        key: text,
                        key_span: key.span,
                        value,
                    }),
                    _ => return Some(Eval::Unknown),
                }
            }
            None => items.push(value),
        }
        None
    }

    /// Whether a `dynamic` block is being written for one known item.
    pub(super) fn in_known_item(&self) -> bool {
        !self.iterators.is_empty()
    }

    /// The value of an iterator in scope, innermost first.
    fn iterator(&self, name: &str) -> Option<&Value> {
        let iterator = self.iterators.iter().rev().find(|i| i.name == name)?;
        if iterator.from_input {
            self.input_used.set(true);
        }
        Some(&iterator.value)
    }

    /// Lowers `f` once with `name` bound to `value` (a `dynamic` block's iterator).
    pub(super) fn with_iterator<R>(
        &mut self,
        name: &str,
        value: Value,
        from_input: bool,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        self.iterators.push(Bound {
            name: name.to_string(),
            value,
            from_input,
        });
        let result = f(self);
        self.iterators.pop();
        result
    }

    fn traversal(&mut self, traversal: &Traversal, src: &Src<'_>, span: Span) -> Value {
        let expression = src.snippet(traversal.span());
        match self.resolve(traversal) {
            Target::Expr(expr, steps) if self.follow_reference() => {
                self.depth += 1;
                let value = self.value(expr, span);
                self.depth -= 1;
                self.followed(follow(value, &steps), span, expression)
            }
            Target::DataDocument(address) => unknown(
                span,
                expression,
                Some(Reference {
                    address,
                    resource_type: "aws_iam_policy_document".into(),
                    attribute: "json".into(),
                }),
            ),
            Target::Value(value, steps) => self.followed(follow(value, &steps), span, expression),
            Target::Output(value, steps) => Value {
                span,
                ..self.followed(follow(value, &steps), span, expression)
            },
            Target::Unknown(reference) => unknown(span, expression, reference),
            Target::Expr(..) => {
                self.report_cut(src.span(traversal.span(), span), &expression);
                unknown(span, expression, None)
            }
        }
    }

    fn followed(&mut self, followed: Followed, span: Span, expression: String) -> Value {
        match followed {
            Followed::Value(value) => value,
            Followed::Unknown => unknown(span, expression, None),
            Followed::Missing => self.outcome(Eval::Error, span, expression),
        }
    }

    /// Where a reference leads: an iterator in scope, a local or an attribute written in
    /// this module, a policy document data source, or something only known at deploy time.
    fn resolve(&self, traversal: &Traversal) -> Target<'a> {
        let Some(root) = traversal.expr.as_variable() else {
            return Target::Unknown(None);
        };
        let steps: Vec<Step> = traversal
            .operators
            .iter()
            .map(|op| match op.value() {
                TraversalOperator::GetAttr(name) => Step::Attr(name.as_str().to_string()),
                TraversalOperator::LegacyIndex(index) => {
                    Step::Index(usize::try_from(*index.value()).unwrap_or(usize::MAX))
                }
                TraversalOperator::Index(Expression::Number(n)) => n
                    .value()
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .map_or(Step::Opaque, Step::Index),
                TraversalOperator::Index(Expression::String(s)) => Step::Key(s.value().clone()),
                _ => Step::Opaque,
            })
            .collect();
        let root = root.as_str();
        if let Some(value) = self.iterator(root) {
            return Target::Value(value.clone(), steps);
        }
        match root {
            "local" => match steps.split_first() {
                Some((Step::Attr(name), rest)) => match self.module.locals.get(name.as_str()) {
                    Some(attr) => Target::Expr(attr.value, rest.iter().map(clone_step).collect()),
                    None => Target::Unknown(None),
                },
                _ => Target::Unknown(None),
            },
            "data" => {
                let (Some(Step::Attr(kind)), Some(Step::Attr(name))) =
                    (steps.first(), steps.get(1))
                else {
                    return Target::Unknown(None);
                };
                let address = format!("data.{kind}.{name}");
                self.attribute_target(&address, kind, &steps[2..])
            }
            "var" => match steps.split_first() {
                Some((Step::Attr(name), rest)) => {
                    let rest: Vec<Step> = rest.iter().map(clone_step).collect();
                    if let Some(value) = self.inputs.get(name.as_str()) {
                        // An input only known at deploy time tells nothing the module
                        // checked on its own does not.
                        if !matches!(value.kind, ValueKind::Unknown(_)) {
                            self.input_used.set(true);
                        }
                        Target::Value(value.clone(), rest)
                    } else if let Some(value) = self
                        .defaults
                        .get(name.as_str())
                        .filter(|value| !is_placeholder(value))
                    {
                        Target::Value(value.clone(), rest)
                    } else {
                        Target::Unknown(None)
                    }
                }
                _ => Target::Unknown(None),
            },
            "module" => self.module_output(&steps),
            "each" | "count" | "path" | "terraform" | "self" => Target::Unknown(None),
            kind => {
                let Some(Step::Attr(name)) = steps.first() else {
                    return Target::Unknown(None);
                };
                let address = format!("{kind}.{name}");
                if !self.module.resources.contains_key(&address) {
                    return Target::Unknown(None);
                }
                self.attribute_target(&address, kind, &steps[1..])
            }
        }
    }

    /// `module.x.y` (or `module.x[0].y`: a call with `count` or `for_each` is read once): the
    /// value of output `y` of the local child module `x`.
    fn module_output(&self, steps: &[Step]) -> Target<'a> {
        let Some((Step::Attr(call), mut rest)) = steps.split_first() else {
            return Target::Unknown(None);
        };
        while let Some((Step::Index(_) | Step::Key(_) | Step::Opaque, tail)) = rest.split_first() {
            rest = tail;
        }
        match rest.split_first() {
            Some((Step::Attr(output), after)) => match self
                .module_outputs
                .get(call.as_str())
                .and_then(|outputs| outputs.get(output.as_str()))
            {
                Some(value) => {
                    Target::Output(value.clone(), after.iter().map(clone_step).collect())
                }
                None => Target::Unknown(None),
            },
            _ => Target::Unknown(None),
        }
    }

    fn attribute_target(&self, address: &str, kind: &str, steps: &[Step]) -> Target<'a> {
        // `[0]` and `["key"]` after the name select an instance of `count`/`for_each`.
        let mut rest = steps;
        while let Some((Step::Index(_) | Step::Key(_) | Step::Opaque, tail)) = rest.split_first() {
            rest = tail;
        }
        let Some((Step::Attr(attribute), after)) = rest.split_first() else {
            return Target::Unknown(None);
        };
        if kind == "aws_iam_policy_document"
            && matches!(attribute.as_str(), "json" | "minified_json")
        {
            return if self.module.data.contains_key(address) {
                Target::DataDocument(address.to_string())
            } else {
                Target::Unknown(None)
            };
        }
        let block = if address.starts_with("data.") {
            self.module.data.get(address)
        } else {
            self.module.resources.get(address)
        };
        match block.and_then(|b| b.attr(attribute)) {
            Some(attr) => Target::Expr(attr.value, after.iter().map(clone_step).collect()),
            None => Target::Unknown(block.map(|_| Reference {
                address: address.to_string(),
                resource_type: kind.to_string(),
                attribute: attribute.clone(),
            })),
        }
    }

    fn hcl_document(&mut self, e: &Expression, src: &Src<'_>, fallback: Span) -> Doc {
        let span = src.span(e.span(), fallback);
        match e {
            Expression::FuncCall(call) if !call.name.is_namespaced() => {
                match call.name.name.as_str() {
                    "jsonencode" => match call.args.iter().next() {
                        Some(arg) => {
                            let value = self.hcl(arg, src, span);
                            match value.kind {
                                ValueKind::Unknown(_) => Doc::Nothing,
                                _ => Doc::Value(value),
                            }
                        }
                        None => Doc::Nothing,
                    },
                    "file" | "templatefile" => self.file_document(call, src, span),
                    _ => Doc::Nothing,
                }
            }
            Expression::String(_) => {
                let range = e.span().unwrap_or_default();
                let inner = range.start + 1..range.end.saturating_sub(1).max(range.start + 1);
                let mut mapped = Mapped {
                    end: src.map.map(inner.end) as u32,
                    ..Mapped::default()
                };
                push_literal(&mut mapped, src, inner, Escapes::Quoted);
                self.json_document(mapped, false, src, span)
            }
            Expression::StringTemplate(template) => {
                if let Some(inner) = single_interpolation(template) {
                    return self.hcl_document(inner, src, span);
                }
                let (mapped, directive) = self.template(template, src, Escapes::Quoted, span);
                self.json_document(mapped, directive, src, span)
            }
            Expression::HeredocTemplate(heredoc) => {
                let (mapped, directive) =
                    self.template(&heredoc.template, src, Escapes::Template, span);
                self.json_document(mapped, directive, src, span)
            }
            Expression::Parenthesis(inner) => self.hcl_document(inner.inner(), src, span),
            Expression::Traversal(traversal) => match self.resolve(traversal) {
                Target::DataDocument(address) => Doc::DataSource(address),
                Target::Expr(expr, steps) if steps.is_empty() && self.follow_reference() => {
                    self.depth += 1;
                    let doc = self.document(expr, span);
                    self.depth -= 1;
                    doc
                }
                Target::Expr(_, steps) if steps.is_empty() => {
                    self.report_cut(span, &src.snippet(traversal.span()));
                    Doc::Nothing
                }
                _ => Doc::Nothing,
            },
            _ => Doc::Nothing,
        }
    }

    /// JSON text with holes: the document, a string where a document belongs (the policy
    /// parser says what is wrong), or a `parse-error` unless template directives may have
    /// built the JSON.
    fn json_document(&mut self, mapped: Mapped, directive: bool, src: &Src<'_>, span: Span) -> Doc {
        if !mapped.text.trim_start().starts_with('{') {
            if mapped.text.trim().is_empty() || !mapped.holes.is_empty() {
                return Doc::Nothing;
            }
            return Doc::Value(Value::new(span, mapped.into_kind()));
        }
        let table = OffsetMap::Table(mapped.offset_table());
        match json::parse_embedded(src.file, &mapped.text, &table, &mapped.holes) {
            Ok(Some(value)) => Doc::Value(value),
            Ok(None) => Doc::Nothing,
            Err(_) if directive => Doc::Nothing,
            Err(error) => {
                self.diagnostics.push(syntax_error(
                    src.file,
                    src.file_text,
                    error.offset,
                    format!("invalid JSON in the policy document: {}", error.message),
                ));
                Doc::Nothing
            }
        }
    }

    /// A template as text with file offsets: literals decoded, interpolations that resolve
    /// to a known string spliced in, the rest holes. Also says whether it has directives.
    fn template(
        &mut self,
        template: &Template,
        src: &Src<'_>,
        escapes: Escapes,
        span: Span,
    ) -> (Mapped, bool) {
        let mut mapped = Mapped {
            end: span.end,
            ..Mapped::default()
        };
        let mut directive = false;
        for element in template.iter() {
            let range = element.span().unwrap_or_default();
            match element {
                Element::Literal(_) => push_literal(&mut mapped, src, range.clone(), escapes),
                Element::Interpolation(interpolation) => {
                    let at = src.map.map(range.start) as u32;
                    let value = self.hcl(&interpolation.expr, src, span);
                    match value.kind {
                        ValueKind::String(text) => mapped.push_at(&text, at),
                        ValueKind::Number(text) => mapped.push_at(&text, at),
                        ValueKind::Bool(b) => mapped.push_at(if b { "true" } else { "false" }, at),
                        ValueKind::Template(parts) => {
                            for part in parts {
                                match part {
                                    TemplatePart::Literal(text) => mapped.push_at(&text, at),
                                    TemplatePart::Hole(unknown) => mapped.push_unknown(unknown, at),
                                }
                            }
                        }
                        ValueKind::Unknown(unknown) => {
                            push_raw_hole(&mut mapped, src, range, unknown)
                        }
                        _ => push_raw_hole(
                            &mut mapped,
                            src,
                            range.clone(),
                            Unknown {
                                expression: src.snippet(interpolation.expr.span()),
                                reference: None,
                            },
                        ),
                    }
                }
                Element::Directive(_) => {
                    directive = true;
                    let expression = src.snippet(Some(range.clone()));
                    push_raw_hole(
                        &mut mapped,
                        src,
                        range,
                        Unknown {
                            expression,
                            reference: None,
                        },
                    );
                }
            }
            mapped.end = src.map.map(element.span().unwrap_or_default().end) as u32;
        }
        (mapped, directive)
    }

    /// A `.tf.json` string is a template: decode it, parse the template, and lower it with
    /// offsets mapped through the JSON escapes.
    fn with_json_template<R>(
        &mut self,
        value: &Value,
        src: &Src<'_>,
        f: impl FnOnce(&mut Self, &Template, &Src<'_>) -> R,
    ) -> Option<R> {
        let literal = src.file_text.get(value.span.range())?;
        let (text, table) = json::decode_string_literal(literal, value.span.start as usize)?;
        let template = hcl_edit::parser::parse_template(&text).ok()?;
        let tsrc = Src {
            file: src.file,
            file_text: src.file_text,
            text: &text,
            map: OffsetMap::Table(table),
        };
        Some(f(self, &template, &tsrc))
    }

    fn json_value(&mut self, value: &Value, src: &Src<'_>) -> Value {
        match &value.kind {
            ValueKind::String(text) if text.contains("${") || text.contains("%{") => self
                .with_json_template(value, src, |this, template, tsrc| {
                    if let Some(inner) = single_interpolation(template) {
                        return this.hcl(inner, tsrc, value.span);
                    }
                    let (mapped, _) = this.template(template, tsrc, Escapes::Template, value.span);
                    Value::new(value.span, mapped.into_kind())
                })
                .unwrap_or_else(|| value.clone()),
            ValueKind::Array(items) => Value::new(
                value.span,
                ValueKind::Array(items.iter().map(|v| self.json_value(v, src)).collect()),
            ),
            ValueKind::Object(members) => Value::new(
                value.span,
                ValueKind::Object(
                    members
                        .iter()
                        .map(|m| Member {
                            key: m.key.clone(),
                            key_span: m.key_span,
                            value: self.json_value(&m.value, src),
                        })
                        .collect(),
                ),
            ),
            _ => value.clone(),
        }
    }

    /// `file("${path.module}/policy.json")` and `templatefile(path, vars)`: the file is read
    /// relative to the module, and spans point into it.
    fn file_document(&mut self, call: &FuncCall, src: &Src<'_>, span: Span) -> Doc {
        let mut args = call.args.iter();
        let Some((path, written)) = args.next().and_then(|arg| self.file_path(arg, src, span))
        else {
            return Doc::Nothing;
        };
        let (file, source) = match self.load(&path) {
            Ok(loaded) => loaded,
            Err(unread) => {
                self.report_unread(&unread, &written, src.span(call.span(), span));
                return Doc::Nothing;
            }
        };
        let text = source.text();
        if call.name.name.as_str() == "file" {
            return match json::parse_file(file, text) {
                Ok(Some(value)) => Doc::Value(value),
                Ok(None) => Doc::Nothing,
                Err(error) => {
                    self.diagnostics.push(syntax_error(
                        file,
                        text,
                        error.offset,
                        format!("invalid JSON in the policy document: {}", error.message),
                    ));
                    Doc::Nothing
                }
            };
        }
        let vars = args.next().map(|arg| self.hcl(arg, src, span));
        let Ok(template) = hcl_edit::parser::parse_template(text) else {
            return Doc::Nothing;
        };
        let tsrc = Src {
            file,
            file_text: text,
            text,
            map: OffsetMap::Shift(0),
        };
        let outer = std::mem::replace(&mut self.scope, vars);
        let whole = Span::new(file, 0, text.len());
        let (mapped, directive) = self.template(&template, &tsrc, Escapes::Template, whole);
        self.scope = outer;
        self.json_document(mapped, directive, &tsrc, whole)
    }

    /// A file the code names that was not read, reported where the code names it; a file
    /// that does not exist is not (a build step may write it before `terraform plan`).
    pub(super) fn report_unread(&mut self, unread: &Unread, written: &str, at: Span) {
        if *unread != Unread::Missing {
            self.diagnostics.push(Problem::new(
                RuleId::UnreadFile,
                at,
                unread.message(written),
            ));
        }
    }

    /// The path a `file()` argument names, when it is known, and as the code writes it:
    /// `path.module`, `path.root` and `path.cwd` are the module's directory (the usual
    /// layout), other references unknown.
    fn file_path(
        &mut self,
        arg: &Expression,
        src: &Src<'_>,
        span: Span,
    ) -> Option<(PathBuf, String)> {
        let mut text = String::new();
        let elements: Vec<&Element> = match arg {
            Expression::String(s) => {
                text.push_str(s.value());
                Vec::new()
            }
            Expression::StringTemplate(template) => template.iter().collect(),
            _ => return None,
        };
        for element in elements {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    let is_path = interpolation.expr.as_traversal().is_some_and(|t| {
                        t.expr.as_variable().is_some_and(|v| v.as_str() == "path")
                    });
                    if is_path && text.is_empty() {
                        text.push('.');
                        continue;
                    }
                    match self.hcl(&interpolation.expr, src, span).kind {
                        ValueKind::String(part) => text.push_str(&part),
                        _ => return None,
                    }
                }
                Element::Directive(_) => return None,
            }
        }
        let relative = Path::new(&text);
        let path = if relative.is_absolute() {
            relative.to_path_buf()
        } else {
            self.module.dir.join(relative)
        };
        let written = text.strip_prefix("./").unwrap_or(&text).to_string();
        Some((path, written))
    }

    pub(super) fn load(&mut self, path: &Path) -> Result<(FileId, Arc<SourceFile>), Unread> {
        let clean: PathBuf = path
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        if let Some(loaded) = self.loaded.get(&clean) {
            return loaded.clone();
        }
        let loaded = self.read.read(&clean);
        if let Ok((file, _)) = &loaded {
            self.external.push(*file);
        }
        self.loaded.insert(clean, loaded.clone());
        loaded
    }

    /// The address of the resource of type `kind` an attribute names
    /// (`aws_iam_role.ci.name` → `aws_iam_role.ci`, or `"ci"` when a role of the module has
    /// that literal name), or the name as written.
    pub(super) fn principal(
        &mut self,
        expr: Expr<'_>,
        fallback: Span,
        kind: &str,
    ) -> Option<(String, Span)> {
        if let Expr::Hcl(Expression::Traversal(traversal), src) = expr
            && traversal
                .expr
                .as_variable()
                .is_some_and(|v| v.as_str() == kind)
            && let Some(op) = traversal.operators.first()
            && let TraversalOperator::GetAttr(name) = op.value()
        {
            let address = format!("{kind}.{}", name.as_str());
            if self.module.resources.contains_key(&address) {
                return Some((address, src.span(traversal.span(), fallback)));
            }
        }
        let value = self.value(expr, fallback);
        let named = match &value.kind {
            ValueKind::String(name) => self
                .module
                .names
                .get(&(kind.to_string(), name.clone()))
                .cloned()
                .unwrap_or_else(|| name.clone()),
            ValueKind::Unknown(Unknown {
                reference: Some(reference),
                ..
            }) if reference.resource_type == kind => reference.address.clone(),
            _ => return None,
        };
        Some((named, value.span))
    }

    /// Items of a list attribute as principals.
    pub(super) fn principals(
        &mut self,
        expr: Expr<'a>,
        fallback: Span,
        kind: &str,
    ) -> Vec<(String, Span)> {
        match self.list_items(expr) {
            Some(items) => items
                .into_iter()
                .filter_map(|item| self.principal(item, fallback, kind))
                .collect(),
            None => self.principal(expr, fallback, kind).into_iter().collect(),
        }
    }

    /// Whether a block with `count` or `for_each` known to be zero or empty creates nothing
    /// (`count = var.create ? 1 : 0` with a known `var.create`).
    pub(super) fn creates_nothing(&mut self, block: &Block<'_>) -> bool {
        self.reset_budget();
        if let Some(count) = self.attr_value(block, "count") {
            return matches!(&count.kind, ValueKind::Number(n) if n.parse::<f64>() == Ok(0.0));
        }
        match self.attr_value(block, "for_each").map(|v| v.kind) {
            Some(ValueKind::Array(items)) => items.is_empty(),
            Some(ValueKind::Object(members)) => members.is_empty(),
            _ => false,
        }
    }

    /// Lowers a data source's block attribute by name, if present.
    pub(super) fn attr_value(&mut self, block: &Block<'_>, name: &str) -> Option<Value> {
        let attr = block.attr(name)?;
        Some(self.value(attr.value, attr.name_span))
    }
}

fn clone_step(step: &Step) -> Step {
    match step {
        Step::Attr(name) => Step::Attr(name.clone()),
        Step::Index(index) => Step::Index(*index),
        Step::Key(key) => Step::Key(key.clone()),
        Step::Opaque => Step::Opaque,
    }
}

/// `"${expr}"` is the value of `expr` itself, not a string made of it.
fn single_interpolation(template: &Template) -> Option<&Expression> {
    match template.iter().collect::<Vec<_>>().as_slice() {
        [Element::Interpolation(interpolation)] => Some(&interpolation.expr),
        _ => None,
    }
}

/// A variable default that only stands for "nothing unless the caller says" (`[]`, `{}`,
/// `null`, `""`): a possible value, not a certain one, so it stays unknown rather than make
/// a policy empty where the variable is declared.
fn is_placeholder(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Null => true,
        ValueKind::String(text) => text.is_empty(),
        ValueKind::Array(items) => items.is_empty(),
        ValueKind::Object(members) => members.is_empty(),
        _ => false,
    }
}

/// Where `.name` and `[0]` lead in a value.
enum Followed {
    Value(Value),
    /// Through a part only known at deploy time, or an index that is.
    Unknown,
    /// A key or index the known value does not have: Terraform fails.
    Missing,
}

/// Walks `.name` and `[0]` into a value known in the module.
fn follow(mut value: Value, steps: &[Step]) -> Followed {
    for step in steps {
        value = match (step, value.kind) {
            (_, ValueKind::Unknown(_) | ValueKind::Template(_)) | (Step::Opaque, _) => {
                return Followed::Unknown;
            }
            (Step::Attr(name) | Step::Key(name), ValueKind::Object(members)) => {
                match members.into_iter().find(|m| &m.key == name) {
                    Some(member) => member.value,
                    None => return Followed::Missing,
                }
            }
            (Step::Index(index), ValueKind::Array(items)) => match items.into_iter().nth(*index) {
                Some(item) => item,
                None => return Followed::Missing,
            },
            _ => return Followed::Missing,
        };
    }
    Followed::Value(value)
}

/// The raw text of an interpolation as the placeholder of a hole, so JSON around it keeps
/// its offsets.
fn push_raw_hole(
    mapped: &mut Mapped,
    src: &Src<'_>,
    range: std::ops::Range<usize>,
    unknown: Unknown,
) {
    let raw = src.text.get(range.clone()).unwrap_or("${}");
    let offsets = (range.start..range.start + raw.len()).map(|i| src.map.map(i) as u32);
    mapped.push_hole(raw, offsets, unknown);
}

/// Whether a byte of a template literal always decodes to itself: ASCII, and no start of
/// an escape (`\\`), `$${` or `%%{`.
fn is_plain(byte: u8) -> bool {
    byte.is_ascii() && !matches!(byte, b'\\' | b'$' | b'%')
}

/// Decodes a template literal, recording the file offset of every decoded byte.
fn push_literal(
    mapped: &mut Mapped,
    src: &Src<'_>,
    range: std::ops::Range<usize>,
    escapes: Escapes,
) {
    let Some(raw) = src.text.get(range.clone()) else {
        return;
    };
    let mut chars = raw.char_indices().peekable();
    let mut buffer = [0u8; 4];
    while let Some((index, ch)) = chars.next() {
        // A run of ASCII that is neither an escape nor `$${`/`%%{` decodes to itself, each
        // byte from its own offset: copied at once, it cost a tenth of what it did character
        // by character.
        if u8::try_from(ch).is_ok_and(is_plain) {
            let plain = raw[index..].bytes().take_while(|&b| is_plain(b)).count();
            let offsets = (index..index + plain).map(|i| src.map.map(range.start + i) as u32);
            mapped.push_each(&raw[index..index + plain], offsets);
            for _ in 1..plain {
                chars.next();
            }
            continue;
        }
        let at = src.map.map(range.start + index) as u32;
        let rest = &raw[index..];
        let decoded: Option<char> = if rest.starts_with("$${") || rest.starts_with("%%{") {
            chars.next();
            Some(ch)
        } else if ch == '\\' && escapes == Escapes::Quoted {
            match chars.next().map(|(_, c)| c) {
                Some('n') => Some('\n'),
                Some('r') => Some('\r'),
                Some('t') => Some('\t'),
                Some('"') => Some('"'),
                Some('\\') => Some('\\'),
                Some(c @ ('u' | 'U')) => {
                    let digits = if c == 'u' { 4 } else { 8 };
                    let hex: String = (0..digits)
                        .filter_map(|_| chars.next().map(|(_, c)| c))
                        .collect();
                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                }
                Some(other) => Some(other),
                None => None,
            }
        } else {
            Some(ch)
        };
        if let Some(decoded) = decoded {
            mapped.push_at(decoded.encode_utf8(&mut buffer), at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str, escapes: Escapes) -> Mapped {
        let src = Src {
            file: FileId(0),
            file_text: text,
            text,
            map: OffsetMap::Shift(100),
        };
        let mut mapped = Mapped::default();
        push_literal(&mut mapped, &src, 0..text.len(), escapes);
        mapped
    }

    /// Plain runs, escapes, `$${`, `%%{` and characters of several bytes, each decoded
    /// byte at the offset of the character it was decoded from.
    #[test]
    fn a_literal_decodes_with_the_file_offset_of_every_byte() {
        let quoted = literal(r#"ab\"c$${d}%%{e}é\u00e9$x"#, Escapes::Quoted);
        assert_eq!(quoted.text, "ab\"c${d}%{e}éé$x");
        assert_eq!(
            quoted.offsets,
            [
                100, 101, 102, 104, 105, 107, 108, 109, 110, 112, 113, 114, 115, 115, 117, 117,
                123, 124
            ]
        );
        let heredoc = literal(r"a\nb$${c}", Escapes::Template);
        assert_eq!(heredoc.text, r"a\nb${c}");
        assert_eq!(heredoc.offsets, [100, 101, 102, 103, 104, 106, 107, 108]);
    }
}
