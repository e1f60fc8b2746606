//! Attribute paths (RFC 7644 §3.10): `[URN ":"] attr ["." subAttr]`,
//! resolved against the schema table once, when a filter or PATCH path is
//! parsed, so evaluation never looks names up in the schema again.

use std::fmt;

use super::schema::{self, Attr, Schema};
use super::value::is_urn;
use super::ResourceKind;

/// Where an attribute lives.
#[derive(Debug, Clone)]
pub enum Scope {
    /// A core attribute; `Some(kind)` when the path carried the core schema URN
    /// (`urn:ietf:params:scim:schemas:core:2.0:User:userName`), which restricts
    /// it to that resource type.
    Core(Option<ResourceKind>),
    /// An attribute of a known extension, stored under the extension's URN.
    Extension(&'static Schema),
    /// An attribute of an extension this server does not define, kept as sent.
    Other(Box<str>),
}

#[derive(Debug, Clone)]
pub struct AttrPath {
    pub scope: Scope,
    /// The canonical name when the schema knows it, else as written.
    pub name: Box<str>,
    pub sub: Option<Box<str>>,
    pub attr: Option<&'static Attr>,
    pub sub_attr: Option<&'static Attr>,
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '$' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Split `urn:...:attr.sub` into the URN (if any) and `attr.sub`.
fn split_urn(raw: &str) -> Result<(Option<&str>, &str), String> {
    if !is_urn(raw) {
        return Ok((None, raw));
    }
    for s in schema::known_schemas() {
        let n = s.id.len();
        if raw.len() >= n && raw.is_char_boundary(n) && raw[..n].eq_ignore_ascii_case(s.id) {
            if raw.len() == n {
                return Err(format!(
                    "\"{raw}\" is a schema URN; an attribute name must follow it after ':'"
                ));
            }
            if raw.as_bytes()[n] == b':' {
                return Ok((Some(&raw[..n]), &raw[n + 1..]));
            }
        }
    }
    match raw.rfind(':') {
        Some(i) if i + 1 < raw.len() => Ok((Some(&raw[..i]), &raw[i + 1..])),
        _ => Err(format!(
            "\"{raw}\" has no attribute name after its schema URN"
        )),
    }
}

impl AttrPath {
    /// A top-level path; `kind` narrows the core look-up when known (PATCH),
    /// `None` looks in both core schemas (filters are parsed before the
    /// resource type is known; the names they share mean the same).
    pub fn parse(raw: &str, kind: Option<ResourceKind>) -> Result<AttrPath, String> {
        let (urn, rest) = split_urn(raw)?;
        let (name, sub) = match rest.split_once('.') {
            Some((n, s)) => (n, Some(s)),
            None => (rest, None),
        };
        if !valid_name(name) {
            return Err(format!("\"{name}\" is not a valid attribute name"));
        }
        if let Some(s) = sub {
            if !valid_name(s) {
                return Err(format!("\"{s}\" is not a valid sub-attribute name"));
            }
        }
        let (scope, attr) = match urn {
            None => {
                let attr = match kind {
                    Some(k) => schema::top_level(k, name),
                    None => schema::top_level_any(name),
                };
                (Scope::Core(None), attr)
            }
            Some(urn) => match schema::schema_by_urn(urn) {
                Some(s) if s.id == schema::USER_URN || s.id == schema::GROUP_URN => {
                    let k = if s.id == schema::USER_URN {
                        ResourceKind::User
                    } else {
                        ResourceKind::Group
                    };
                    (Scope::Core(Some(k)), schema::top_level(k, name))
                }
                Some(s) => (Scope::Extension(s), schema::find(s.attributes, name)),
                None => (Scope::Other(urn.into()), None),
            },
        };
        let sub_attr = match (attr, sub) {
            (Some(a), Some(s)) => {
                if a.sub.is_empty() {
                    return Err(format!(
                        "\"{}\" has no sub-attributes (\"{}.{s}\")",
                        a.name, a.name
                    ));
                }
                a.sub_attr(s)
            }
            _ => None,
        };
        Ok(AttrPath {
            scope,
            name: attr.map_or(name, |a| a.name).into(),
            sub: sub.map(|s| sub_attr.map_or(s, |a| a.name).into()),
            attr,
            sub_attr,
        })
    }

