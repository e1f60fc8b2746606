use serde_json::{json, Value};

use super::*;

fn barbara() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "00u1AbC",
        "userName": "Barbara.Jensen@Example.com",
        "name": {"familyName": "Jensen", "givenName": "Barbara", "formatted": "Ms. Barbara J Jensen III"},
        "displayName": "Babs Jensen",
        "title": "Tour Guide",
        "userType": "Employee",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "phoneNumbers": [{"value": "+33 1 23 45 67 89", "type": "work"}],
        "loginCount": 42,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
        },
        "meta": {
            "resourceType": "User",
            "created": "2026-01-23T04:56:22Z",
            "lastModified": "2026-05-13T04:42:34+02:00",
            "version": "W/\"a330bc54f0671c9\""
        }
    })
}

fn ken() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "c0ffee",
        "userName": "ken@example.org",
        "name": {"familyName": "Thompson", "givenName": "Ken"},
        "active": false,
        "emails": [{"value": "ken@example.org", "type": "home"}],
        "meta": {"resourceType": "User", "created": "2025-12-31T23:00:00Z", "lastModified": "2025-12-31T23:00:00Z"}
    })
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": [
            {"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge"}
        ],
        "meta": {"resourceType": "Group"}
    })
}

fn user_matches(text: &str, resource: &Value) -> bool {
    parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .matches(ResourceKind::User, resource)
}

fn err(text: &str) -> ScimError {
    match parse(text) {
        Ok(f) => panic!("{text} parsed as {f}"),
        Err(e) => e,
    }
}

#[test]
fn every_operator_on_strings() {
    let b = barbara();
    let cases = [
        ("userName eq \"barbara.jensen@example.com\"", true),
        ("userName eq \"barbara\"", false),
        ("userName ne \"barbara\"", true),
        ("userName ne \"BARBARA.JENSEN@EXAMPLE.COM\"", false),
        ("userName co \"JENSEN@\"", true),
        ("userName co \"smith\"", false),
        ("userName sw \"barb\"", true),
        ("userName sw \"jensen\"", false),
        ("userName ew \"EXAMPLE.COM\"", true),
        ("userName ew \"example\"", false),
        ("title gt \"tour\"", true),
        ("title gt \"Tour Guide\"", false),
        ("title ge \"TOUR GUIDE\"", true),
        ("title lt \"tour guidf\"", true),
        ("title lt \"tour guide\"", false),
        ("title le \"tour guide\"", true),
        ("title le \"a\"", false),
    ];
    for (text, expected) in cases {
        assert_eq!(user_matches(text, &b), expected, "{text}");
    }
}

#[test]
fn case_exact_attributes_compare_exactly() {
    let b = barbara();
    assert!(user_matches("externalId eq \"00u1AbC\"", &b));
    assert!(!user_matches("externalId eq \"00u1abc\"", &b));
    assert!(user_matches(
        "id eq \"2819c223-7f76-453a-919d-413861904646\"",
        &b
    ));
    assert!(!user_matches(
        "id eq \"2819C223-7F76-453A-919D-413861904646\"",
        &b
    ));
    assert!(!user_matches("externalId sw \"00U\"", &b));
    assert!(user_matches(
        "meta.version eq \"W/\\\"a330bc54f0671c9\\\"\"",
        &b
    ));
    // caseExact=false ones ignore case, Unicode too.
    let mut e = b.clone();
    e["displayName"] = json!("Élodie Ørsted");
    assert!(user_matches("displayName eq \"élodie ørsted\"", &e));
    assert!(user_matches("displayName sw \"ÉLO\"", &e));
    assert!(user_matches("displayName co \"DIE ØR\"", &e));
    assert!(user_matches("displayName ew \"ØRSTED\"", &e));
    // Group member ids are caseExact.
    let g = group();
    let f = parse("members.value eq \"2819C223-7F76-453A-919D-413861904646\"").unwrap();
    assert!(!f.matches(ResourceKind::Group, &g));
    let f = parse("members.value eq \"2819c223-7f76-453a-919d-413861904646\"").unwrap();
    assert!(f.matches(ResourceKind::Group, &g));
    // Unknown attributes default to caseExact=false (RFC 7643 §2.2).
    let mut x = b.clone();
    x["nickname2"] = json!("Babs");
    assert!(user_matches("NICKNAME2 eq \"babs\"", &x));
}

