//! `--redact`: keyed pseudonyms for personal data in exported captures.

use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::store::{Body, Capture};

/// Pseudonymises personal data with keyed stand-ins: each one is derived from
/// HMAC-SHA256(key, kind, original), so the same input gets the same stand-in
/// in every export made with the same key (diffs between two redacted
/// bundles still line up), while nobody without the key can confirm a guess
/// ("is this alice@corp.com?") by hashing it.
pub struct Redactor {
    key: Vec<u8>,
}

/// What a string holds, from the key it sits under.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Email,
    Phone,
    Name,
    Street,
    Place,
    PostalCode,
    Birthdate,
}

const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
const VOWELS: &[u8] = b"aeiou";
const ENDINGS: [&str; 6] = ["", "n", "r", "s", "l", "x"];

impl Redactor {
    pub fn new(key: &[u8]) -> Redactor {
        Redactor { key: key.to_vec() }
    }

    /// The keyed digest of one original, separated by kind so an email and a
    /// name that happen to be the same text get unrelated stand-ins.
    fn digest(&self, kind: &str, text: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(text.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A pronounceable made-up word ("vetora"), 2 to 4 syllables.
    fn word(&self, kind: &str, text: &str) -> String {
        let d = self.digest(kind, text);
        let syllables = 2 + d[0] as usize % 3;
        let mut w = String::new();
        for i in 0..syllables {
            w.push(CONSONANTS[d[1 + 2 * i] as usize % CONSONANTS.len()] as char);
            w.push(VOWELS[d[2 + 2 * i] as usize % VOWELS.len()] as char);
        }
        w + ENDINGS[d[10] as usize % ENDINGS.len()]
    }

    /// Each run of letters becomes a made-up word with the same casing, the
    /// rest is kept: "Ada Lovelace-Byron" -> "Kemira Sotal-Dunevo". A word
    /// maps the same wherever it appears, so `display_name` stays consistent
    /// with `given_name` and `family_name`.
    fn name(&self, text: &str) -> String {
        let mut out = String::new();
        let mut run = String::new();
        let flush = |run: &mut String, out: &mut String| {
            if run.is_empty() {
                return;
            }
            let fake = self.word("name", &run.to_lowercase());
            let upper = run.chars().all(|c| !c.is_lowercase()) && run.chars().count() > 1;
            let capital = run.chars().next().is_some_and(char::is_uppercase);
            out.push_str(&if upper {
                fake.to_uppercase()
            } else if capital {
                capitalise(&fake)
            } else {
                fake
            });
            run.clear();
        };
        for c in text.chars() {
            if c.is_alphabetic() {
                run.push(c);
            } else {
                flush(&mut run, &mut out);
                out.push(c);
            }
        }
        flush(&mut run, &mut out);
        out
    }

    /// A valid address: the local part from the whole address, the domain
    /// replaced on its own (every address of one organisation keeps sharing
    /// one stand-in domain) under the reserved `.example` top-level domain.
    fn email(&self, text: &str) -> String {
        let lower = text.to_lowercase();
        let Some((_, domain)) = lower.rsplit_once('@') else {
            return self.name(text).to_lowercase();
        };
        let d = self.digest("email", &lower);
        format!(
            "{}.{}@{}.example",
            self.word("email", &lower),
            hex::encode(&d[28..30]),
            self.word("domain", domain)
        )
    }

    /// Digits replaced in place, so the shape survives (`+33612345678` stays
    /// E.164, `+1 (555) 010-9999` keeps its punctuation). The country code
    /// and leading digits stay; the last 8 digits are replaced from a digest
    /// of those 8 alone, so `phone_national_number` and the E.164 `value` of
    /// one number keep agreeing.
    fn phone(&self, text: &str) -> String {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let tail = digits.len().min(8);
        let d = self.digest("phone", &digits[digits.len() - tail..]);
        let keep = digits.len() - tail;
        let mut seen = 0;
        text.chars()
            .map(|c| {
                if !c.is_ascii_digit() {
                    return c;
                }
                let i = seen;
                seen += 1;
                if i < keep {
                    return c;
                }
                let mut n = d[i - keep] % 10;
                // E.164 never starts with 0.
                if i == 0 && n == 0 {
                    n = 1 + d[31] % 9;
                }
                (b'0' + n) as char
            })
            .collect()
    }

    /// Digits and letters replaced in place ("68200" -> "41937", "SW1A 1AA"
    /// -> "KD4P 7RE").
    fn code(&self, text: &str) -> String {
        let d = self.digest("postal_code", text);
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                let b = d[i % 32].wrapping_add((i / 32) as u8);
                if c.is_ascii_digit() {
                    (b'0' + b % 10) as char
                } else if c.is_ascii_uppercase() {
                    (b'A' + b % 26) as char
                } else if c.is_ascii_lowercase() {
                    (b'a' + b % 26) as char
                } else {
                    c
                }
            })
            .collect()
    }

