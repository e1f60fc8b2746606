//! SCIM filters (RFC 7644 §3.4.2.2): parsed once into a tree whose attribute
//! paths are already resolved against the schema table, then evaluated over
//! any number of resources without allocating in the common (ASCII) case.
//!
//! Semantics where the RFC leaves room, chosen to be predictable:
//! - attribute names are case-insensitive; string comparison follows the
//!   attribute's `caseExact` (false unless the schema says true, RFC 7643 §2.2);
//! - a multi-valued attribute matches if any of its values matches; comparing
//!   a multi-valued complex attribute itself (`emails co "@x"`) compares its
//!   `value` sub-attribute;
//! - `ne` is the negation of `eq` (an absent attribute is "not equal");
//!   `eq null` is "absent or null", `ne null` is "present";
//! - `meta.created` / `meta.lastModified` compare as instants, so
//!   `2026-01-01T00:00:00Z` equals `2026-01-01T01:00:00+01:00`;
//! - `pr` is false for null, `""`, `[]` and `{}` (RFC: "a non-empty value").

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::path::{AttrPath, Scope};
use super::schema::{Attr, Type};
use super::value::{
    bool_from_str, cmp_ci, contains_ci, ends_with_ci, eq_ci, get_ci, starts_with_ci,
};
use super::{ResourceKind, ScimError};

