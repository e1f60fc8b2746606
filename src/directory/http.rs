//! SCIM 2.0 over HTTP (RFC 7644): routing, bearer-token auth, errors as SCIM
//! error bodies, ETags. Runs on the shared server layer; every answer is
//! `application/scim+json`.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use super::scim::{self, ResourceKind, ScimError};
use super::service::{etag, Directory, ListQuery, Reply};
use super::{Observer, Record, RequestRecord};
use crate::server::{Handler, Request, RequestBody, Response};
use crate::signature::{header_value, matches_constant_time};

pub const SCIM_CONTENT_TYPE: &str = "application/scim+json";
pub const BASE_PATH: &str = "/scim/v2";

/// The SCIM endpoint.
pub struct ScimHandler {
    pub directory: Arc<Directory>,
    /// `None`: `--no-auth`.
    pub token: Option<String>,
    pub observer: Option<Observer>,
    /// `http://127.0.0.1:PORT`, when a request names no Host.
    pub origin: String,
}

fn error(e: &ScimError) -> Response {
    scim_json(e.status, &e.body())
}

fn scim_json(status: u16, value: &Value) -> Response {
    Response::new(
        status,
        serde_json::to_vec(value).expect("JSON values always serialise"),
    )
    .with_header("Content-Type", SCIM_CONTENT_TYPE)
}