    fn street(&self, text: &str) -> String {
        let d = self.digest("street", text);
        let number = 1 + u16::from_be_bytes([d[20], d[21]]) % 199;
        let suffix = ["Street", "Avenue", "Road", "Lane"][d[22] as usize % 4];
        format!(
            "{number} {} {suffix}",
            capitalise(&self.word("street", text))
        )
    }

    /// The kind of personal data under a key, if any.
    fn kind(key: &str) -> Option<Kind> {
        let k = key.to_ascii_lowercase();
        Some(
            if k.contains("email") || k == "username" || k == "user_name" {
                Kind::Email
            } else if k.contains("phone") {
                Kind::Phone
            } else if k.contains("birth") {
                Kind::Birthdate
            } else if k.contains("postal") || k.contains("zip") {
                Kind::PostalCode
            } else if ["locality", "region", "city", "state", "county"].contains(&k.as_str()) {
                Kind::Place
            } else if k.contains("street") || k.contains("address") {
                Kind::Street
            } else if k.contains("name") {
                Kind::Name
            } else {
                return None;
            },
        )
    }

    fn stand_in(&self, kind: Kind, text: &str) -> Option<String> {
        if text.trim().is_empty() {
            return None;
        }
        // An address is an address whatever the key (`preferred_username`).
        let email_like = !text.contains(char::is_whitespace)
            && text
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
        Some(match kind {
            Kind::Email => self.email(text),
            Kind::Phone => return self.phone_like(text),
            _ if email_like => self.email(text),
            Kind::Name | Kind::Place => self.name(text),
            Kind::Street => self.street(text),
            Kind::PostalCode => self.code(text),
            Kind::Birthdate => self.birthdate(text),
        })
    }

    /// "work", "mobile": the type of a number, not the number.
    fn phone_like(&self, text: &str) -> Option<String> {
        text.chars()
            .any(|c| c.is_ascii_digit())
            .then(|| self.phone(text))
    }

    /// A date of birth keeps its `YYYY-MM-DD` shape: another day between
    /// 1950 and 2004. Anything else under the key is replaced digit by digit.
    fn birthdate(&self, text: &str) -> String {
        if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() {
            return self.code(text);
        }
        let d = self.digest("birthdate", text);
        format!(
            "{}-{:02}-{:02}",
            1950 + d[0] as u32 % 55,
            1 + d[1] % 12,
            1 + d[2] % 28
        )
    }

    /// Email addresses inside free text ("invited ada@corp.com"), wherever
    /// they are.
    fn emails_in(&self, text: &str) -> Option<String> {
        let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
        let host = |c: char| c.is_alphanumeric() || ".-".contains(c);
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut done = 0;
        let mut changed = false;
        for at in 0..chars.len() {
            if chars[at] != '@' || at < done {
                continue;
            }
            let start = (done..at).rev().take_while(|&i| local(chars[i])).last();
            let mut end = (at + 1..chars.len())
                .take_while(|&i| host(chars[i]))
                .last()
                .map(|i| i + 1);
            // A sentence's full stop is not part of the domain.
            while let Some(e) = end.filter(|&e| e > at + 1 && chars[e - 1] == '.') {
                end = Some(e - 1);
            }
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            let domain: String = chars[at + 1..end].iter().collect();
            if !domain.contains('.') {
                continue;
            }
            let address: String = chars[start..end].iter().collect();
            out.extend(&chars[done..start]);
            out.push_str(&self.email(&address));
            done = end;
            changed = true;
        }
        out.extend(&chars[done..]);
        changed.then_some(out)
    }

    /// Redact a JSON value in place. A string is personal data by the key it
    /// sits under; a neutral key (`value`, `formatted`, an array item) inherits the kind
    /// of the key above it, so `{"emails": [{"value": ..., "type": "work"}]}`
    /// loses the address and keeps the type.
    pub fn value(&self, v: &mut Value) {
        self.walk(v, None, None);
    }

