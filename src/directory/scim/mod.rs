//! The SCIM 2.0 protocol core (RFC 7643 / RFC 7644) of `dsync directory`:
//! pure functions over resources as `serde_json::Value`, no I/O.
//!
//! - [`filter`]: the `filter` query parameter (§3.4.2.2), parsed once and
//!   evaluated over many resources, with the schema's case rules;
//! - [`patch`]: PATCH requests (§3.5.2), atomic, tolerant of what Okta and
//!   Entra ID really send;
//! - [`normalize`]: POST/PUT bodies to the stored form; [`project`]:
//!   `attributes` / `excludedAttributes`;
//! - [`documents`]: `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`;
//! - [`ScimError`]: the §3.12 error body.
//!
//! The attribute definitions live in one table, [`schema`].

#[cfg(test)]
mod crosscheck;
pub mod documents;
pub mod filter;
pub mod patch;
#[cfg(test)]
mod patch_crosscheck;
mod path;
mod resource;
pub mod schema;
mod value;

pub use resource::{normalize, project};

use serde_json::{json, Value};

/// The two resource types the directory serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    User,
    Group,
}

impl ResourceKind {
    /// The resource type name (`meta.resourceType`, `/ResourceTypes/{name}`).
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::User => "User",
            ResourceKind::Group => "Group",
        }
    }

    /// The core schema URN.
    pub fn schema_urn(self) -> &'static str {
        schema::core(self).id
    }
}

/// A SCIM error (RFC 7644 §3.12): an HTTP status, an optional `scimType`
/// and a detail message saying what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn new(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    fn bad_request(scim_type: &'static str, detail: impl Into<String>) -> Self {
        ScimError::new(400, Some(scim_type), detail)
    }

    /// 400 `invalidFilter`: the filter syntax was invalid or its operator and
    /// attribute do not go together.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidFilter", detail)
    }
    /// 400 `invalidPath`: a PATCH `path` was malformed or names no attribute.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidPath", detail)
    }
    /// 400 `noTarget`: a PATCH `path` selected nothing where something was needed.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::bad_request("noTarget", detail)
    }
    /// 400 `invalidValue`: a value of the wrong type, or a required one missing.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidValue", detail)
    }
    /// 400 `mutability`: an attempt to change a read-only or required attribute.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::bad_request("mutability", detail)
    }
    /// 400 `invalidSyntax`: the request body does not have the request's shape.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidSyntax", detail)
    }
    /// 409 `uniqueness`.
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        ScimError::new(409, Some("uniqueness"), detail)
    }
    /// 404 without a `scimType`.
    pub fn not_found(detail: impl Into<String>) -> Self {
        ScimError::new(404, None, detail)
    }

    /// The RFC 7644 §3.12 body: `schemas`, `status` as a string, `scimType`
    /// when there is one, `detail`.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "schemas": [schema::ERROR_URN],
            "status": self.status.to_string(),
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = Value::from(scim_type);
        }
        body["detail"] = Value::from(self.detail.as_str());
        body
    }
}

impl std::fmt::Display for ScimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.scim_type {
            Some(t) => write!(f, "{} {}: {}", self.status, t, self.detail),
            None => write!(f, "{}: {}", self.status, self.detail),
        }
    }
}

impl std::error::Error for ScimError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_follows_rfc_7644_section_3_12() {
        let err = ScimError::invalid_filter("expected an operator at character 10");
        assert_eq!(
            err.body(),
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "400",
                "scimType": "invalidFilter",
                "detail": "expected an operator at character 10",
            })
        );
        let missing = ScimError::not_found("User 42 not found").body();
        assert_eq!(missing["status"], "404");
        assert!(missing.get("scimType").is_none());
        assert_eq!(
            err.to_string(),
            "400 invalidFilter: expected an operator at character 10"
        );
    }
}