    /// A path inside a value filter (`emails[type eq "work"]`): a
    /// sub-attribute of `parent`, no URN, no further dots.
    pub fn parse_relative(raw: &str, parent: Option<&'static Attr>) -> Result<AttrPath, String> {
        if !valid_name(raw) {
            return Err(format!(
                "\"{raw}\" is not a sub-attribute name (inside [...] name sub-attributes only, e.g. type, value, primary)"
            ));
        }
        let attr = parent.and_then(|p| p.sub_attr(raw));
        Ok(AttrPath {
            scope: Scope::Core(None),
            name: attr.map_or(raw, |a| a.name).into(),
            sub: None,
            attr,
            sub_attr: None,
        })
    }

    /// The object key the attribute's container lives under, for extensions.
    pub fn container(&self) -> Option<&str> {
        match &self.scope {
            Scope::Core(_) => None,
            Scope::Extension(s) => Some(s.id),
            Scope::Other(urn) => Some(urn),
        }
    }

    /// Whether this path can select anything in a resource of `kind`.
    pub fn applies_to(&self, kind: ResourceKind) -> bool {
        match self.scope {
            Scope::Core(Some(k)) => k == kind,
            Scope::Extension(s) => schema::extensions(kind).iter().any(|e| e.id == s.id),
            _ => true,
        }
    }

    /// The definition of the attribute the path ends at, if known.
    pub fn leaf(&self) -> Option<&'static Attr> {
        if self.sub.is_some() {
            self.sub_attr
        } else {
            self.attr
        }
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scope {
            Scope::Core(Some(k)) => write!(f, "{}:", k.schema_urn())?,
            Scope::Core(None) => {}
            Scope::Extension(s) => write!(f, "{}:", s.id)?,
            Scope::Other(u) => write!(f, "{u}:")?,
        }
        f.write_str(&self.name)?;
        if let Some(s) = &self.sub {
            write!(f, ".{s}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_names_case_insensitively_to_the_canonical_spelling() {
        let p = AttrPath::parse("NAME.FamilyNAME", None).unwrap();
        assert_eq!(p.to_string(), "name.familyName");
        assert!(!p.leaf().unwrap().case_exact);
        assert!(
            AttrPath::parse("externalid", None)
                .unwrap()
                .leaf()
                .unwrap()
                .case_exact
        );
        let p = AttrPath::parse("Members.Value", None).unwrap();
        assert_eq!(p.to_string(), "members.value");
        assert!(p.leaf().unwrap().case_exact);
    }

    #[test]
    fn urn_prefixes() {
        let p = AttrPath::parse(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            None,
        )
        .unwrap();
        assert_eq!(p.container(), Some(schema::ENTERPRISE_URN));
        assert_eq!(&*p.name, "employeeNumber");
        assert!(p.applies_to(ResourceKind::User) && !p.applies_to(ResourceKind::Group));
        let p = AttrPath::parse(
            "URN:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            None,
        )
        .unwrap();
        assert_eq!(
            p.to_string(),
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
        );
        let p =
            AttrPath::parse("urn:ietf:params:scim:schemas:core:2.0:User:userName", None).unwrap();
        assert_eq!(p.container(), None);
        assert!(p.applies_to(ResourceKind::User) && !p.applies_to(ResourceKind::Group));
        let p = AttrPath::parse("urn:example:custom:2.0:User:badge", None).unwrap();
        assert_eq!(p.container(), Some("urn:example:custom:2.0:User"));
        assert!(AttrPath::parse(schema::ENTERPRISE_URN, None).is_err());
        assert!(AttrPath::parse("name.givenName.x", None).is_err());
        assert!(AttrPath::parse("1abc", None).is_err());
        assert!(AttrPath::parse("active.x", None).is_err());
    }
}
