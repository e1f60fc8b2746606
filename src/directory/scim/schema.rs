//! The attribute tables of the core User and Group schemas and the Enterprise
//! User extension (RFC 7643 §4, §8.7.1), as the directory implements them.
//!
//! One table drives everything: filter case rules, PATCH mutability and type
//! coercion, POST/PUT normalisation, and the `/Schemas` documents, so what the
//! server advertises is what it does.

use super::ResourceKind;

pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const LIST_RESPONSE_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Boolean => "boolean",
            Type::Decimal => "decimal",
            Type::Integer => "integer",
            Type::DateTime => "dateTime",
            Type::Binary => "binary",
            Type::Reference => "reference",
            Type::Complex => "complex",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    ReadOnly,
    ReadWrite,
    Immutable,
    WriteOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    Always,
    Never,
    Default,
    Request,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    None,
    Server,
    Global,
}

/// One attribute definition (RFC 7643 §7).
#[derive(Debug)]
pub struct Attr {
    pub name: &'static str,
    pub ty: Type,
    pub multi: bool,
    pub required: bool,
    pub case_exact: bool,
    pub mutability: Mutability,
    pub returned: Returned,
    pub uniqueness: Uniqueness,
    pub description: &'static str,
    pub canonical: &'static [&'static str],
    pub reference_types: &'static [&'static str],
    pub sub: &'static [Attr],
}

const fn attr(name: &'static str, ty: Type, description: &'static str) -> Attr {
    Attr {
        name,
        ty,
        multi: false,
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        returned: Returned::Default,
        uniqueness: Uniqueness::None,
        description,
        canonical: &[],
        reference_types: &[],
        sub: &[],
    }
}

const fn string(name: &'static str, description: &'static str) -> Attr {
    attr(name, Type::String, description)
}

const fn complex(name: &'static str, description: &'static str, sub: &'static [Attr]) -> Attr {
    Attr {
        sub,
        ..attr(name, Type::Complex, description)
    }
}

impl Attr {
    const fn multi(self) -> Attr {
        Attr {
            multi: true,
            ..self
        }
    }
    const fn required(self) -> Attr {
        Attr {
            required: true,
            ..self
        }
    }
    const fn case_exact(self) -> Attr {
        Attr {
            case_exact: true,
            ..self
        }
    }
    const fn mutability(self, mutability: Mutability) -> Attr {
        Attr { mutability, ..self }
    }
    const fn returned(self, returned: Returned) -> Attr {
        Attr { returned, ..self }
    }
    const fn unique(self) -> Attr {
        Attr {
            uniqueness: Uniqueness::Server,
            ..self
        }
    }
    const fn canonical(self, canonical: &'static [&'static str]) -> Attr {
        Attr { canonical, ..self }
    }
    const fn refs(self, reference_types: &'static [&'static str]) -> Attr {
        Attr {
            reference_types,
            ..self
        }
    }

    /// The sub-attribute called `name` (case-insensitive), if defined.
    pub fn sub_attr(&self, name: &str) -> Option<&'static Attr> {
        find(self.sub, name)
    }
}

/// A schema: its URN, name and attributes.
#[derive(Debug)]
pub struct Schema {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub attributes: &'static [Attr],
}

/// `value`, `display`, `type`, `primary`: the shape of most multi-valued attributes.
macro_rules! plural_subs {
    ($value:expr, $types:expr) => {
        &[
            $value,
            string(
                "display",
                "A human-readable name, primarily used for display purposes.",
            ),
            string("type", "A label indicating the attribute's function.").canonical($types),
            attr(
                "primary",
                Type::Boolean,
                "A Boolean value indicating the 'primary' or preferred attribute value.",
            ),
        ]
    };
}

