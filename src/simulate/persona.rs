//! The IdP personas: how each identity provider sends SCIM, written down in
//! one place. Every choice cites the source list of the shared dialects
//! document (`[n]` = its section 4); where no source says anything, the
//! field's comment says "not documented" and what dsync does instead.
//!
//! Sources:
//! 1. Okta SCIM 2.0 guide: developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
//! 2. Entra known SCIM compatibility issues (the `aadOptscim062020` flag):
//!    learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
//! 3. Entra, how provisioning works: learn.microsoft.com/en-us/entra/identity/app-provisioning/how-provisioning-works
//! 4. Entra, use SCIM to provision users and groups: learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
//! 6. AzureAD/SCIMReferenceCode issue 21 (string booleans)
//! 8. thomaspoignant/scim-patch issue 132, 9. pond/scimitar issue 123 (flagged no-path dotted keys)
//! 10. support.google.com/a/answer/7681608, 12. an SP guide reporting Google's `GET /Users?count=1` probe

use clap::ValueEnum;

/// `--idp`: which identity provider to play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Idp {
    /// Okta, an OIN catalog app [1]
    Okta,
    /// Okta, an App Integration Wizard (custom) app: PUT for every change [1]
    OktaAiw,
    /// Microsoft Entra ID, default non-gallery SCIM app [2][3][4]
    Entra,
    /// Microsoft Entra ID with the `aadOptscim062020` feature flag [2]
    #[value(name = "entra-2020")]
    Entra2020,
    /// Google Workspace: a stated guess, Google documents no wire shapes [10][11]
    Google,
}

impl Idp {
    pub fn name(self) -> &'static str {
        match self {
            Idp::Okta => "okta",
            Idp::OktaAiw => "okta-aiw",
            Idp::Entra => "entra",
            Idp::Entra2020 => "entra-2020",
            Idp::Google => "google",
        }
    }

    pub fn style(self) -> &'static Style {
        match self {
            Idp::Okta => &OKTA_OIN,
            Idp::OktaAiw => &OKTA_AIW,
            Idp::Entra => &ENTRA,
            Idp::Entra2020 => &ENTRA_2020,
            Idp::Google => &GOOGLE,
        }
    }
}

/// How a persona finds an existing user before creating one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserLookup {
    /// `GET /Users?filter=userName eq "v"&startIndex=1&count=100` [1]
    UserNameEqPaged,
    /// `GET /Users?filter=userName eq "v"`, no paging parameters [3][4]
    UserNameEq,
}

/// How a persona finds an existing group before creating one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupLookup {
    /// Not documented: the persona POSTs the group without looking first.
    None,
    /// `GET /Groups?excludedAttributes=members&filter=displayName eq "v"` [3][4]
    DisplayNameEqNoMembers,
}

/// How a persona sends a changed user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserUpdate {
    /// `GET /Users/{id}`, then a full-object PUT echoing `id`, `meta`, `groups` [1]
    GetThenPut,
    /// A full-object PUT for every change, no GET first [1]
    Put,
    /// PATCH, one operation per changed path [2][4]
    PatchPerPath,
    /// PATCH: the filtered email operation kept, the rest in one no-path
    /// `replace` with dotted / URN keys [2][8][9]
    PatchNoPathDotted,
}

/// How a persona deactivates (and re-activates) a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deactivate {
    /// `{"op":"replace","value":{"active":false}}`, no path [1]
    PatchNoPath,
    /// A full PUT with `active: false` [1]
    Put,
    /// `{"op":"Replace","path":"active","value":"False"}` (case and booleans per the style) [2][3]
    PatchPath,
}

/// How a persona adds and removes group members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    /// add: path `members`, value `[{value, display}]`; remove: path
    /// `members[value eq "id"]`, no value [1]
    PatchOkta,
    /// The whole group PUT with its full member list [1]
    PutGroup,
    /// add: `Add` `members` `[{"$ref":null,"value":id}]`; remove: `Remove`
    /// `members` with the same value array [2][4]
    PatchEntra,
    /// remove: `remove` path `members[value eq "id"]` [2]; add: not shown in the
    /// sources, dsync sends a lower-case `add` of `[{"value":id}]`
    PatchEntraFlagged,
}