#[test]
fn attribute_names_are_case_insensitive() {
    let b = barbara();
    assert!(user_matches(
        "USERNAME eq \"barbara.jensen@example.com\"",
        &b
    ));
    assert!(user_matches("Name.FamilyName eq \"jensen\"", &b));
    assert!(user_matches("EMAILS.VALUE eq \"babs@jensen.org\"", &b));
    assert!(user_matches(
        "userName EQ \"barbara.jensen@example.com\" AND active Eq true",
        &b
    ));
    // Resource keys in another case are found too.
    let odd = json!({"UserName": "x@y.z", "NAME": {"GIVENNAME": "X"}});
    assert!(user_matches("userName eq \"X@Y.Z\"", &odd));
    assert!(user_matches("name.givenName eq \"x\"", &odd));
}

#[test]
fn sub_attributes_and_multi_valued_match_any_value() {
    let b = barbara();
    assert!(user_matches("name.familyName eq \"Jensen\"", &b));
    assert!(user_matches("emails.value eq \"BJENSEN@example.com\"", &b));
    assert!(user_matches("emails.value ew \"jensen.org\"", &b));
    assert!(user_matches("emails.type eq \"home\"", &b));
    assert!(!user_matches("emails.type eq \"other\"", &b));
    // A complex multi-valued attribute compares through its `value`.
    assert!(user_matches("emails co \"jensen.org\"", &b));
    assert!(user_matches("emails eq \"babs@jensen.org\"", &b));
    assert!(!user_matches("emails eq \"work\"", &b));
    assert!(user_matches("phoneNumbers.value sw \"+33\"", &b));
    let g = group();
    let f = parse("members eq \"902c246b-6245-4190-8e05-00816be7344a\"").unwrap();
    assert!(f.matches(ResourceKind::Group, &g));
    let f = parse("members.display co \"mandy\"").unwrap();
    assert!(f.matches(ResourceKind::Group, &g));
}

#[test]
fn value_paths_select_one_element() {
    let b = barbara();
    assert!(user_matches(
        "emails[type eq \"work\" and value co \"@example.com\"]",
        &b
    ));
    // The two conditions must hold on the same element.
    assert!(!user_matches(
        "emails[type eq \"home\" and value co \"@example.com\"]",
        &b
    ));
    assert!(user_matches(
        "emails[type eq \"work\" and primary eq true]",
        &b
    ));
    assert!(!user_matches(
        "emails[type eq \"home\" and primary eq true]",
        &b
    ));
    assert!(user_matches("emails[not (type eq \"work\")]", &b));
    assert!(user_matches("emails[primary pr]", &b));
    assert!(user_matches(
        "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
        &b
    ));
    assert!(user_matches("EMAILS[TYPE EQ \"WORK\"]", &b));
    let g = group();
    let f = parse("members[value eq \"2819c223-7f76-453a-919d-413861904646\"]").unwrap();
    assert!(f.matches(ResourceKind::Group, &g));
    assert!(!f.matches(
        ResourceKind::Group,
        &json!({"displayName": "x", "members": []})
    ));
}

#[test]
fn urn_prefixed_attributes() {
    let b = barbara();
    assert!(user_matches(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"",
        &b
    ));
    assert!(user_matches(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw \"tour\"",
        &b
    ));
    assert!(user_matches(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr",
        &b
    ));
    assert!(user_matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName eq \"john smith\"", &b));
    assert!(!user_matches(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"1\"",
        &b
    ));
    assert!(user_matches(
        "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"barbara\"",
        &b
    ));
    assert!(user_matches(
        "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:name.givenName eq \"barbara\"",
        &b
    ));
    // A core URN restricts the resource type.
    let f = parse("urn:ietf:params:scim:schemas:core:2.0:User:displayName pr").unwrap();
    assert!(!f.matches(ResourceKind::Group, &group()));
    let f = parse("urn:ietf:params:scim:schemas:core:2.0:Group:displayName pr").unwrap();
    assert!(f.matches(ResourceKind::Group, &group()));
    // An extension this server does not define is still looked up as sent.
    let mut c = b.clone();
    c["urn:example:custom:1.0:User"] = json!({"badge": "B-17"});
    assert!(user_matches(
        "urn:example:custom:1.0:User:badge eq \"b-17\"",
        &c
    ));
}

