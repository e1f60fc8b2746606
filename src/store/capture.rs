//! The capture format: one received request, as every reader and file sees it.
//!
//! The database keeps each field in its own column (see `schema`); files and
//! NDJSON bundles hold this struct as JSON. A capture file (`events export
//! --format files`, the pre-database store) is the pretty JSON plus a newline,
//! named so names sort by receive time and hold only `[A-Za-z0-9._-]`:
//! `20261128T151245.123456Z-000042a1b2-dir_sync.user.update.success.json`.
//! An NDJSON bundle holds one capture per line, compact.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, ResultExt};
use crate::signature::Header;

/// The version of the capture format written by this build.
pub const FORMAT_VERSION: u32 = 1;

/// A request body, kept exactly: UTF-8 text as is, anything else in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "encoding", content = "data", rename_all = "lowercase")]
pub enum Body {
    Utf8(String),
    Base64(String),
    /// Not kept (over `--max-body`); `size` in the capture says how large it was.
    Omitted,
}

impl Body {
    /// Wrap raw bytes, choosing the encoding that keeps them exactly.
    pub fn from_bytes(bytes: &[u8]) -> Body {
        match std::str::from_utf8(bytes) {
            Ok(text) => Body::Utf8(text.to_string()),
            Err(_) => Body::Base64(B64.encode(bytes)),
        }
    }

    /// The exact bytes received.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        match self {
            Body::Utf8(text) => Ok(text.as_bytes().to_vec()),
            Body::Base64(data) => B64
                .decode(data)
                .input_err("capture body is not valid base64"),
            Body::Omitted => Err(Error::usage(
                "this capture does not hold its body (it was over the size limit)",
            )),
        }
    }
}

/// How the signature check came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRecord {
    /// `valid`, `invalid` or `unsigned` (no secret configured).
    pub status: String,
    pub scheme: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What the listener answered the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub status: u16,
}

/// What the app answered when forwarding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForwardRecord {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One captured request, as stored on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capture {
    /// Capture format version.
    pub format: u32,
    /// Capture id (unique, sortable by receive time).
    pub id: String,
    pub received_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_addr: Option<String>,
    pub method: String,
    /// Path and query, as received.
    pub path: String,
    /// Headers in received order, duplicates kept.
    pub headers: Vec<Header>,
    /// Body size in bytes, as received (also when the body is omitted).
    pub size: u64,
    pub body: Body,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<ForwardRecord>,
    /// What made it: `listen` (a received request) or `directory` (an event
    /// the local directory emitted). Left out of files when `listen`, so
    /// files keep the format they had before the field existed.
    #[serde(default = "default_source", skip_serializing_if = "is_listen")]
    pub source: String,
}

/// The source of captures made by `dsync listen`.
pub const SOURCE_LISTEN: &str = "listen";

fn default_source() -> String {
    SOURCE_LISTEN.to_string()
}

fn is_listen(source: &str) -> bool {
    source == SOURCE_LISTEN
}

impl Capture {
    /// A capture of a request received now.
    pub fn new(method: &str, path: &str, headers: Vec<Header>, body: &[u8]) -> Capture {
        let received_at = Utc::now();
        Capture {
            format: FORMAT_VERSION,
            id: new_capture_id(received_at),
            received_at,
            remote_addr: None,
            method: method.to_string(),
            path: path.to_string(),
            headers,
            size: body.len() as u64,
            body: Body::from_bytes(body),
            verification: None,
            response: None,
            forward: None,
            source: default_source(),
        }
    }

    /// The event code, read from the body if it is a JSON object with one.
    pub fn code(&self) -> Option<String> {
        let Body::Utf8(text) = &self.body else {
            return None;
        };
        event_code(text.as_bytes())
    }

    /// The file name this capture is stored under.
    pub fn file_name(&self) -> String {
        let code = self.code().unwrap_or_else(|| "request".to_string());
        format!("{}-{}.json", self.id, safe_name(&code))
    }

    /// The file form: pretty JSON and a newline (what the pre-database store
    /// wrote, byte for byte).
    pub fn to_file_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a capture always serialises");
        bytes.push(b'\n');
        bytes
    }

    /// Parse a capture file's bytes.
    pub fn from_slice(bytes: &[u8]) -> std::result::Result<Capture, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// The `code` of an event body, without parsing more than needed.
