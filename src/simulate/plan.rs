//! The planner: admin-level actions → the exact SCIM requests a persona
//! sends. Ids the service provider will return are not known when planning,
//! so requests name them by placeholder: `{{u3}}` is "the id the SP gave
//! user u3", `{{g2}}` the same for group g2. The driver fills them in from
//! the answers (creates and look-ups); `--print` shows them as they are.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::persona::{
    Deactivate, ExternalId, GroupLookup, Members, Rename, Style, UserLookup, UserUpdate,
};
use super::world::{Action, Group, User, World};

const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTRA_GROUP: &str =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// One planned SCIM request.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub seq: u64,
    /// The scenario step (1-based) it belongs to.
    pub step: usize,
    /// What the admin did, for people.
    pub action: String,
    pub method: &'static str,
    /// Path and query under the SCIM base URL, placeholders unresolved.
    pub path: String,
    /// Compact JSON text (a plan of 10,000 users holds 20,000 bodies: text
    /// is several times smaller than `Value` trees); printed as JSON.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "body_as_json"
    )]
    pub body: Option<String>,
    /// A look-up: a hit links this resource to the id found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<String>,
    /// A create: the answer's `id` becomes this resource's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creates: Option<String>,
    /// Skipped when a look-up already linked this resource (Okta: "a hit is linked, not re-created").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unless_linked: Option<String>,
    /// Keys copied into the body from the answer to the previous GET of the same resource.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub echo: Vec<&'static str>,
    /// The resource this request changes (requests on one resource never overlap).
    #[serde(skip)]
    pub resource: String,
    /// Statuses that count as success.
    pub expect: &'static [u16],
}

/// `--print` shows a body as the JSON it is, not as a string.
fn body_as_json<S: serde::Serializer>(body: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    let value: Option<Value> = body
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(serde::ser::Error::custom)?;
    serde::Serialize::serialize(&value, s)
}

/// Turns actions into requests, numbering them.
pub struct Planner {
    pub style: &'static Style,
    pub requests: Vec<Request>,
    probed: bool,
}

const OK_LOOKUP: &[u16] = &[200, 404];
const OK_CREATE: &[u16] = &[201];
const OK_CHANGE: &[u16] = &[200, 204];
const OK_GET: &[u16] = &[200];
const OK_DELETE: &[u16] = &[204, 200];

impl Planner {
    pub fn new(style: &'static Style) -> Planner {
        Planner {
            style,
            requests: Vec::new(),
            probed: false,
        }
    }

    fn push(&mut self, world: &World, req: Req) {
        let seq = self.requests.len() as u64 + 1;
        self.requests.push(Request {
            seq,
            step: world.step,
            action: req.action,
            method: req.method,
            path: req.path,
            body: req
                .body
                .map(|b| serde_json::to_string(&b).expect("JSON values always serialise")),
            links: req.links,
            creates: req.creates,
            unless_linked: req.unless_linked,
            echo: req.echo,
            resource: req.resource,
            expect: req.expect,
        });
    }