#[test]
fn logical_operators_precedence_and_parentheses() {
    let b = barbara();
    // and binds tighter than or.
    assert!(user_matches(
        "title eq \"nope\" and userType eq \"nope\" or active eq true",
        &b
    ));
    assert!(!user_matches(
        "title eq \"nope\" and (userType eq \"nope\" or active eq true)",
        &b
    ));
    assert!(user_matches(
        "active eq true or title eq \"nope\" and userType eq \"nope\"",
        &b
    ));
    assert!(!user_matches(
        "(active eq true or title eq \"nope\") and userType eq \"nope\"",
        &b
    ));
    // not needs parentheses and applies to them only.
    assert!(user_matches(
        "not (title eq \"nope\") and active eq true",
        &b
    ));
    assert!(!user_matches(
        "not (title eq \"nope\" or active eq true)",
        &b
    ));
    assert!(user_matches("not (not (active eq true))", &b));
    assert!(user_matches("((((active eq true))))", &b));
    assert!(user_matches("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")", &b));
    assert!(!user_matches("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")", &ken()));
    assert!(user_matches("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.net\")", &ken()));
    // Printed canonically with explicit parentheses.
    let f = parse("a eq 1 and b eq 2 or c eq 3 and not (d pr)").unwrap();
    assert_eq!(
        f.to_string(),
        "((a eq 1 and b eq 2) or (c eq 3 and not (d pr)))"
    );
    assert_eq!(
        sexpr(&f),
        "(or (and (eq a 1) (eq b 2)) (and (eq c 3) (not (pr d))))"
    );
}

#[test]
fn literals_booleans_numbers_null_and_escapes() {
    let b = barbara();
    assert!(user_matches("active eq true", &b));
    assert!(!user_matches("active eq false", &b));
    assert!(user_matches("active ne false", &b));
    assert!(
        user_matches("active eq \"True\"", &b),
        "string booleans compare as booleans"
    );
    assert!(user_matches("loginCount eq 42", &b));
    assert!(user_matches("loginCount eq 42.0", &b));
    assert!(user_matches("loginCount gt 4.1e1", &b));
    assert!(!user_matches("loginCount lt -1e3", &b));
    assert!(user_matches("loginCount le 42", &b));
    assert!(
        !user_matches("loginCount eq \"42\"", &b),
        "types do not convert"
    );
    assert!(user_matches("nickName eq null", &b));
    assert!(!user_matches("userName eq null", &b));
    assert!(user_matches("userName ne null", &b));
    let mut q = b.clone();
    q["displayName"] = json!("Babs \"B\" J\\ensen\té");
    assert!(user_matches(
        "displayName eq \"babs \\\"b\\\" j\\\\ensen\\t\\u00e9\"",
        &q
    ));
    // A stored string boolean still matches a boolean literal.
    let mut s = b.clone();
    s["active"] = json!("False");
    assert!(user_matches("active eq false", &s));
}

#[test]
fn presence() {
    let b = barbara();
    assert!(user_matches("title pr", &b));
    assert!(!user_matches("nickName pr", &b));
    assert!(user_matches("emails pr", &b));
    assert!(user_matches("name.givenName pr", &b));
    let empty = json!({"userName": "x", "title": "", "emails": [], "name": {}, "nickName": null, "x509Certificates": [{}]});
    for attr in [
        "title",
        "emails",
        "name",
        "nickName",
        "x509Certificates",
        "name.givenName",
    ] {
        assert!(!user_matches(&format!("{attr} pr"), &empty), "{attr}");
    }
    assert!(user_matches("not (title pr)", &empty));
}

#[test]
fn date_times_compare_as_instants() {
    let b = barbara();
    assert!(user_matches(
        "meta.created eq \"2026-01-23T05:56:22+01:00\"",
        &b
    ));
    assert!(user_matches("meta.created gt \"2026-01-01T00:00:00Z\"", &b));
    assert!(!user_matches(
        "meta.created lt \"2026-01-01T00:00:00Z\"",
        &b
    ));
    assert!(user_matches(
        "meta.lastModified ge \"2026-05-13T02:42:34Z\"",
        &b
    ));
    assert!(!user_matches(
        "meta.lastModified gt \"2026-05-13T02:42:34Z\"",
        &b
    ));
    assert!(user_matches("meta.lastModified gt \"2026-01-01T00:00:00Z\" and meta.lastModified lt \"2026-12-31T23:59:59.999Z\"", &b));
    assert!(!user_matches(
        "meta.lastModified gt \"2026-01-01T00:00:00Z\"",
        &ken()
    ));
    // Same UTC form (compared as bytes), different forms (parsed).
    assert!(user_matches("meta.created gt \"2026-01-23T04:56:21Z\"", &b));
    assert!(!user_matches(
        "meta.created gt \"2026-01-23T04:56:22Z\"",
        &b
    ));
    assert!(user_matches(
        "meta.created gt \"2026-01-23T04:56:21.999Z\"",
        &b
    ));
    assert!(user_matches(
        "meta.created lt \"2026-01-23T04:56:22.001Z\"",
        &b
    ));
    assert!(user_matches(
        "meta.created eq \"2026-01-23T04:56:22.000Z\"",
        &b
    ));
    let mut f = b.clone();
    f["meta"]["created"] = json!("2026-01-23T04:56:22.100Z");
    assert!(user_matches(
        "meta.created gt \"2026-01-23T04:56:22.099Z\"",
        &f
    ));
    assert!(!user_matches(
        "meta.created gt \"2026-01-23T04:56:22.101Z\"",
        &f
    ));
    assert!(!user_matches(
        "meta.created lt \"2026-01-23T05:56:22.100+01:00\"",
        &f
    ));
    f["meta"]["created"] = json!("not a date at all, but long enough Z");
    assert!(!user_matches(
        "meta.created gt \"2026-01-23T04:56:22.101Z\"",
        &f
    ));
    let e = err("meta.created gt \"yesterday\"");
    assert!(e.detail.contains("dateTime"), "{}", e.detail);
}

#[test]
fn invalid_filters_say_where_and_what() {
    let cases: &[(&str, &str)] = &[
        ("", "character 1: the filter is empty"),
        ("   ", "the filter is empty"),
        ("userName", "character 9: expected an operator"),
        ("userName equals \"x\"", "character 10: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \"userName\", found \"equals\""),
        ("userName eq", "character 12: expected a value"),
        ("active eq True", "character 11: \"True\" is not a value: true, false and null are lower case"),
        ("userName eq bob", "character 13: expected a value (a \"string\", a number, true, false or null), found \"bob\""),
        ("userName eq \"bob", "character 13: unterminated string"),
        ("userName eq \"b\\qb\"", "invalid string literal"),
        ("userName eq \"x\" and", "expected an attribute, '(' or \"not\""),
        ("userName eq \"x\" or or", "character 22: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \"or\""),
        ("userName eq \"x\" or [", "expected an attribute name"),
        ("(userName eq \"x\"", "character 17: expected \"and\", \"or\" or ')' closing the '(' at character 1"),
        ("userName eq \"x\")", "character 16: unbalanced ')'"),
        ("userName eq \"x\" nor title pr", "character 17: expected \"and\", \"or\" or the end of the filter, found \"nor\""),
        ("not title pr", "expected '(' after \"not\""),
        ("emails[type eq \"work\"", "closing the '['"),
        ("emails[type[value eq \"x\"] pr]", "value filters cannot be nested"),
        ("emails[name.givenName eq \"x\"]", "not a sub-attribute name"),
        ("active gt true", "gt cannot be used with \"active\", a boolean"),
        ("active co \"t\"", "co cannot be used with \"active\""),
        ("x gt false", "gt cannot compare booleans"),
        ("loginCount co 4", "co needs a string value"),
        ("title gt null", "null can only be compared with eq or ne"),
        ("name eq \"Barbara\"", "\"name\" is complex: compare one of its sub-attributes"),
        ("userName eq 1.2.3", "\"1.2.3\" is not a number"),
        ("1userName eq \"x\"", "not a valid attribute name"),
        ("name.givenName.first eq \"x\"", "not a valid sub-attribute name"),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User eq \"x\"", "an attribute name must follow it"),
        ("userName eq \"x\" & title pr", "found \"&\""),
    ];
    for (text, needle) in cases {
        let e = err(text);
        assert_eq!(e.status, 400);
        assert_eq!(e.scim_type, Some("invalidFilter"));
        assert!(
            e.detail.contains(needle),
            "{text:?}: {:?} does not contain {needle:?}",
            e.detail
        );
    }
    // Positions count characters, not bytes.
    let e = err("displayName eq \"é\" oops");
    assert!(e.detail.contains("character 20"), "{}", e.detail);
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}active pr{}", "(".repeat(200), ")".repeat(200));
    assert!(err(&deep).detail.contains("nested more than 64 levels"));
    let ok = format!("{}active pr{}", "(".repeat(60), ")".repeat(60));
    assert!(user_matches(&ok, &barbara()));
    let nots = format!("{}active pr{}", "not (".repeat(100), ")".repeat(100));
    assert!(err(&nots).detail.contains("nested"));
    // Long flat chains are fine (no recursion per term).
    let chain = vec!["active pr"; 5000].join(" and ");
    assert!(user_matches(&chain, &barbara()));
}