pub fn event_code(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct CodeOnly {
        code: Option<String>,
    }
    serde_json::from_slice::<CodeOnly>(body).ok()?.code
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// `20261128T151245.123456Z-000042`: sorts by time; the sequence separates
/// captures of the same microsecond within this process, and a short random
/// suffix separates processes sharing a store.
fn new_capture_id(at: DateTime<Utc>) -> String {
    let seq = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let salt: u16 = rand::random();
    format!("{}-{seq:06}{salt:04x}", at.format("%Y%m%dT%H%M%S%.6fZ"))
}

/// Keep `[A-Za-z0-9._-]`, replace the rest with `_`, and bound the length, so
/// an event code can never climb out of the store or break a file system.
pub fn safe_name(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '.') {
        out = "request".to_string();
    }
    out
}

/// The capture files directly inside `dir`, sorted by name.
pub fn list_captures(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::io(
                anyhow::Error::new(e).context(format!("cannot read {}", dir.display())),
            ))
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.io_err(format!("cannot read {}", dir.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".json") && !name.starts_with('.') {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// Read one capture file.
pub fn load_capture(path: &Path) -> Result<Capture> {
    let bytes = fs::read(path).input_err(format!("cannot read {}", path.display()))?;
    Capture::from_slice(&bytes).input_err(format!("{} is not a dsync capture", path.display()))
}

/// Who or what an event is about, for one-line summaries: `user <email>`,
/// `group <name>`, else `<type> <id>`; `None` for events about no resource
/// (connection events) or bodies that are not JSON.
pub fn resource_label(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    match super::fields::read(text) {
        Some(fields) => fields.resource_label,
        None => label_of(&serde_json::from_str(text).ok()?),
    }
}

fn label_of(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let data = v.get("data")?;
    if let Some(r) = data.get("resource").filter(|r| r.is_object()) {
        let changes = r.get("changes");
        // The identity may sit in the new values (provision, update), the
        // previous ones (deprovision) or on the resource itself.
        let snapshots = [
            changes.and_then(|c| c.get("new_values")),
            changes.and_then(|c| c.get("previous_values")),
            Some(r),
        ];
        let field = |names: &[&str]| {
            snapshots.iter().flatten().find_map(|s| {
                names
                    .iter()
                    .find_map(|n| s.get(*n).and_then(Value::as_str))
                    .filter(|x| !x.is_empty())
            })
        };
        let kind = r.get("type").and_then(Value::as_str);
        let name = match kind {
            Some("group") => field(&["display_name", "name"]),
            _ => field(&["email", "display_name", "name"]),
        };
        let ident = name.or_else(|| r.get("id").and_then(Value::as_str));
        return match (kind, ident) {
            (Some(kind), Some(ident)) => Some(format!("{kind} {ident}")),
            (None, Some(ident)) => Some(ident.to_string()),
            (Some(kind), None) => Some(kind.to_string()),
            (None, None) => None,
        };
    }
    // Other shapes: the resource's id in `data` or at the top.
    data.get("id")
        .or_else(|| v.get("resource_id"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// What readers filter on, read from a body once: the event code and the
/// resource it is about (`data.resource.type` / `.id`, else `data.id`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Indexed {
    pub code: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub resource_label: Option<String>,
}

impl Indexed {
    pub fn of(body: &Body) -> Indexed {
        let Body::Utf8(text) = body else {
            return Indexed::default();
        };
        super::fields::read(text).unwrap_or_else(|| Indexed::of_value(text))
    }

    /// The same fields, read through a whole `serde_json::Value`: the
    /// reference, and the answer for the bodies the quick reading leaves.
    pub fn of_value(text: &str) -> Indexed {
        use serde_json::Value;
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            return Indexed::default();
        };
        let text_at = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let resource = v.pointer("/data/resource").filter(|r| r.is_object());
        Indexed {
            code: text_at(v.get("code")),
            resource_type: text_at(resource.and_then(|r| r.get("type"))),
            resource_id: text_at(resource.and_then(|r| r.get("id")))
                .or_else(|| text_at(v.pointer("/data/id")))
                .or_else(|| text_at(v.get("resource_id"))),
            resource_label: label_of(&v),
        }
    }
}