/// `id`, `externalId`, `meta`: common to every resource (RFC 7643 §3.1), not
/// part of any schema document.
pub static COMMON: &[Attr] = &[
    string(
        "id",
        "Unique identifier for the SCIM resource as defined by the service provider.",
    )
    .case_exact()
    .mutability(Mutability::ReadOnly)
    .returned(Returned::Always)
    .unique(),
    string(
        "externalId",
        "Identifier for the resource as defined by the provisioning client.",
    )
    .case_exact(),
    complex(
        "meta",
        "Resource metadata.",
        &[
            string(
                "resourceType",
                "The name of the resource type of the resource.",
            )
            .case_exact()
            .mutability(Mutability::ReadOnly),
            attr(
                "created",
                Type::DateTime,
                "The date and time the resource was added.",
            )
            .mutability(Mutability::ReadOnly),
            attr(
                "lastModified",
                Type::DateTime,
                "The most recent date and time the resource was modified.",
            )
            .mutability(Mutability::ReadOnly),
            attr(
                "location",
                Type::Reference,
                "The URI of the resource being returned.",
            )
            .case_exact()
            .mutability(Mutability::ReadOnly)
            .refs(&["uri"]),
            string(
                "version",
                "The version (ETag) of the resource being returned.",
            )
            .case_exact()
            .mutability(Mutability::ReadOnly),
        ],
    )
    .mutability(Mutability::ReadOnly),
];

pub static USER: Schema = Schema {
    id: USER_URN,
    name: "User",
    description: "User Account",
    attributes: &[
        string(
            "userName",
            "Unique identifier for the User, typically used to sign in.",
        )
        .required()
        .unique(),
        complex(
            "name",
            "The components of the user's real name.",
            &[
                string("formatted", "The full name, formatted for display."),
                string("familyName", "The family name of the User."),
                string("givenName", "The given name of the User."),
                string("middleName", "The middle name(s) of the User."),
                string("honorificPrefix", "The honorific prefix(es) of the User."),
                string("honorificSuffix", "The honorific suffix(es) of the User."),
            ],
        ),
        string(
            "displayName",
            "The name of the User, suitable for display to end-users.",
        ),
        string(
            "nickName",
            "The casual way to address the user in real life.",
        ),
        attr(
            "profileUrl",
            Type::Reference,
            "A fully qualified URL pointing to a page representing the User's online profile.",
        )
        .refs(&["external"]),
        string("title", "The user's title, such as \"Vice President\"."),
        string(
            "userType",
            "Used to identify the relationship between the organization and the user.",
        ),
        string(
            "preferredLanguage",
            "The User's preferred written or spoken language.",
        ),
        string("locale", "The User's default location for localization."),
        string(
            "timezone",
            "The User's time zone in the IANA Time Zone database format.",
        ),
        attr(
            "active",
            Type::Boolean,
            "A Boolean value indicating the User's administrative status.",
        ),
        string(
            "password",
            "The User's cleartext password; never stored or returned by this server.",
        )
        .case_exact()
        .mutability(Mutability::WriteOnly)
        .returned(Returned::Never),
        complex(
            "emails",
            "Email addresses for the user.",
            plural_subs!(
                string("value", "Email address for the User."),
                &["work", "home", "other"]
            ),
        )
        .multi(),
        complex(
            "phoneNumbers",
            "Phone numbers for the User.",
            plural_subs!(
                string("value", "Phone number of the User."),
                &["work", "home", "mobile", "fax", "pager", "other"]
            ),
        )
        .multi(),
        complex(
            "ims",
            "Instant messaging addresses for the User.",
            plural_subs!(
                string("value", "Instant messaging address for the User."),
                &["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]
            ),
        )
        .multi(),
        complex(
            "photos",
            "URLs of photos of the User.",
            plural_subs!(
                attr("value", Type::Reference, "URL of a photo of the User.").refs(&["external"]),
                &["photo", "thumbnail"]
            ),
        )
        .multi(),
        complex(
            "addresses",
            "A physical mailing address for this User.",
            &[
                string(
                    "formatted",
                    "The full mailing address, formatted for display.",
                ),
                string("streetAddress", "The full street address component."),
                string("locality", "The city or locality component."),
                string("region", "The state or region component."),
                string("postalCode", "The zip code or postal code component."),
                string("country", "The country name component."),
                string("type", "A label indicating the attribute's function.")
                    .canonical(&["work", "home", "other"]),
                attr(
                    "primary",
                    Type::Boolean,
                    "A Boolean value indicating the preferred address.",
                ),
            ],
        )
        .multi(),
        complex(
            "groups",
            "A list of groups to which the user belongs.",
            &[
                string("value", "The identifier of the User's group.")
                    .mutability(Mutability::ReadOnly),
                attr(
                    "$ref",
                    Type::Reference,
                    "The URI of the corresponding 'Group' resource.",
                )
                .mutability(Mutability::ReadOnly)
                .refs(&["User", "Group"]),
                string("display", "A human-readable name.").mutability(Mutability::ReadOnly),
                string("type", "A label indicating the attribute's function.")
                    .canonical(&["direct", "indirect"])
                    .mutability(Mutability::ReadOnly),
            ],
        )
        .multi()
        .mutability(Mutability::ReadOnly),
        complex(
            "entitlements",
            "A list of entitlements for the User.",
            plural_subs!(string("value", "The value of an entitlement."), &[]),
        )
        .multi(),
        complex(
            "roles",
            "A list of roles for the User.",
            plural_subs!(string("value", "The value of a role."), &[]),
        )
        .multi(),
        complex(
            "x509Certificates",
            "A list of certificates issued to the User.",
            plural_subs!(
                attr("value", Type::Binary, "The value of an X.509 certificate.").case_exact(),
                &[]
            ),
        )
        .multi(),
    ],
};

pub static GROUP: Schema = Schema {
    id: GROUP_URN,
    name: "Group",
    description: "Group",
    attributes: &[
        string("displayName", "A human-readable name for the Group.").required(),
        complex(
            "members",
            "A list of members of the Group.",
            &[
                string("value", "Identifier of the member of this Group.")
                    .case_exact()
                    .mutability(Mutability::Immutable),
                attr(
                    "$ref",
                    Type::Reference,
                    "The URI of the corresponding member resource.",
                )
                .mutability(Mutability::Immutable)
                .refs(&["User", "Group"]),
                string("display", "A human-readable name of the member."),
                string("type", "A label indicating the type of resource.")
                    .canonical(&["User", "Group"])
                    .mutability(Mutability::Immutable),
            ],
        )
        .multi(),
    ],
};

pub static ENTERPRISE: Schema = Schema {
    id: ENTERPRISE_URN,
    name: "EnterpriseUser",
    description: "Enterprise User",
    attributes: &[
        string(
            "employeeNumber",
            "Numeric or alphanumeric identifier assigned to a person.",
        ),
        string("costCenter", "Identifies the name of a cost center."),
        string("organization", "Identifies the name of an organization."),
        string("division", "Identifies the name of a division."),
        string("department", "Identifies the name of a department."),
        complex(
            "manager",
            "The User's manager.",
            &[
                string(
                    "value",
                    "The id of the SCIM resource representing the User's manager.",
                )
                .case_exact(),
                attr(
                    "$ref",
                    Type::Reference,
                    "The URI of the SCIM resource representing the User's manager.",
                )
                .refs(&["User"]),
                string("displayName", "The displayName of the User's manager.")
                    .mutability(Mutability::ReadOnly),
            ],
        ),
    ],
};

/// The core schema of a resource kind.
pub fn core(kind: ResourceKind) -> &'static Schema {
    match kind {
        ResourceKind::User => &USER,
        ResourceKind::Group => &GROUP,
    }
}