#[test]
fn indexed_eq_finds_the_lookup_okta_and_entra_send() {
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        (
            "userName eq \"bjensen@example.com\"",
            Some(("userName", "bjensen@example.com")),
        ),
        (
            "USERNAME EQ \"Bjensen@Example.com\"",
            Some(("userName", "Bjensen@Example.com")),
        ),
        ("externalId eq \"00u1\"", Some(("externalId", "00u1"))),
        (
            "displayName eq \"Tour Guides\"",
            Some(("displayName", "Tour Guides")),
        ),
        ("id eq \"abc\"", Some(("id", "abc"))),
        (
            "active eq true and userName eq \"x\"",
            Some(("userName", "x")),
        ),
        (
            "(userName eq \"x\" and active eq true)",
            Some(("userName", "x")),
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"",
            Some(("userName", "x")),
        ),
        ("userName eq \"x\" or userName eq \"y\"", None),
        ("not (userName eq \"x\")", None),
        ("userName ne \"x\"", None),
        ("userName co \"x\"", None),
        ("title eq \"x\"", None),
        ("name.givenName eq \"x\"", None),
        ("urn:example:ext:User:userName eq \"x\"", None),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text).unwrap().indexed_eq(), *expected, "{text}");
    }
}

#[test]
fn a_filter_is_shared_across_threads() {
    fn send_sync<T: Send + Sync + Clone>(_: &T) {}
    let f = parse("userName sw \"b\"").unwrap();
    send_sync(&f);
    let users = [barbara(), ken()];
    let counts: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    users
                        .iter()
                        .filter(|u| f.matches(ResourceKind::User, u))
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(counts, [1, 1]);
}