    /// Plan the requests for one action, the view as it is right after it.
    pub fn plan(&mut self, world: &World, action: &Action) {
        if !self.probed {
            self.probed = true;
            if let Some(probe) = self.style.probe {
                self.push(world, Req::new("probe", "GET", probe, "", OK_GET));
            }
        }
        let s = self.style;
        match action {
            Action::CreateUser(u) => {
                let user = &world.users[u];
                let key = user.key();
                let label = format!("provision user {key} {}", user.person.email);
                let filter = eq_filter("userName", &user.person.email);
                let path = match s.user_lookup {
                    UserLookup::UserNameEqPaged => {
                        format!("/Users?filter={filter}&startIndex=1&count=100")
                    }
                    UserLookup::UserNameEq => format!("/Users?filter={filter}"),
                };
                let mut lookup = Req::new(&label, "GET", &path, &key, OK_LOOKUP);
                lookup.links = Some(key.clone());
                self.push(world, lookup);
                let mut create = Req::new(&label, "POST", "/Users", &key, OK_CREATE);
                create.body = Some(self.user_body(user, false));
                create.creates = Some(key.clone());
                create.unless_linked = Some(key.clone());
                self.push(world, create);
                // Entra sets the manager with its own PATCH `Add` [4].
                if s.enterprise {
                    if let Some(m) = user.manager {
                        let op = manager_op(s, m);
                        self.push(
                            world,
                            patch(&label, &format!("/Users/{{{{{key}}}}}"), &key, vec![op]),
                        );
                    }
                }
            }
            Action::UpdateUser { user, before } => {
                let after = &world.users[user];
                let key = after.key();
                let label = format!("update user {key} {}", after.person.email);
                self.update(world, &label, before, after);
            }
            Action::Deactivate(u) | Action::Reactivate(u) => {
                let user = &world.users[u];
                let key = user.key();
                let active = matches!(action, Action::Reactivate(_));
                let label = format!(
                    "{} user {key} {}",
                    if active { "reactivate" } else { "deactivate" },
                    user.person.email
                );
                let path = format!("/Users/{{{{{key}}}}}");
                match s.deactivate {
                    Deactivate::PatchNoPath => {
                        let op =
                            json!({"op": s.op("replace"), "value": {"active": s.boolean(active)}});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                    Deactivate::PatchPath => {
                        let op = json!({"op": s.op("replace"), "path": "active", "value": s.boolean(active)});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                    Deactivate::Put => {
                        let mut put = Req::new(&label, "PUT", &path, &key, OK_CHANGE);
                        put.body = Some(self.user_body(user, true));
                        self.push(world, put);
                    }
                }
            }
            Action::DeleteUser(u) => {
                // Okta never deletes users [1]: the deactivation was its last word.
                if s.deletes_users {
                    let user = &world.users[u];
                    let key = user.key();
                    let label = format!("delete user {key} {}", user.person.email);
                    self.push(
                        world,
                        Req::new(
                            &label,
                            "DELETE",
                            &format!("/Users/{{{{{key}}}}}"),
                            &key,
                            OK_DELETE,
                        ),
                    );
                }
            }
            Action::CreateGroup(g) => {
                let group = &world.groups[g];
                let key = group.key();
                let label = format!("provision group {key} {}", group.name);
                let mut linked = None;
                if s.group_lookup == GroupLookup::DisplayNameEqNoMembers {
                    let path = format!(
                        "/Groups?excludedAttributes=members&filter={}",
                        eq_filter("displayName", &group.name)
                    );
                    let mut lookup = Req::new(&label, "GET", &path, &key, OK_LOOKUP);
                    lookup.links = Some(key.clone());
                    self.push(world, lookup);
                    linked = Some(key.clone());
                }
                let mut create = Req::new(&label, "POST", "/Groups", &key, OK_CREATE);
                create.body = Some(self.group_body(world, group, false));
                create.creates = Some(key.clone());
                create.unless_linked = linked;
                self.push(world, create);
            }
            Action::AddMembers { group, users } | Action::RemoveMembers { group, users } => {
                let adding = matches!(action, Action::AddMembers { .. });
                let g = &world.groups[group];
                let key = g.key();
                let label = format!(
                    "{} {} member(s) {} group {key} {}",
                    if adding { "add" } else { "remove" },
                    users.len(),
                    if adding { "to" } else { "from" },
                    g.name
                );
                let path = format!("/Groups/{{{{{key}}}}}");
                let ids = |with_ref: bool, display: bool| -> Value {
                    Value::Array(
                        users
                            .iter()
                            .map(|u| {
                                let mut m = Map::new();
                                if with_ref {
                                    m.insert("$ref".into(), Value::Null);
                                }
                                m.insert("value".into(), json!(format!("{{{{u{u}}}}}")));
                                if display {
                                    m.insert("display".into(), json!(world.users[u].person.email));
                                }
                                Value::Object(m)
                            })
                            .collect(),
                    )
                };
                let filtered = |op: &str| -> Vec<Value> {
                    users
                        .iter()
                        .map(|u| json!({"op": op, "path": format!("members[value eq \"{{{{u{u}}}}}\"]")}))
                        .collect()
                };
                match (s.members, adding) {
                    (Members::PutGroup, _) => {
                        let mut put = Req::new(&label, "PUT", &path, &key, OK_CHANGE);
                        put.body = Some(self.group_body(world, g, true));
                        self.push(world, put);
                    }
                    (Members::PatchOkta, true) => {
                        let op = json!({"op": s.op("add"), "path": "members", "value": ids(false, true)});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                    (Members::PatchOkta | Members::PatchEntraFlagged, false) => {
                        self.push(world, patch(&label, &path, &key, filtered(s.op("remove"))));
                    }
                    (Members::PatchEntra, _) => {
                        let op = json!({"op": s.op(if adding { "add" } else { "remove" }), "path": "members", "value": ids(true, false)});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                    (Members::PatchEntraFlagged, true) => {
                        let op =
                            json!({"op": "add", "path": "members", "value": ids(false, false)});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                }
                if s.rename_echo_on_membership {
                    let op = json!({"op": s.op("replace"), "value": {"id": format!("{{{{{key}}}}}"), "displayName": g.name}});
                    self.push(world, patch(&label, &path, &key, vec![op]));
                }
            }
            Action::RenameGroup { group, before } => {
                let g = &world.groups[group];
                let key = g.key();
                let label = format!("rename group {key} {before} -> {}", g.name);
                let path = format!("/Groups/{{{{{key}}}}}");
                match s.rename {
                    Rename::PatchNoPathWithId => {
                        let op = json!({"op": s.op("replace"), "value": {"id": format!("{{{{{key}}}}}"), "displayName": g.name}});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                    Rename::PatchPath => {
                        let op =
                            json!({"op": s.op("replace"), "path": "displayName", "value": g.name});
                        self.push(world, patch(&label, &path, &key, vec![op]));
                    }
                    Rename::PutGroup => {
                        let mut put = Req::new(&label, "PUT", &path, &key, OK_CHANGE);
                        put.body = Some(self.group_body(world, g, true));
                        self.push(world, put);
                    }
                }
            }
            Action::DeleteGroup(g) => {
                if s.deletes_groups {
                    let group = &world.groups[g];
                    let key = group.key();
                    let label = format!("delete group {key} {}", group.name);
                    self.push(
                        world,
                        Req::new(
                            &label,
                            "DELETE",
                            &format!("/Groups/{{{{{key}}}}}"),
                            &key,
                            OK_DELETE,
                        ),
                    );
                }
            }
        }
    }

    fn update(&mut self, world: &World, label: &str, before: &User, after: &User) {
        let s = self.style;
        let key = after.key();
        let path = format!("/Users/{{{{{key}}}}}");
        match s.update {
            UserUpdate::GetThenPut | UserUpdate::Put => {
                if !user_differs(s, before, after) {
                    return;
                }
                let mut echo = Vec::new();
                if s.update == UserUpdate::GetThenPut {
                    self.push(world, Req::new(label, "GET", &path, &key, OK_GET));
                    echo = vec!["meta", "groups"];
                }
                let mut put = Req::new(label, "PUT", &path, &key, OK_CHANGE);
                put.body = Some(self.user_body(after, true));
                put.echo = echo;
                self.push(world, put);
            }
            UserUpdate::PatchPerPath | UserUpdate::PatchNoPathDotted => {
                let changes = changed_paths(s, before, after);
                let mut ops = Vec::new();
                let mut dotted = Map::new();
                for (path, value) in changes {
                    let filtered = path.contains('[');
                    if s.update == UserUpdate::PatchNoPathDotted && !filtered {
                        dotted.insert(path, value);
                    } else {
                        ops.push(json!({"op": s.op("replace"), "path": path, "value": value}));
                    }
                }
                if !dotted.is_empty() {
                    ops.push(json!({"op": "replace", "value": Value::Object(dotted)}));
                }
                if s.enterprise && before.manager != after.manager {
                    if let Some(m) = after.manager {
                        ops.push(manager_op(s, m));
                    }
                }
                if !ops.is_empty() {
                    self.push(world, patch(label, &path, &key, ops));
                }
            }
        }
    }

    /// The user as POST (or, `full`, as PUT: with `id`) sends it.
    fn user_body(&self, user: &User, full: bool) -> Value {
        let s = self.style;
        let p = &user.person;
        let mut schemas = vec![json!(CORE_USER)];
        if s.enterprise {
            schemas.push(json!(ENTERPRISE));
        }
        let mut body = Map::new();
        body.insert("schemas".into(), Value::Array(schemas));
        if full {
            body.insert("id".into(), json!(format!("{{{{{}}}}}", user.key())));
        }
        match s.user_external_id {
            ExternalId::OktaId => {
                body.insert("externalId".into(), json!(user.idp_id));
            }
            ExternalId::MailNickname => {
                let nick = p.email.split('@').next().unwrap_or(&p.email);
                body.insert("externalId".into(), json!(nick));
            }
            ExternalId::None => {}
        }
        body.insert("userName".into(), json!(p.email));
        body.insert(
            "name".into(),
            json!({"givenName": p.given_name, "familyName": p.family_name, "formatted": user.display_name()}),
        );
        body.insert("displayName".into(), json!(user.display_name()));
        body.insert(
            "emails".into(),
            json!([{"primary": true, "value": p.email, "type": "work"}]),
        );
        body.insert("title".into(), json!(p.title));
        body.insert(
            "phoneNumbers".into(),
            json!([{"value": p.phone.e164, "type": "work", "primary": true}]),
        );
        body.insert(
            "addresses".into(),
            json!([{
                "type": "work", "primary": true, "streetAddress": p.address.street_address,
                "locality": p.address.locality, "region": p.address.region,
                "postalCode": p.address.postal_code, "country": p.address.country,
                "formatted": p.address.formatted,
            }]),
        );
        body.insert("locale".into(), json!(p.locale));
        body.insert("timezone".into(), json!(p.zoneinfo));
        // Entra sends `active` as a string even on POST [6][7].
        let active = if s.string_booleans {
            s.boolean(user.active)
        } else {
            json!(user.active)
        };
        body.insert("active".into(), active);
        if s.create_password && !full {
            body.insert("password".into(), json!(user.password));
        }
        if s.create_groups_empty && !full {
            body.insert("groups".into(), json!([]));
        }
        if s.create_roles_meta && !full {
            body.insert("roles".into(), json!([]));
            body.insert("meta".into(), json!({"resourceType": "User"}));
        }
        if s.enterprise {
            let mut ext = Map::new();
            ext.insert("employeeNumber".into(), json!(p.employee_number));
            ext.insert("department".into(), json!(p.department));
            body.insert(ENTERPRISE.into(), Value::Object(ext));
        }
        Value::Object(body)
    }

    /// The group as POST (or, `full`, as PUT: with `id` and every member) sends it.
    fn group_body(&self, world: &World, group: &Group, full: bool) -> Value {
        let s = self.style;
        let mut body = Map::new();
        let mut schemas = vec![json!(CORE_GROUP)];
        if s.entra_group {
            schemas.push(json!(ENTRA_GROUP));
        }
        body.insert("schemas".into(), Value::Array(schemas));
        if full {
            body.insert("id".into(), json!(format!("{{{{{}}}}}", group.key())));
        }
        if s.entra_group {
            body.insert("externalId".into(), json!(group.idp_id));
        }
        body.insert("displayName".into(), json!(group.name));
        if full {
            let members: Vec<Value> = group
                .members
                .iter()
                .map(|u| json!({"value": format!("{{{{u{u}}}}}"), "display": world.users[u].person.email}))
                .collect();
            body.insert("members".into(), Value::Array(members));
        } else if !s.entra_group {
            // Okta pushes groups with `members: []` [1]; Entra sends no members [4].
            body.insert("members".into(), json!([]));
        }
        Value::Object(body)
    }
}

/// A request under construction.
struct Req {
    action: String,
    method: &'static str,
    path: String,
    body: Option<Value>,
    links: Option<String>,
    creates: Option<String>,
    unless_linked: Option<String>,
    echo: Vec<&'static str>,
    resource: String,
    expect: &'static [u16],
}

impl Req {
    fn new(
        action: &str,
        method: &'static str,
        path: &str,
        resource: &str,
        expect: &'static [u16],
    ) -> Req {
        Req {
            action: action.to_string(),
            method,
            path: path.to_string(),
            body: None,
            links: None,
            creates: None,
            unless_linked: None,
            echo: Vec::new(),
            resource: resource.to_string(),
            expect,
        }
    }
}

fn patch(action: &str, path: &str, resource: &str, ops: Vec<Value>) -> Req {
    let mut req = Req::new(action, "PATCH", path, resource, OK_CHANGE);
    req.body = Some(json!({"schemas": [PATCH_OP], "Operations": ops}));
    req
}

/// Entra's manager operation: `Add` with `[{"$ref": null, "value": id}]` [4].
fn manager_op(s: &Style, manager: u32) -> Value {
    json!({"op": s.op("add"), "path": format!("{ENTERPRISE}:manager"), "value": [{"$ref": null, "value": format!("{{{{u{manager}}}}}")}]})
}

/// `attr eq "value"`, percent-encoded for a query string.
fn eq_filter(attribute: &str, value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    percent_encode(&format!("{attribute} eq \"{escaped}\""))
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether anything a PUT carries changed.
fn user_differs(s: &Style, before: &User, after: &User) -> bool {
    !changed_paths(s, before, after).is_empty()
}

/// The attribute paths whose values changed, as Entra names them [4]:
/// `name.familyName`, `emails[type eq "work"].value`, URN-prefixed enterprise paths.
fn changed_paths(s: &Style, before: &User, after: &User) -> Vec<(String, Value)> {
    let (b, a) = (&before.person, &after.person);
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut check = |path: String, old: &str, new: &str| {
        if old != new {
            out.push((path, json!(new)));
        }
    };
    check("name.givenName".into(), &b.given_name, &a.given_name);
    check("name.familyName".into(), &b.family_name, &a.family_name);
    check(
        "displayName".into(),
        &before.display_name(),
        &after.display_name(),
    );
    check("emails[type eq \"work\"].value".into(), &b.email, &a.email);
    check("userName".into(), &b.email, &a.email);
    check("title".into(), &b.title, &a.title);
    check(
        "phoneNumbers[type eq \"work\"].value".into(),
        &b.phone.e164,
        &a.phone.e164,
    );
    let addr = |f: &str| format!("addresses[type eq \"work\"].{f}");
    check(
        addr("streetAddress"),
        &b.address.street_address,
        &a.address.street_address,
    );
    check(addr("locality"), &b.address.locality, &a.address.locality);
    check(addr("region"), &b.address.region, &a.address.region);
    check(
        addr("postalCode"),
        &b.address.postal_code,
        &a.address.postal_code,
    );
    check(addr("country"), &b.address.country, &a.address.country);
    check(
        addr("formatted"),
        &b.address.formatted,
        &a.address.formatted,
    );
    check("locale".into(), &b.locale, &a.locale);
    check("timezone".into(), &b.zoneinfo, &a.zoneinfo);
    if s.enterprise {
        check(
            format!("{ENTERPRISE}:department"),
            &b.department,
            &a.department,
        );
        check(
            format!("{ENTERPRISE}:employeeNumber"),
            &b.employee_number,
            &a.employee_number,
        );
    }
    // Department and manager travel only in the enterprise extension, which
    // Okta and Google are not documented to send: for them a department
    // change alone puts nothing on the wire.
    out
}

/// Every placeholder (`u3`, `g2`) a string holds.
pub fn placeholders(text: &str, out: &mut Vec<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 2..];
    }
}