/// The extensions a resource kind supports.
pub fn extensions(kind: ResourceKind) -> &'static [&'static Schema] {
    static USER_EXTENSIONS: [&Schema; 1] = [&ENTERPRISE];
    match kind {
        ResourceKind::User => &USER_EXTENSIONS,
        ResourceKind::Group => &[],
    }
}

/// Every schema the server knows, for URN look-ups.
pub fn known_schemas() -> [&'static Schema; 3] {
    [&USER, &GROUP, &ENTERPRISE]
}

/// The attribute called `name` in `attrs` (case-insensitive).
pub fn find(attrs: &'static [Attr], name: &str) -> Option<&'static Attr> {
    attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// A top-level core attribute of `kind` (common attributes included).
pub fn top_level(kind: ResourceKind, name: &str) -> Option<&'static Attr> {
    find(COMMON, name).or_else(|| find(core(kind).attributes, name))
}

/// A top-level core attribute of either kind (for filters, parsed before the
/// resource type is known; the shared names have the same definition).
pub fn top_level_any(name: &str) -> Option<&'static Attr> {
    find(COMMON, name)
        .or_else(|| find(USER.attributes, name))
        .or_else(|| find(GROUP.attributes, name))
}

/// The schema whose URN is `urn` (case-insensitive).
pub fn schema_by_urn(urn: &str) -> Option<&'static Schema> {
    known_schemas()
        .into_iter()
        .find(|s| s.id.eq_ignore_ascii_case(urn))
}