#[test]
fn canonical_form_parses_back_to_itself() {
    for text in [
        "userName eq \"a\\\"b\" and (title pr or not (active eq false))",
        "emails[type eq \"work\" and value co \"@x\"] or members.value eq \"1\"",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value ne null",
        "meta.created ge \"2026-01-01T00:00:00Z\" and loginCount lt -1.5e3",
    ] {
        let once = parse(text).unwrap().to_string();
        let twice = parse(&once).unwrap().to_string();
        assert_eq!(once, twice);
    }
}

mod generated {
    //! Generated filters: printed canonically, they parse back to the same
    //! tree, and evaluation obeys the boolean laws the grammar promises.
    use super::*;
    use proptest::prelude::*;

    fn attribute() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "userName",
            "title",
            "name.familyName",
            "emails.value",
            "emails.type",
            "active",
            "loginCount",
            "externalId",
            "displayName",
            "nickName",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        ])
    }

    fn literal() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z@. \"\\\\é]{0,8}".prop_map(|s| Value::from(s).to_string()),
            (-100i64..100).prop_map(|n| n.to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
        ]
    }

    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            (
                attribute(),
                prop::sample::select(vec!["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]),
                literal()
            )
                .prop_map(|(a, op, l)| format!("{a} {op} {l}")),
            attribute().prop_map(|a| format!("{a} pr")),
            literal().prop_map(|l| format!("emails[type eq {l} or value sw {l}]")),
        ]
    }

    fn filter() -> impl Strategy<Value = String> {
        leaf().prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
                inner.prop_map(|a| format!("not ({a})")),
            ]
        })
    }

    proptest! {
        #[test]
        fn print_and_reparse(text in filter()) {
            // Some generated filters are invalid (co on a boolean...): those must fail cleanly.
            if let Ok(f) = parse(&text) {
                let printed = f.to_string();
                let again = parse(&printed).unwrap();
                prop_assert_eq!(printed, again.to_string());
                prop_assert_eq!(sexpr(&f), sexpr(&again));
                for r in [barbara(), ken()] {
                    prop_assert_eq!(f.matches(ResourceKind::User, &r), again.matches(ResourceKind::User, &r));
                    let negated = parse(&format!("not ({text})")).unwrap();
                    prop_assert_eq!(negated.matches(ResourceKind::User, &r), !f.matches(ResourceKind::User, &r));
                }
            }
        }

        #[test]
        fn boolean_laws(a in filter(), b in filter()) {
            let (Ok(fa), Ok(fb)) = (parse(&a), parse(&b)) else { return Ok(()) };
            let and = parse(&format!("({a}) and ({b})")).unwrap();
            let or = parse(&format!("({a}) or ({b})")).unwrap();
            let de_morgan = parse(&format!("not (not ({a}) or not ({b}))")).unwrap();
            for r in [barbara(), ken()] {
                let (x, y) = (fa.matches(ResourceKind::User, &r), fb.matches(ResourceKind::User, &r));
                prop_assert_eq!(and.matches(ResourceKind::User, &r), x && y);
                prop_assert_eq!(or.matches(ResourceKind::User, &r), x || y);
                prop_assert_eq!(de_morgan.matches(ResourceKind::User, &r), x && y);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,60}") {
            let _ = parse(&text);
        }
    }
}