/// How a persona renames a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rename {
    /// No-path `replace` with `value {id, displayName}` [1]
    PatchNoPathWithId,
    /// The whole group PUT [1]
    PutGroup,
    /// `Replace` path `displayName` (op case per the style) [2][4]
    PatchPath,
}

/// One IdP's request style: every choice the planner makes for it.
#[derive(Debug)]
pub struct Style {
    pub idp: Idp,
    /// What it is, for `--list` and the README.
    pub title: &'static str,
    /// The dialects document's source numbers this style rests on.
    pub sources: &'static [u8],
    /// True where no source documents the wire shape and the whole persona is a guess.
    pub guess: bool,
    /// The events' `data.provider`: only `okta` is seen on real deliveries;
    /// `azure` and `google` are send-test's choices for the others.
    pub provider: &'static str,
    /// `User-Agent`; `None` where not documented (dsync then sends its own).
    pub user_agent: Option<&'static str>,
    /// A probe request sent once before anything else.
    pub probe: Option<&'static str>,
    pub user_lookup: UserLookup,
    pub group_lookup: GroupLookup,
    /// POST /Users carries a clear-text `password` [1].
    pub create_password: bool,
    /// POST /Users carries `groups: []` [1].
    pub create_groups_empty: bool,
    /// POST /Users carries `roles: []` and `meta {resourceType}` [3][4].
    pub create_roles_meta: bool,
    /// The enterprise extension (department, employeeNumber, manager) is sent.
    /// Okta and Google: not documented, so not sent.
    pub enterprise: bool,
    /// `externalId` on users: Okta sends its own user id [1]; Entra sends one
    /// (its value is an admin mapping, not documented: dsync sends the mail nickname) [4].
    pub user_external_id: ExternalId,
    pub update: UserUpdate,
    pub deactivate: Deactivate,
    /// PATCH op names capitalised (`Add`, `Replace`, `Remove`) [2].
    pub capitalised_ops: bool,
    /// Booleans as strings (`"False"`) in PATCH values [2][6].
    pub string_booleans: bool,
    /// Users are DELETEd after deactivation (Entra's hard delete [3]); Okta never
    /// deletes users [1].
    pub deletes_users: bool,
    pub members: Members,
    /// Okta OIN also sends a no-path rename PATCH `{id, displayName}` with each
    /// membership change, name unchanged [1] (order not documented: dsync sends it after).
    pub rename_echo_on_membership: bool,
    pub rename: Rename,
    /// Groups carry Entra's ADSCIM group schema and an `externalId` [3][4].
    pub entra_group: bool,
    /// Groups are DELETEd when they go (Okta: on unlink [1]; Entra: not documented,
    /// dsync sends DELETE).
    pub deletes_groups: bool,
}

/// Where a user's `externalId` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalId {
    /// The IdP's own user id (`00u...`) [1].
    OktaId,
    /// The local part of the email (Entra's mapping is admin-set; the value is not documented).
    MailNickname,
    /// Not sent.
    None,
}

pub const OKTA_OIN: Style = Style {
    idp: Idp::Okta,
    title: "Okta, OIN catalog app",
    sources: &[1],
    guess: false,
    provider: "okta",
    user_agent: Some("Okta SCIM Client 1.0.0"),
    probe: None,
    user_lookup: UserLookup::UserNameEqPaged,
    group_lookup: GroupLookup::None,
    create_password: true,
    create_groups_empty: true,
    create_roles_meta: false,
    enterprise: false,
    user_external_id: ExternalId::OktaId,
    update: UserUpdate::GetThenPut,
    deactivate: Deactivate::PatchNoPath,
    capitalised_ops: false,
    string_booleans: false,
    deletes_users: false,
    members: Members::PatchOkta,
    rename_echo_on_membership: true,
    rename: Rename::PatchNoPathWithId,
    entra_group: false,
    deletes_groups: true,
};