fn err(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> ScimError {
    ScimError {
        status,
        scim_type,
        detail: detail.into(),
    }
}

impl ScimHandler {
    /// `http(s)://host/scim/v2` as the client reached us (tunnels set
    /// `X-Forwarded-Proto`), for `meta.location` and `$ref`.
    fn base(&self, request: &Request) -> String {
        let origin = match header_value(&request.headers, "host") {
            Some(host) if !host.is_empty() && !host.contains(['/', ' ']) => {
                let proto = header_value(&request.headers, "x-forwarded-proto")
                    .filter(|p| *p == "https" || *p == "http")
                    .unwrap_or("http");
                format!("{proto}://{host}")
            }
            _ => self.origin.clone(),
        };
        format!("{origin}{BASE_PATH}")
    }

    fn authorized(&self, request: &Request) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let Some(value) = header_value(&request.headers, "authorization") else {
            return false;
        };
        let Some((scheme, given)) = value.trim().split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case("bearer")
            && matches_constant_time(given.trim().as_bytes(), token.as_bytes())
    }

    fn route(
        &self,
        request: &Request,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Reply, ScimError> {
        let base = self.base(request);
        let rest = path
            .strip_prefix(BASE_PATH)
            .filter(|r| r.is_empty() || r.starts_with('/'))
            .ok_or_else(|| {
                err(
                    404,
                    None,
                    format!("no such endpoint {path}: the SCIM base URL is {base}"),
                )
            })?;
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let method = request.method.as_str();
        let q = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let if_match = header_value(&request.headers, "if-match");
        let doc = |value: Value| Reply {
            status: 200,
            resource: Some(value),
            version: None,
            events: vec![],
        };
        let kind_of = |s: &str| match s {
            "Users" => Some(ResourceKind::User),
            "Groups" => Some(ResourceKind::Group),
            _ => None,
        };
        match (method, segments.as_slice()) {
            ("GET", ["ServiceProviderConfig"]) => {
                Ok(doc(scim::documents::service_provider_config(&base)))
            }
            ("GET", [name @ ("Schemas" | "ResourceTypes")]) => {
                let list = if *name == "Schemas" {
                    scim::documents::schemas(&base)
                } else {
                    scim::documents::resource_types(&base)
                };
                Ok(doc(list))
            }
            ("GET", [name @ ("Schemas" | "ResourceTypes"), id]) => {
                let found = if *name == "Schemas" {
                    scim::documents::schema(&base, id)
                } else {
                    scim::documents::resource_type(&base, id)
                };
                found
                    .map(doc)
                    .ok_or_else(|| err(404, None, format!("no {name} entry {id}")))
            }
            (_, [name, ..]) if kind_of(name).is_none() => {
                Err(err(404, None, format!("no such endpoint {path}")))
            }
            ("GET", [name]) => {
                let kind = kind_of(name).expect("checked above");
                let number = |param: &str| -> Result<Option<u64>, ScimError> {
                    match q(param) {
                        None => Ok(None),
                        Some(v) => v
                            .trim()
                            .parse::<i64>()
                            .map(|n| Some(n.max(0) as u64))
                            .map_err(|_| {
                                err(
                                    400,
                                    Some("invalidValue"),
                                    format!("{param} must be an integer, not {v:?}"),
                                )
                            }),
                    }
                };
                let list_query = ListQuery {
                    filter: q("filter"),
                    start_index: number("startIndex")?,
                    count: number("count")?,
                    attributes: q("attributes"),
                    excluded: q("excludedAttributes"),
                };
                Ok(doc(self.directory.list(kind, &list_query, &base)?))
            }
            ("POST", [name]) => {
                let kind = kind_of(name).expect("checked above");
                let body = json_body(request)?;
                let reply = match kind {
                    ResourceKind::User => self.directory.create_user(&body, &base)?,
                    ResourceKind::Group => self.directory.create_group(&body, &base)?,
                };
                Ok(reply)
            }
            (_, [_]) => Err(err(405, None, format!("{method} is not allowed on {path}"))),
            (_, [name, id]) => {
                let kind = kind_of(name).expect("checked above");
                let users = kind == ResourceKind::User;
                let reply = match method {
                    "GET" => {
                        let mut reply = self.directory.get(kind, id, &base)?;
                        reply.resource = reply.resource.map(|r| {
                            scim::project(
                                &r,
                                q("attributes").as_deref(),
                                q("excludedAttributes").as_deref(),
                            )
                        });
                        reply
                    }
                    "PUT" | "PATCH" => {
                        let body = json_body(request)?;
                        let patch = method == "PATCH";
                        if users {
                            self.directory
                                .update_user(id, &body, patch, if_match, &base)?
                        } else {
                            self.directory
                                .update_group(id, &body, patch, if_match, &base)?
                        }
                    }
                    "DELETE" => {
                        if users {
                            self.directory.delete_user(id, if_match)?
                        } else {
                            self.directory.delete_group(id, if_match)?
                        }
                    }
                    _ => return Err(err(405, None, format!("{method} is not allowed on {path}"))),
                };
                Ok(reply)
            }
            _ => Err(err(404, None, format!("no such endpoint {path}"))),
        }
    }
}

fn json_body(request: &Request) -> Result<Value, ScimError> {
    let RequestBody::Complete(bytes) = &request.body else {
        return Err(err(413, None, "the body is over the size limit"));
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(err(
            400,
            Some("invalidSyntax"),
            "the request needs a JSON body",
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| err(400, Some("invalidSyntax"), "the body is not UTF-8"))?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(
            400,
            Some("invalidSyntax"),
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(err(
            400,
            Some("invalidSyntax"),
            "the body must be a JSON object",
        ));
    }
    Ok(value)
}

/// Path and decoded query pairs of a request target.
fn split_target(target: &str) -> (String, Vec<(String, String)>) {
    match reqwest::Url::parse(&format!("http://localhost{target}")) {
        Ok(url) => (
            url.path().to_string(),
            url.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ),
        Err(_) => (
            target.split('?').next().unwrap_or("").to_string(),
            Vec::new(),
        ),
    }
}

impl Handler for ScimHandler {
    fn handle(&self, request: Request) -> Response {
        let started = Instant::now();
        let (path, query) = split_target(&request.target);
        let outcome = if !self.authorized(&request) {
            let detail = if request.header("authorization").is_some() {
                "the bearer token does not match this directory's (it was shown when the directory first started; or pass --token to `dsync directory serve`)"
            } else {
                "a bearer token is required: Authorization: Bearer <token>"
            };
            Err(err(401, None, detail))
        } else if matches!(request.body, RequestBody::TooLarge { .. }) {
            Err(err(413, None, "the body is over the size limit"))
        } else {
            self.route(&request, &path, &query)
        };
        let (response, events) = match outcome {
            Ok(reply) => {
                let mut response = match &reply.resource {
                    Some(resource) => scim_json(reply.status, resource),
                    None => Response::new(reply.status, Vec::new()),
                };
                if let Some(v) = reply.version {
                    response = response.with_header("ETag", &etag(v));
                }
                if reply.status == 201 {
                    if let Some(location) = reply
                        .resource
                        .as_ref()
                        .and_then(|r| r.pointer("/meta/location"))
                        .and_then(Value::as_str)
                    {
                        response = response.with_header("Location", location);
                    }
                }
                (response, reply.events)
            }
            Err(e) => {
                let mut response = error(&e);
                if e.status == 401 {
                    response = response
                        .with_header("WWW-Authenticate", "Bearer realm=\"dsync directory\"");
                }
                (response, Vec::new())
            }
        };
        if let Some(observer) = &self.observer {
            observer(&Record::Request(RequestRecord {
                method: request.method.clone(),
                path: request.target.clone(),
                status: response.status,
                duration_ms: started.elapsed().as_secs_f64() * 1000.0,
                events: events.iter().map(|e| e.code.clone()).collect(),
                user_agent: header_value(&request.headers, "user-agent").map(str::to_string),
            }));
            for e in &events {
                observer(&Record::Event(e.clone()));
            }
        }
        response
    }
}