    fn walk(&self, v: &mut Value, key: Option<&str>, inherited: Option<Kind>) {
        let own = key.and_then(Redactor::kind);
        // `formatted` is an address under `address`, a name under `name`.
        let neutral = key.is_none_or(|k| matches!(k, "value" | "display" | "formatted"));
        let kind = own.or(if neutral { inherited } else { None });
        match v {
            Value::String(s) => {
                let fake = match kind {
                    Some(kind) => self.stand_in(kind, s),
                    None => self.emails_in(s),
                };
                if let Some(fake) = fake {
                    *s = fake;
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.walk(item, None, kind);
                }
            }
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    self.walk(child, Some(k), own.or(inherited));
                }
            }
            _ => {}
        }
    }

    /// A capture with personal data pseudonymised and signature headers dropped.
    /// The body is re-serialised: it was going to be altered anyway, and no
    /// signature remains that it should match.
    pub fn capture(&self, mut c: Capture) -> Capture {
        c.headers
            .retain(|(name, _)| !name.to_ascii_lowercase().contains("signature"));
        if let Body::Utf8(text) = &c.body {
            if let Ok(mut v) = serde_json::from_str::<Value>(text) {
                self.value(&mut v);
                let redacted = v.to_string();
                c.size = redacted.len() as u64;
                c.body = Body::Utf8(redacted);
            }
        }
        c.remote_addr = None;
        c.verification = None;
        c
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where the redaction key comes from: `--redact-key`, `DSYNC_REDACT_KEY`, or
/// the store's own `.redact-key` (created once, mode 0600), so two exports of
/// one store agree without the user managing a key.
pub fn redact_key(dir: &Path, flag: Option<&str>) -> Result<(Vec<u8>, String)> {
    let given = match flag {
        Some(k) => Some((k.to_string(), "--redact-key".to_string())),
        None => std::env::var("DSYNC_REDACT_KEY")
            .ok()
            .map(|k| (k, "DSYNC_REDACT_KEY".to_string())),
    };
    if let Some((key, from)) = given {
        if key.trim().is_empty() {
            return Err(Error::usage(format!(
                "{from} is empty: give a key, or leave it out to use the store's own"
            )));
        }
        return Ok((key.into_bytes(), from));
    }
    let path = dir.join(KEY_FILE);
    let from = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => return Ok((text.trim().as_bytes().to_vec(), from)),
        Ok(_) => {
            return Err(Error::input(anyhow::anyhow!(
                "{from} is empty: delete it to get a new key, or pass --redact-key"
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(anyhow::anyhow!("cannot read {from}: {e}"))),
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(anyhow::anyhow!("cannot create {}: {e}", dir.display())))?;
    let key = hex::encode(rand::random::<[u8; 32]>());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(&path) {
        Ok(mut f) => {
            f.write_all(format!("{key}\n").as_bytes())?;
            Ok((key.into_bytes(), from))
        }
        // Another export created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => redact_key(dir, None),
        Err(e) => Err(Error::io(anyhow::anyhow!("cannot write {from}: {e}"))),
    }
}

/// The store's redaction key (a dot file: `list_captures` skips it).
pub const KEY_FILE: &str = ".redact-key";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn redacted(key: &str, v: Value) -> Value {
        let mut v = v;
        Redactor::new(key.as_bytes()).value(&mut v);
        v
    }

    fn is_email(s: &str) -> bool {
        let Some((local, domain)) = s.split_once('@') else {
            return false;
        };
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "@._+-".contains(c))
    }

    #[test]
    fn stand_ins_keep_their_shape() {
        let v = redacted(
            "k",
            json!({
                "email": "Ada.Lovelace@corp.com",
                "profile": {"given_name": "Ada", "family_name": "Lovelace",
                    "display_name": "Ada Lovelace", "nickname": "ada"},
                "phone_numbers": [{"phone_country_code": 33, "phone_national_number": "612345678",
                    "value": "+33612345678", "type": "mobile", "primary": true}],
                "address": {"country": "FR", "locality": "Mulhouse", "postal_code": "68200",
                    "street_address": "12 rue des frères Lumière", "formatted": "12 rue\n68200 Mulhouse"},
                "name": {"formatted": "Ada Lovelace"},
                "emails": [{"value": "ada@corp.com", "type": "work"}],
                "preferred_username": "Ada@Corp.com", "birthdate": "1815-12-10",
            }),
        );
        let email = v["email"].as_str().unwrap();
        assert!(is_email(email), "{email}");
        assert!(email.ends_with(".example"), "{email}");
        let p = &v["profile"];
        let (given, family) = (
            p["given_name"].as_str().unwrap(),
            p["family_name"].as_str().unwrap(),
        );
        assert_ne!(given, "Ada");
        assert!(given.chars().next().unwrap().is_uppercase(), "{given}");
        assert!(
            given.chars().skip(1).all(|c| c.is_ascii_lowercase()),
            "{given}"
        );
        // The display name is made of the same stand-ins as its parts.
        assert_eq!(p["display_name"], format!("{given} {family}"));
        assert_eq!(v["name"]["formatted"], format!("{given} {family}"));
        assert_eq!(p["nickname"], given.to_lowercase());

        let phone = &v["phone_numbers"][0];
        let e164 = phone["value"].as_str().unwrap();
        assert_ne!(e164, "+33612345678");
        assert!(e164.starts_with("+33") && e164.len() == 12, "{e164}");
        assert!(e164[1..].chars().all(|c| c.is_ascii_digit()), "{e164}");
        // value = "+" country code + national number, still.
        assert_eq!(
            e164,
            format!("+33{}", phone["phone_national_number"].as_str().unwrap())
        );
        assert_eq!(phone["type"], "mobile");
        assert_eq!(phone["phone_country_code"], 33);

        let a = &v["address"];
        assert_eq!(a["country"], "FR");
        assert_ne!(a["locality"], "Mulhouse");
        let code = a["postal_code"].as_str().unwrap();
        assert!(code.len() == 5 && code != "68200", "{code}");
        assert!(!a["street_address"].as_str().unwrap().contains("rue"));
        assert!(!a["formatted"].as_str().unwrap().contains("Mulhouse"));
        assert!(is_email(v["emails"][0]["value"].as_str().unwrap()));
        assert_eq!(v["emails"][0]["type"], "work");
        assert_eq!(v["preferred_username"], v["emails"][0]["value"]);
        let born = v["birthdate"].as_str().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(born, "%Y-%m-%d").is_ok(),
            "{born}"
        );
        assert_ne!(born, "1815-12-10");
    }

    #[test]
    fn same_input_same_stand_in_and_the_key_matters() {
        let body = json!({"email": "ada@corp.com", "other": {"user_email": "ADA@corp.com"},
            "boss": {"email": "bob@corp.com"}, "given_name": "Ada"});
        let once = redacted("k1", body.clone());
        assert_eq!(once, redacted("k1", body.clone()));
        // Addresses compare without case; one organisation, one stand-in domain.
        assert_eq!(once["email"], once["other"]["user_email"]);
        let domain = |v: &Value| v.as_str().unwrap().split_once('@').unwrap().1.to_string();
        assert_eq!(domain(&once["email"]), domain(&once["boss"]["email"]));
        assert_ne!(once["email"], once["boss"]["email"]);
        let other = redacted("k2", body);
        assert_ne!(once["email"], other["email"]);
        assert_ne!(once["given_name"], other["given_name"]);
    }

    #[test]
    fn emails_in_free_text_and_values_left_alone() {
        let v = redacted(
            "k",
            json!({"description": "Invited ada@corp.com, then bob@corp.io.",
                "code": "dir_sync.user.update.success", "id": "u_1", "count": 3,
                "note": "not@home"}),
        );
        let text = v["description"].as_str().unwrap();
        assert!(
            text.starts_with("Invited ") && text.ends_with('.'),
            "{text}"
        );
        assert!(!text.contains("corp"), "{text}");
        assert_eq!(text.matches(".example").count(), 2, "{text}");
        assert_eq!(v["code"], "dir_sync.user.update.success");
        assert_eq!(v["id"], "u_1");
        assert_eq!(v["note"], "not@home");
    }

    #[test]
    fn phones_keep_punctuation_and_never_start_with_zero() {
        let r = Redactor::new(b"k");
        let fake = r.phone("+1 (555) 010-9999");
        assert_eq!(fake.len(), "+1 (555) 010-9999".len());
        assert_eq!(&fake[..5], "+1 (5");
        assert_ne!(fake, "+1 (555) 010-9999");
        for n in 0..200 {
            let fake = r.phone(&format!("+{n:08}"));
            assert!(fake.as_bytes()[1] != b'0', "{fake}");
        }
    }
}