pub const OKTA_AIW: Style = Style {
    idp: Idp::OktaAiw,
    title: "Okta, App Integration Wizard app",
    update: UserUpdate::Put,
    deactivate: Deactivate::Put,
    members: Members::PutGroup,
    rename_echo_on_membership: false,
    rename: Rename::PutGroup,
    ..OKTA_OIN
};

pub const ENTRA: Style = Style {
    idp: Idp::Entra,
    title: "Microsoft Entra ID, default",
    sources: &[2, 3, 4, 6],
    guess: false,
    provider: "azure",
    // Not documented [2]-[5]: dsync sends its own.
    user_agent: None,
    probe: None,
    user_lookup: UserLookup::UserNameEq,
    group_lookup: GroupLookup::DisplayNameEqNoMembers,
    create_password: false,
    create_groups_empty: false,
    create_roles_meta: true,
    enterprise: true,
    user_external_id: ExternalId::MailNickname,
    update: UserUpdate::PatchPerPath,
    deactivate: Deactivate::PatchPath,
    capitalised_ops: true,
    string_booleans: true,
    deletes_users: true,
    members: Members::PatchEntra,
    rename_echo_on_membership: false,
    rename: Rename::PatchPath,
    entra_group: true,
    deletes_groups: true,
};

pub const ENTRA_2020: Style = Style {
    idp: Idp::Entra2020,
    title: "Microsoft Entra ID, ?aadOptscim062020",
    sources: &[2, 8, 9],
    update: UserUpdate::PatchNoPathDotted,
    capitalised_ops: false,
    string_booleans: false,
    members: Members::PatchEntraFlagged,
    ..ENTRA
};

/// Google documents none of its wire shapes [10][11]: this persona is a
/// guess, plain RFC 7644 usage plus the reported probe [12].
pub const GOOGLE: Style = Style {
    idp: Idp::Google,
    title: "Google Workspace (a guess: not documented)",
    sources: &[10, 11, 12],
    guess: true,
    provider: "google",
    user_agent: None,
    probe: Some("/Users?count=1"),
    user_lookup: UserLookup::UserNameEq,
    group_lookup: GroupLookup::None,
    create_password: false,
    create_groups_empty: false,
    create_roles_meta: false,
    enterprise: false,
    user_external_id: ExternalId::None,
    update: UserUpdate::Put,
    deactivate: Deactivate::PatchPath,
    capitalised_ops: false,
    string_booleans: false,
    // Google covers deleted users [10]; how it tells the SP is not documented.
    deletes_users: true,
    members: Members::PatchOkta,
    rename_echo_on_membership: false,
    rename: Rename::PatchPath,
    entra_group: false,
    deletes_groups: true,
};

pub const ALL: &[Idp] = &[
    Idp::Okta,
    Idp::OktaAiw,
    Idp::Entra,
    Idp::Entra2020,
    Idp::Google,
];

impl Style {
    /// A PATCH op name in this style's case.
    pub fn op(&self, lower: &'static str) -> &'static str {
        if !self.capitalised_ops {
            return lower;
        }
        match lower {
            "add" => "Add",
            "replace" => "Replace",
            "remove" => "Remove",
            other => other,
        }
    }

    /// A boolean PATCH value in this style.
    pub fn boolean(&self, value: bool) -> serde_json::Value {
        if self.string_booleans {
            serde_json::Value::String(if value { "True" } else { "False" }.into())
        } else {
            serde_json::Value::Bool(value)
        }
    }

    /// The User-Agent sent: the IdP's where documented, else dsync's own.
    pub fn user_agent(&self) -> String {
        match self.user_agent {
            Some(ua) => ua.to_string(),
            None => format!(
                "dsync-simulate/{} ({})",
                env!("CARGO_PKG_VERSION"),
                self.idp.name()
            ),
        }
    }
}