/// Deeper nesting of parentheses, `not` and value filters is refused, so a
/// hostile filter cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// A parsed filter.
#[derive(Debug, Clone)]
pub struct Filter {
    root: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn from_word(word: &str) -> Option<Op> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Co => "co",
            Op::Sw => "sw",
            Op::Ew => "ew",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
        }
    }

    fn is_ordering(self) -> bool {
        matches!(self, Op::Gt | Op::Ge | Op::Lt | Op::Le)
    }

    fn is_substring(self) -> bool {
        matches!(self, Op::Co | Op::Sw | Op::Ew)
    }

    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Eq => ordering == Ordering::Equal,
            Op::Ne => ordering != Ordering::Equal,
            Op::Gt => ordering == Ordering::Greater,
            Op::Ge => ordering != Ordering::Less,
            Op::Lt => ordering == Ordering::Less,
            Op::Le => ordering != Ordering::Greater,
            Op::Co | Op::Sw | Op::Ew => false,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Literal {
    /// The string as written (decoded) and lower-cased, for caseExact=false.
    Str {
        text: String,
        folded: String,
    },
    Num {
        text: String,
        value: f64,
    },
    Bool(bool),
    Null,
    /// A string literal compared with a dateTime attribute.
    Date {
        text: String,
        at: DateTime<FixedOffset>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Compare {
    pub path: AttrPath,
    pub op: Op,
    pub literal: Literal,
    case_exact: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Compare(Box<Compare>),
    Present(AttrPath),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `attr[filter]`: some value of the multi-valued `attr` matches `filter`,
    /// whose paths are relative to that value.
    ValuePath {
        path: AttrPath,
        filter: Box<Node>,
    },
}

/// Parse a filter. Errors are 400 `invalidFilter` with the character
/// position (1-based) and what was expected there.
pub fn parse(text: &str) -> Result<Filter, ScimError> {
    let mut parser = Parser::new(text);
    let root = parser.whole().map_err(|e| e.into_scim(text, "filter"))?;
    Ok(Filter { root })
}

impl Filter {
    /// Whether `resource` (a User or Group as RFC 7643 represents it) matches.
    pub fn matches(&self, kind: ResourceKind, resource: &Value) -> bool {
        eval(&self.root, kind, resource)
    }

    /// `userName eq "x"`, `externalId eq "x"`, `displayName eq "x"` or
    /// `id eq "x"`, alone or as a conjunct of a top-level `and`: the canonical
    /// attribute name and the value, for an index look-up. The candidates still
    /// go through [`Filter::matches`] (the rest of an `and`, and case: userName
    /// and displayName compare case-insensitively, id and externalId exactly).
    pub fn indexed_eq(&self) -> Option<(&str, &str)> {
        indexed(&self.root)
    }
}

fn indexed(node: &Node) -> Option<(&str, &str)> {
    match node {
        Node::Compare(c) => {
            let name = &*c.path.name;
            let indexable = c.op == Op::Eq
                && c.path.sub.is_none()
                && matches!(c.path.scope, Scope::Core(_))
                && c.path.attr.is_some()
                && matches!(name, "userName" | "externalId" | "displayName" | "id");
            match (&c.literal, indexable) {
                (Literal::Str { text, .. }, true) => Some((name, text.as_str())),
                _ => None,
            }
        }
        Node::And(terms) => terms.iter().find_map(indexed),
        _ => None,
    }
}

impl fmt::Display for Filter {
    /// A canonical form with explicit parentheses, which parses back to the same filter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str { text, .. } | Literal::Date { text, .. } => {
                write!(f, "{}", Value::from(text.as_str()))
            }
            Literal::Num { text, .. } => f.write_str(text),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Null => f.write_str("null"),
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Compare(c) => write!(f, "{} {} {}", c.path, c.op.as_str(), c.literal),
            Node::Present(p) => write!(f, "{p} pr"),
            Node::And(terms) | Node::Or(terms) => {
                let word = if matches!(self, Node::And(_)) {
                    " and "
                } else {
                    " or "
                };
                f.write_str("(")?;
                for (i, t) in terms.iter().enumerate() {
                    if i > 0 {
                        f.write_str(word)?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
            Node::Not(inner) => write!(f, "not ({inner})"),
            Node::ValuePath { path, filter } => write!(f, "{path}[{filter}]"),
        }
    }
}

// ---------------------------------------------------------------- evaluation

pub(crate) fn eval(node: &Node, kind: ResourceKind, resource: &Value) -> bool {
    match node {
        Node::And(terms) => terms.iter().all(|t| eval(t, kind, resource)),
        Node::Or(terms) => terms.iter().any(|t| eval(t, kind, resource)),
        Node::Not(inner) => !eval(inner, kind, resource),
        Node::Present(path) => any_value(kind, resource, path, &mut |v| is_present(v)),
        Node::Compare(c) => match (&c.literal, c.op) {
            (Literal::Null, Op::Eq) => !any_value(kind, resource, &c.path, &mut |v| !v.is_null()),
            (Literal::Null, _) => any_value(kind, resource, &c.path, &mut |v| !v.is_null()),
            (_, Op::Ne) => !any_value(kind, resource, &c.path, &mut |v| c.test(v, Op::Eq)),
            (_, op) => any_value(kind, resource, &c.path, &mut |v| c.test(v, op)),
        },
        Node::ValuePath { path, filter } => {
            // The elements themselves, not flattened into their sub-attributes.
            let Some(v) = attribute(kind, resource, path) else {
                return false;
            };
            match v {
                Value::Array(items) => items.iter().any(|item| eval(filter, kind, item)),
                Value::Object(_) => eval(filter, kind, v),
                _ => false,
            }
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, both with the same number of
/// fraction digits: comparing the bytes compares the instants.
fn same_utc_form(a: &str, b: &str) -> bool {
    let utc = |x: &str| {
        let x = x.as_bytes();
        x.len() >= 20
            && x[x.len() - 1] == b'Z'
            && x[10] == b'T'
            && x[4] == b'-'
            && x[7] == b'-'
            && x[13] == b':'
            && x[16] == b':'
    };
    a.len() == b.len() && utc(a) && utc(b)
}

fn is_present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => o.values().any(is_present),
        _ => true,
    }
}

/// The attribute's own value (before any sub-attribute), if the resource has one.
fn attribute<'v>(kind: ResourceKind, resource: &'v Value, path: &AttrPath) -> Option<&'v Value> {
    if !path.applies_to(kind) {
        return None;
    }
    let mut object = resource.as_object()?;
    if let Some(container) = path.container() {
        object = get_ci(object, container)?.as_object()?;
    }
    get_ci(object, &path.name)
}

/// Whether `f` holds for any value the path selects (multi-valued flattened).
fn any_value(
    kind: ResourceKind,
    resource: &Value,
    path: &AttrPath,
    f: &mut dyn FnMut(&Value) -> bool,
) -> bool {
    let Some(v) = attribute(kind, resource, path) else {
        return false;
    };
    let flat = |x: &Value, f: &mut dyn FnMut(&Value) -> bool| match x {
        Value::Array(items) => items.iter().any(&mut *f),
        other => f(other),
    };
    match &path.sub {
        None => flat(v, f),
        Some(sub) => match v {
            Value::Array(items) => items.iter().any(|item| {
                item.as_object()
                    .and_then(|o| get_ci(o, sub))
                    .is_some_and(|x| flat(x, f))
            }),
            Value::Object(o) => get_ci(o, sub).is_some_and(|x| flat(x, f)),
            _ => false,
        },
    }
}

impl Compare {
    fn test(&self, v: &Value, op: Op) -> bool {
        // `emails eq "x"`: a complex value compares through its `value`.
        let v = match v {
            Value::Object(o) => match get_ci(o, "value") {
                Some(inner) => inner,
                None => return false,
            },
            other => other,
        };
        match (&self.literal, v) {
            (Literal::Str { text, folded }, Value::String(s)) => {
                if self.case_exact {
                    match op {
                        Op::Co => s.contains(text.as_str()),
                        Op::Sw => s.starts_with(text.as_str()),
                        Op::Ew => s.ends_with(text.as_str()),
                        _ => op.accepts(s.as_str().cmp(text.as_str())),
                    }
                } else {
                    match op {
                        Op::Co => contains_ci(s, folded),
                        Op::Sw => starts_with_ci(s, folded),
                        Op::Ew => ends_with_ci(s, folded),
                        Op::Eq => eq_ci(s, folded),
                        _ => op.accepts(cmp_ci(s, folded)),
                    }
                }
            }
            (Literal::Num { value, .. }, Value::Number(n)) => match n.as_f64() {
                Some(x) => x.partial_cmp(value).is_some_and(|o| op.accepts(o)),
                None => false,
            },
            (Literal::Bool(b), Value::Bool(x)) => op.accepts(x.cmp(b)),
            // A resource stored before normalisation may hold "True".
            (Literal::Bool(b), Value::String(s)) => {
                bool_from_str(s).is_some_and(|x| op.accepts(x.cmp(b)))
            }
            (Literal::Date { text, at }, Value::String(s)) => {
                // The usual case, both in the same UTC form: byte order is time order.
                if same_utc_form(s, text) {
                    op.accepts(s.as_bytes().cmp(text.as_bytes()))
                } else {
                    DateTime::parse_from_rfc3339(s).is_ok_and(|x| op.accepts(x.cmp(at)))
                }
            }
            _ => false,
        }
    }
}

// ------------------------------------------------------------------- parsing

pub(crate) struct ParseError {
    pub pos: usize,
    pub message: String,
}

impl ParseError {
    /// The SCIM error: `invalidFilter` for filters, `invalidPath` for PATCH paths.
    pub fn into_scim(self, text: &str, what: &str) -> ScimError {
        let column = text[..self.pos.min(text.len())].chars().count() + 1;
        let detail = format!("invalid {what} at character {column}: {}", self.message);
        if what == "filter" {
            ScimError::invalid_filter(detail)
        } else {
            ScimError::invalid_path(detail)
        }
    }
}

/// Where a sub-expression is parsed: at the top, or inside `attr[...]`.
#[derive(Clone, Copy)]
enum Context {
    Top,
    Within(Option<&'static Attr>),
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

fn is_path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'_' | b'-' | b'$')
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str) -> Self {
        Parser {
            src,
            pos: 0,
            depth: 0,
        }
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            pos,
            message: message.into(),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// What is at the cursor, for messages: the next token or "the end".
    fn found(&self) -> String {
        let rest = &self.src[self.pos..];
        if rest.is_empty() {
            return "the end".into();
        }
        let token: String = if rest.as_bytes()[0].is_ascii_alphanumeric() {
            rest.chars()
                .take_while(|c| c.is_ascii() && is_path_char(*c as u8))
                .take(40)
                .collect()
        } else {
            rest.chars().take(1).collect()
        };
        format!("\"{token}\"")
    }

    /// An alphabetic word at the cursor (not consumed).
    fn word_here(&self) -> &'a str {
        let rest = &self.src[self.pos..];
        let n = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        &rest[..n]
    }

    /// Consume `keyword` (case-insensitive) if it is the next whole word and is
    /// followed by whitespace, `(` or the end.
    fn keyword(&mut self, keyword: &str) -> bool {
        let word = self.word_here();
        if !word.eq_ignore_ascii_case(keyword) {
            return false;
        }
        let after = self.src.as_bytes().get(self.pos + word.len()).copied();
        if matches!(after, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'(')) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn whole(&mut self) -> Result<Node, ParseError> {
        self.skip_ws();
        if self.peek().is_none() {
            return self.err(self.pos, "the filter is empty");
        }
        let node = self.or_expr(Context::Top)?;
        self.skip_ws();
        if self.peek().is_some() {
            let message = if self.peek() == Some(b')') {
                "unbalanced ')'".to_string()
            } else {
                format!(
                    "expected \"and\", \"or\" or the end of the filter, found {}",
                    self.found()
                )
            };
            return self.err(self.pos, message);
        }
        Ok(node)
    }

    fn or_expr(&mut self, ctx: Context) -> Result<Node, ParseError> {
        let mut terms = vec![self.and_expr(ctx)?];
        loop {
            self.skip_ws();
            if !self.keyword("or") {
                break;
            }
            terms.push(self.and_expr(ctx)?);
        }
        Ok(if terms.len() == 1 {
            terms.pop().expect("one term")
        } else {
            Node::Or(terms)
        })
    }

    fn and_expr(&mut self, ctx: Context) -> Result<Node, ParseError> {
        let mut terms = vec![self.unary(ctx)?];
        loop {
            self.skip_ws();
            if !self.keyword("and") {
                break;
            }
            terms.push(self.unary(ctx)?);
        }
        Ok(if terms.len() == 1 {
            terms.pop().expect("one term")
        } else {
            Node::And(terms)
        })
    }

    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_DEPTH {
            return self.err(
                self.pos,
                format!("nested more than {MAX_DEPTH} levels deep"),
            );
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn expect_close(&mut self, close: u8, open_at: usize) -> Result<(), ParseError> {
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(());
        }
        let open = if close == b')' { '(' } else { '[' };
        let message = format!(
            "expected \"and\", \"or\" or '{}' closing the '{open}' at character {}, found {}",
            close as char,
            self.src[..open_at].chars().count() + 1,
            self.found()
        );
        self.err(self.pos, message)
    }

    fn parenthesised(&mut self, ctx: Context) -> Result<Node, ParseError> {
        let open_at = self.pos;
        self.pos += 1; // '('
        let inner = self.nested(|p| p.or_expr(ctx))?;
        self.expect_close(b')', open_at)?;
        Ok(inner)
    }

    fn unary(&mut self, ctx: Context) -> Result<Node, ParseError> {
        self.skip_ws();
        match self.peek() {
            Some(b'(') => return self.parenthesised(ctx),
            None => {
                return self.err(
                    self.pos,
                    "expected an attribute, '(' or \"not\", found the end of the filter",
                )
            }
            _ => {}
        }
        if self.keyword("not") {
            self.skip_ws();
            if self.peek() != Some(b'(') {
                return self.err(
                    self.pos,
                    format!("expected '(' after \"not\", found {}", self.found()),
                );
            }
            let inner = self.nested(|p| p.parenthesised(ctx))?;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.attribute_expression(ctx)
    }

    /// An attribute path as written (a run of name, URN and dot characters).
    fn raw_path(&mut self) -> Result<(&'a str, usize), ParseError> {
        let start = self.pos;
        let n = self.src[start..]
            .bytes()
            .take_while(|b| is_path_char(*b))
            .count();
        if n == 0 {
            return self.err(
                start,
                format!(
                    "expected an attribute name, '(' or \"not\", found {}",
                    self.found()
                ),
            );
        }
        self.pos += n;
        Ok((&self.src[start..start + n], start))
    }

    fn resolve(&self, raw: &str, at: usize, ctx: Context) -> Result<AttrPath, ParseError> {
        let resolved = match ctx {
            Context::Top => AttrPath::parse(raw, None),
            Context::Within(parent) => AttrPath::parse_relative(raw, parent),
        };
        resolved.map_err(|message| ParseError { pos: at, message })
    }

    fn attribute_expression(&mut self, ctx: Context) -> Result<Node, ParseError> {
        let (raw, at) = self.raw_path()?;
        let path = self.resolve(raw, at, ctx)?;
        if self.peek() == Some(b'[') {
            if matches!(ctx, Context::Within(_)) {
                return self.err(self.pos, "value filters cannot be nested");
            }
            if path.sub.is_some() {
                return self.err(self.pos, format!("a value filter applies to an attribute, not to the sub-attribute \"{path}\""));
            }
            let inner = self.value_filter(&path)?;
            return Ok(Node::ValuePath {
                path,
                filter: Box::new(inner),
            });
        }
        self.skip_ws();
        let word = self.word_here();
        if word.eq_ignore_ascii_case("pr") {
            self.pos += 2;
            return Ok(Node::Present(path));
        }
        let Some(op) = Op::from_word(word) else {
            return self.err(
                self.pos,
                format!(
                    "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \"{raw}\", found {}",
                    self.found()
                ),
            );
        };
        let op_at = self.pos;
        self.pos += word.len();
        self.skip_ws();
        let literal_at = self.pos;
        let literal = self.literal()?;
        self.compare(path, op, literal, op_at, literal_at)
    }

    /// `[valFilter]` after `path`; the cursor is on '['.
    fn value_filter(&mut self, path: &AttrPath) -> Result<Node, ParseError> {
        let open_at = self.pos;
        self.pos += 1;
        let inner = self.nested(|p| p.or_expr(Context::Within(path.attr)))?;
        self.expect_close(b']', open_at)?;
        Ok(inner)
    }

    fn literal(&mut self) -> Result<Literal, ParseError> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => {
                let bytes = self.src.as_bytes();
                let mut i = start + 1;
                loop {
                    match bytes.get(i) {
                        None => return self.err(start, "unterminated string (no closing '\"')"),
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                let slice = &self.src[start..=i];
                let text: String = serde_json::from_str(slice).map_err(|e| ParseError {
                    pos: start,
                    message: format!("invalid string literal {slice}: {e}"),
                })?;
                self.pos = i + 1;
                let folded = text.to_lowercase();
                Ok(Literal::Str { text, folded })
            }
            Some(b'-' | b'0'..=b'9') => {
                let n = self.src[start..]
                    .bytes()
                    .take_while(|b| {
                        b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let text = &self.src[start..start + n];
                match serde_json::from_str::<serde_json::Number>(text) {
                    Ok(number) => {
                        self.pos += n;
                        Ok(Literal::Num {
                            text: text.to_string(),
                            value: number.as_f64().unwrap_or(f64::NAN),
                        })
                    }
                    Err(_) => self.err(start, format!("\"{text}\" is not a number")),
                }
            }
            _ => {
                let word = self.word_here();
                // JSON's literals (RFC 7644's compValue), lower case only.
                let literal = match word {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "null" => Literal::Null,
                    _ if ["true", "false", "null"]
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(word)) =>
                    {
                        return self.err(
                            start,
                            format!(
                                "\"{word}\" is not a value: true, false and null are lower case"
                            ),
                        )
                    }
                    _ => {
                        return self.err(
                        start,
                        format!(
                            "expected a value (a \"string\", a number, true, false or null), found {}",
                            self.found()
                        ),
                    );
                    }
                };
                self.pos += word.len();
                Ok(literal)
            }
        }
    }

    /// Check that the operator, attribute and value go together, and adapt
    /// the value to the attribute's type.
    fn compare(
        &self,
        path: AttrPath,
        op: Op,
        literal: Literal,
        op_at: usize,
        literal_at: usize,
    ) -> Result<Node, ParseError> {
        let leaf = path.leaf();
        // A complex attribute compares through its `value` sub-attribute.
        let target = match leaf {
            Some(a) if a.ty == Type::Complex => match a.sub_attr("value") {
                Some(value) => Some(value),
                None => {
                    return self.err(
                        op_at,
                        format!("\"{path}\" is complex: compare one of its sub-attributes (e.g. \"{path}.{}\")", a.sub.first().map_or("value", |s| s.name)),
                    )
                }
            },
            other => other,
        };
        let ty = target.map(|a| a.ty);
        let literal = match (literal, ty) {
            (Literal::Null, _) if !matches!(op, Op::Eq | Op::Ne) => {
                return self.err(literal_at, format!("null can only be compared with eq or ne, not {}", op.as_str()))
            }
            // Entra-style "True" for a boolean attribute.
            (Literal::Str { text, folded }, Some(Type::Boolean)) => match bool_from_str(&text) {
                Some(b) => Literal::Bool(b),
                None => Literal::Str { text, folded },
            },
            (Literal::Str { text, .. }, Some(Type::DateTime)) => {
                match DateTime::parse_from_rfc3339(&text) {
                    Ok(at) => Literal::Date { text, at },
                    Err(_) => {
                        return self.err(
                            literal_at,
                            format!("\"{path}\" is a dateTime: compare it with an RFC 3339 date-time such as \"2026-01-31T08:00:00Z\", not {}", Value::from(text)),
                        )
                    }
                }
            }
            (other, _) => other,
        };
        if matches!(ty, Some(Type::Boolean | Type::Binary))
            && (op.is_ordering() || op.is_substring())
        {
            return self.err(
                op_at,
                format!(
                    "{} cannot be used with \"{path}\", a {}",
                    op.as_str(),
                    ty.map_or("", |t| t.as_str())
                ),
            );
        }
        match &literal {
            Literal::Bool(_) if op.is_ordering() || op.is_substring() => {
                return self.err(op_at, format!("{} cannot compare booleans", op.as_str()))
            }
            Literal::Num { .. } | Literal::Date { .. } if op.is_substring() => {
                return self.err(op_at, format!("{} needs a string value", op.as_str()))
            }
            _ => {}
        }
        let case_exact = target.is_some_and(|a| a.case_exact);
        Ok(Node::Compare(Box::new(Compare {
            path,
            op,
            literal,
            case_exact,
        })))
    }

    // ------------------------------------------------------- PATCH paths

    /// A PATCH `path` (RFC 7644 §3.5.2): `attrPath` or
    /// `attrPath "[" valFilter "]" ["." subAttr]`.
    pub fn patch_path(mut self, kind: ResourceKind) -> Result<PatchPath, ParseError> {
        self.skip_ws();
        let (raw, at) = self.raw_path()?;
        let attr =
            AttrPath::parse(raw, Some(kind)).map_err(|message| ParseError { pos: at, message })?;
        let mut path = PatchPath {
            attr,
            filter: None,
            sub: None,
        };
        if self.peek() == Some(b'[') {
            if path.attr.sub.is_some() {
                return self.err(
                    self.pos,
                    format!(
                        "a value filter applies to an attribute, not to the sub-attribute \"{}\"",
                        path.attr
                    ),
                );
            }
            path.filter = Some(self.value_filter(&path.attr)?);
            if self.peek() == Some(b'.') {
                self.pos += 1;
                let (sub, sub_at) = self.raw_path()?;
                let resolved =
                    AttrPath::parse_relative(sub, path.attr.attr).map_err(|message| {
                        ParseError {
                            pos: sub_at,
                            message,
                        }
                    })?;
                path.sub = Some(resolved);
            }
        }
        self.skip_ws();
        if self.peek().is_some() {
            return self.err(
                self.pos,
                format!("unexpected {} after the path", self.found()),
            );
        }
        Ok(path)
    }
}

/// A parsed PATCH path.
#[derive(Debug, Clone)]
pub(crate) struct PatchPath {
    pub attr: AttrPath,
    pub filter: Option<Node>,
    /// The sub-attribute after a value filter: `emails[type eq "work"].value`.
    pub sub: Option<AttrPath>,
}

/// For a filter made only of `eq` on simple sub-attributes joined by `and`
/// (`type eq "work" and primary eq true`), the value it describes, so a
/// PATCH can create the element it names when none exists yet.
pub(crate) fn equalities(node: &Node) -> Option<serde_json::Map<String, Value>> {
    let mut out = serde_json::Map::new();
    fn walk(node: &Node, out: &mut serde_json::Map<String, Value>) -> bool {
        match node {
            Node::And(terms) => terms.iter().all(|t| walk(t, out)),
            Node::Compare(c) if c.op == Op::Eq => {
                let value = match &c.literal {
                    Literal::Str { text, .. } | Literal::Date { text, .. } => {
                        Value::from(text.as_str())
                    }
                    Literal::Bool(b) => Value::Bool(*b),
                    Literal::Num { text, .. } => match serde_json::from_str(text) {
                        Ok(v) => v,
                        Err(_) => return false,
                    },
                    Literal::Null => return false,
                };
                out.insert(c.path.name.to_string(), value);
                true
            }
            _ => false,
        }
    }
    walk(node, &mut out).then_some(out)
}

/// An S-expression of the tree, for comparing the parse with another
/// implementation's: `(and A B)`, `(eq emails.value "x")`, `(vp emails A)`.
#[cfg(test)]
pub(crate) fn sexpr(filter: &Filter) -> String {
    fn go(node: &Node, out: &mut String) {
        match node {
            Node::Compare(c) => {
                // Numbers by value (`1e3` is 1000), as JSON prints them.
                let literal = match &c.literal {
                    Literal::Num { value, .. } => value.to_string(),
                    other => other.to_string(),
                };
                out.push_str(&format!(
                    "({} {} {literal})",
                    c.op.as_str(),
                    path_key(&c.path)
                ))
            }
            Node::Present(p) => out.push_str(&format!("(pr {})", path_key(p))),
            Node::And(terms) | Node::Or(terms) => {
                let word = if matches!(node, Node::And(_)) {
                    "and"
                } else {
                    "or"
                };
                // Binary and left-associative, as most parsers build it.
                let mut acc = String::new();
                go(&terms[0], &mut acc);
                for t in &terms[1..] {
                    let mut rhs = String::new();
                    go(t, &mut rhs);
                    acc = format!("({word} {acc} {rhs})");
                }
                out.push_str(&acc);
            }
            Node::Not(inner) => {
                out.push_str("(not ");
                go(inner, out);
                out.push(')');
            }
            Node::ValuePath { path, filter } => {
                out.push_str(&format!("(vp {} ", path_key(path)));
                go(filter, out);
                out.push(')');
            }
        }
    }
    fn path_key(p: &AttrPath) -> String {
        p.to_string().to_lowercase()
    }
    let mut out = String::new();
    go(&filter.root, &mut out);
    out
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
