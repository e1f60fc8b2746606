//! Realistic, country-consistent people for `send-test`, the local directory
//! and `simulate`.
//!
//! Everything about one person agrees with their country: the phone number has
//! that country's national length (FR 9 digits, US/CA 10, GB 10, DE 10-11) and
//! its landline area code fits the city, the address is written the way the
//! post office of that country writes it, and the locale and IANA time zone are
//! the ones a person in that city has.
//!
//! [`change`] derives the next state of the *same* person: one to three of the
//! changes an HR system really records (a new phone number, a promotion, a
//! move to another department, a new surname, a move within the city), always
//! at least one real change, never a new person.

use rand::seq::SliceRandom;
use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// The country calling code, e.g. 33.
    pub country_code: u32,
    /// The national significant number (no trunk `0`), e.g. `612345678`.
    pub national_number: String,
    /// `+` country code and national number, e.g. `+33612345678`.
    pub e164: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street_address: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// One line, in the order the country writes it (see [`format_address`]).
    pub formatted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub given_name: String,
    pub family_name: String,
    /// `given.family@domain`, ASCII only.
    pub email: String,
    pub title: String,
    pub department: String,
    pub employee_number: String,
    pub phone: Phone,
    pub address: Address,
    /// BCP 47, e.g. `fr-FR`.
    pub locale: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub zoneinfo: String,
    /// `YYYY-MM-DD`.
    pub birthdate: String,
}

struct City {
    name: &'static str,
    /// State or province code (US/CA), region or nation (GB), Land (DE), région (FR).
    region: &'static str,
    postal_codes: &'static [&'static str],
    zoneinfo: &'static str,
    /// Landline area code, as dialled after the country code.
    area_code: &'static str,
}

struct Country {
    code: &'static str,
    calling_code: u32,
    locale: &'static str,
    given: &'static [&'static str],
    family: &'static [&'static str],
    streets: &'static [&'static str],
    cities: &'static [City],
}

const fn city(
    name: &'static str,
    region: &'static str,
    postal_codes: &'static [&'static str],
    zoneinfo: &'static str,
    area_code: &'static str,
) -> City {
    City {
        name,
        region,
        postal_codes,
        zoneinfo,
        area_code,
    }
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "FR",
        calling_code: 33,
        locale: "fr-FR",
        given: &[
            "Camille", "Léa", "Louis", "Hugo", "Manon", "Chloé", "Julien", "Thomas", "Inès",
            "Nathalie", "Mathieu", "Élodie", "Antoine", "Sophie",
        ],
        family: &[
            "Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard",
            "Fournier", "Mercier", "Lambert", "Bonnet", "Faure", "Rousseau",
        ],
        streets: &[
            "rue de la République",
            "rue Victor Hugo",
            "avenue Jean Jaurès",
            "boulevard Voltaire",
            "rue du Faubourg Saint-Antoine",
            "rue des Lilas",
            "rue Nationale",
            "avenue de la Libération",
            "rue Pasteur",
            "place de la Mairie",
        ],
        cities: &[
            city(
                "Paris",
                "Île-de-France",
                &[
                    "75002", "75003", "75009", "75010", "75011", "75015", "75017",
                ],
                "Europe/Paris",
                "1",
            ),
            city(
                "Lyon",
                "Auvergne-Rhône-Alpes",
                &["69001", "69002", "69003", "69006", "69007"],
                "Europe/Paris",
                "4",
            ),
            city(
                "Marseille",
                "Provence-Alpes-Côte d'Azur",
                &["13001", "13002", "13006", "13008"],
                "Europe/Paris",
                "4",
            ),
            city(
                "Toulouse",
                "Occitanie",
                &["31000", "31200", "31300", "31400"],
                "Europe/Paris",
                "5",
            ),
            city(
                "Lille",
                "Hauts-de-France",
                &["59000", "59160", "59800"],
                "Europe/Paris",
                "3",
            ),
        ],
    },
    Country {
        code: "US",
        calling_code: 1,
        locale: "en-US",
        given: &[
            "James", "Mary", "Michael", "Jennifer", "David", "Linda", "Emily", "Daniel", "Olivia",
            "Ethan", "Ashley", "Brandon", "Megan", "Tyler",
        ],
        family: &[
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Garcia",
            "Miller",
            "Davis",
            "Rodriguez",
            "Martinez",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
        ],
        streets: &[
            "Main Street",
            "Oak Avenue",
            "Maple Drive",
            "Elm Street",
            "Park Avenue",
            "Washington Boulevard",
            "Lakeview Drive",
            "Cedar Lane",
            "Market Street",
            "Pine Street",
        ],
        cities: &[
            city(
                "New York",
                "NY",
                &["10001", "10003", "10011", "10016", "10019", "10036"],
                "America/New_York",
                "212",
            ),
            city(
                "Boston",
                "MA",
                &["02108", "02110", "02116", "02118"],
                "America/New_York",
                "617",
            ),
            city(
                "Chicago",
                "IL",
                &["60601", "60605", "60607", "60614"],
                "America/Chicago",
                "312",
            ),
            city(
                "Austin",
                "TX",
                &["78701", "78702", "78704", "78731"],
                "America/Chicago",
                "512",
            ),
            city(
                "Denver",
                "CO",
                &["80202", "80203", "80205", "80211"],
                "America/Denver",
                "303",
            ),
            city(
                "San Francisco",
                "CA",
                &["94103", "94105", "94107", "94110"],
                "America/Los_Angeles",
                "415",
            ),
            city(
                "Seattle",
                "WA",
                &["98101", "98102", "98103", "98109"],
                "America/Los_Angeles",
                "206",
            ),
        ],
    },
    Country {
        code: "CA",
        calling_code: 1,
        locale: "en-CA",
        given: &[
            "Liam",
            "Emma",
            "Noah",
            "Olivia",
            "Benjamin",
            "Charlotte",
            "Lucas",
            "Chloe",
            "Owen",
            "Ava",
        ],
        family: &[
            "Tremblay",
            "Roy",
            "Gagnon",
            "Smith",
            "Wilson",
            "Brown",
            "MacDonald",
            "Lee",
            "Campbell",
            "Martin",
        ],
        streets: &[
            "King Street West",
            "Queen Street East",
            "Yonge Street",
            "Bay Street",
            "Wellington Street",
            "Elgin Street",
            "Bank Street",
            "Dundas Street",
        ],
        cities: &[
            city(
                "Toronto",
                "ON",
                &["M5V 2T6", "M5H 2N2", "M4W 1A8", "M6J 1E6"],
                "America/Toronto",
                "416",
            ),
            city(
                "Ottawa",
                "ON",
                &["K1P 5J2", "K1R 7S8", "K2P 1L4"],
                "America/Toronto",
                "613",
            ),
            city(
                "Vancouver",
                "BC",
                &["V6B 1A1", "V6E 4M2", "V5K 0A1"],
                "America/Vancouver",
                "604",
            ),
            city(
                "Calgary",
                "AB",
                &["T2P 1J9", "T2R 0S1", "T2G 0P6"],
                "America/Edmonton",
                "403",
            ),
        ],
    },
    Country {
        code: "GB",
        calling_code: 44,
        locale: "en-GB",
        given: &[
            "Oliver",
            "Amelia",
            "George",
            "Isla",
            "Harry",
            "Ava",
            "Jack",
            "Emily",
            "Charlotte",
            "William",
            "Sophie",
            "James",
        ],
        family: &[
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Evans", "Thomas", "Roberts", "Walker",
        ],
        streets: &[
            "High Street",
            "Station Road",
            "Church Lane",
            "Victoria Road",
            "Park Road",
            "Queen Street",
            "Mill Lane",
            "Albert Street",
        ],
        cities: &[
            city(
                "London",
                "England",
                &["EC1A 1BB", "N1 9GU", "SE1 7PB", "E1 6AN", "W1D 3QF"],
                "Europe/London",
                "20",
            ),
            city(
                "Manchester",
                "England",
                &["M1 1AE", "M2 5DB", "M4 1HN"],
                "Europe/London",
                "161",
            ),
            city(
                "Bristol",
                "England",
                &["BS1 4DJ", "BS1 5TR", "BS8 1TH"],
                "Europe/London",
                "117",
            ),
            city(
                "Edinburgh",
                "Scotland",
                &["EH1 1YZ", "EH2 2BY", "EH3 9DR"],
                "Europe/London",
                "131",
            ),
            city(
                "Cardiff",
                "Wales",
                &["CF10 1EP", "CF10 3NQ", "CF24 0AB"],
                "Europe/London",
                "29",
            ),
        ],
    },
    Country {
        code: "DE",
        calling_code: 49,
        locale: "de-DE",
        given: &[
            "Lukas",
            "Anna",
            "Leon",
            "Mia",
            "Felix",
            "Lena",
            "Jonas",
            "Hannah",
            "Paul",
            "Sophie",
            "Maximilian",
            "Katharina",
        ],
        family: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Koch",
            "Richter",
        ],
        streets: &[
            "Hauptstraße",
            "Friedrichstraße",
            "Bahnhofstraße",
            "Gartenstraße",
            "Schillerstraße",
            "Goethestraße",
            "Lindenallee",
            "Kastanienallee",
        ],
        cities: &[
            city(
                "Berlin",
                "Berlin",
                &["10115", "10117", "10178", "10243", "10405", "10997"],
                "Europe/Berlin",
                "30",
            ),
            city(
                "München",
                "Bayern",
                &["80331", "80333", "80469", "80796"],
                "Europe/Berlin",
                "89",
            ),
            city(
                "Hamburg",
                "Hamburg",
                &["20095", "20099", "20354", "22765"],
                "Europe/Berlin",
                "40",
            ),
            city(
                "Köln",
                "Nordrhein-Westfalen",
                &["50667", "50670", "50672", "50823"],
                "Europe/Berlin",
                "221",
            ),
            city(
                "Frankfurt am Main",
                "Hessen",
                &["60311", "60313", "60316", "60594"],
                "Europe/Berlin",
                "69",
            ),
        ],
    },
];

/// Departments and their titles, junior to senior.
const DEPARTMENTS: &[(&str, &[&str])] = &[
    (
        "Engineering",
        &[
            "Software Engineer",
            "Senior Software Engineer",
            "Staff Software Engineer",
            "Engineering Manager",
        ],
    ),
    (
        "Product",
        &[
            "Associate Product Manager",
            "Product Manager",
            "Senior Product Manager",
            "Head of Product",
        ],
    ),
    (
        "Design",
        &["Product Designer", "Senior Product Designer", "Design Lead"],
    ),
    (
        "Sales",
        &[
            "Sales Development Representative",
            "Account Executive",
            "Senior Account Executive",
            "Sales Manager",
        ],
    ),
    (
        "Customer Success",
        &[
            "Support Engineer",
            "Customer Success Manager",
            "Head of Customer Success",
        ],
    ),
    (
        "Finance",
        &["Accountant", "Financial Analyst", "Finance Manager", "CFO"],
    ),
    (
        "People",
        &["Recruiter", "HR Business Partner", "Head of People"],
    ),
    ("Legal", &["Paralegal", "Legal Counsel", "General Counsel"]),
];

/// The countries people come from (ISO 3166-1 alpha-2).
pub fn countries() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|c| c.code)
}

fn country(code: &str) -> &'static Country {
    COUNTRIES
        .iter()
        .find(|c| c.code == code)
        .unwrap_or(&COUNTRIES[0])
}

fn pick<'a, R: Rng>(rng: &mut R, items: &'a [&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

/// A different item than `current` (when there is one).
fn pick_other<'a, R: Rng>(rng: &mut R, items: &'a [&'a str], current: &'a str) -> &'a str {
    let others: Vec<&str> = items.iter().copied().filter(|i| *i != current).collect();
    others.choose(rng).copied().unwrap_or(current)
}

fn digits<R: Rng>(rng: &mut R, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// A national significant number of the country's length: a mobile or a
/// landline of the person's city.
fn national_number<R: Rng>(rng: &mut R, country: &Country, city: &City) -> String {
    let mobile = rng.gen_bool(0.5);
    match country.code {
        // 6 or 7 then 8 digits for mobiles, the region's digit then 8 for landlines.
        "FR" => {
            let lead = if mobile {
                pick(rng, &["6", "7"])
            } else {
                city.area_code
            };
            format!("{lead}{}", digits(rng, 8))
        }
        // NANP: area code, exchange NXX (not N11), line number.
        "US" | "CA" => {
            let exchange = loop {
                let e = rng.gen_range(200..1000u32);
                if e % 100 != 11 {
                    break e;
                }
            };
            format!("{}{exchange}{}", city.area_code, digits(rng, 4))
        }
        // 10 digits: mobiles are 7[4-9]..., landlines the area code padded to 10.
        "GB" => {
            if mobile {
                format!("7{}{}", rng.gen_range(4..10u8), digits(rng, 8))
            } else {
                format!(
                    "{}{}",
                    city.area_code,
                    digits(rng, 10 - city.area_code.len())
                )
            }
        }
        // 10 or 11 digits: mobiles 15x/16x/17x + 8, landlines area code + the rest.
        "DE" => {
            if mobile {
                let prefix = pick(rng, &["151", "152", "160", "162", "170", "172", "176"]);
                format!("{prefix}{}", digits(rng, 8))
            } else {
                let total = rng.gen_range(10..=11);
                format!(
                    "{}{}",
                    city.area_code,
                    digits(rng, total - city.area_code.len())
                )
            }
        }
        _ => digits(rng, 9),
    }
}

fn phone<R: Rng>(rng: &mut R, country: &Country, city: &City) -> Phone {
    let national_number = national_number(rng, country, city);
    Phone {
        country_code: country.calling_code,
        e164: format!("+{}{national_number}", country.calling_code),
        national_number,
    }
}

/// The one-line address in the country's own order:
/// US/CA `street, city, ST 12345`; GB `street, city, POSTCODE`;
/// FR/DE (and the rest) `street, 75002 Paris`.
pub fn format_address(
    country: &str,
    street: &str,
    locality: &str,
    region: &str,
    postal: &str,
) -> String {
    match country {
        "US" | "CA" => format!("{street}, {locality}, {region} {postal}"),
        "GB" => format!("{street}, {locality}, {postal}"),
        _ => format!("{street}, {postal} {locality}"),
    }
}

fn street<R: Rng>(rng: &mut R, country: &Country) -> String {
    let name = pick(rng, country.streets);
    match country.code {
        "DE" => format!("{name} {}", rng.gen_range(1..120)),
        "FR" => format!("{} {name}", rng.gen_range(1..90)),
        "GB" => format!("{} {name}", rng.gen_range(1..250)),
        _ => format!("{} {name}", rng.gen_range(10..9900)),
    }
}

fn address<R: Rng>(rng: &mut R, country: &Country, city: &City) -> Address {
    let street_address = street(rng, country);
    let postal_code = pick(rng, city.postal_codes).to_string();
    Address {
        formatted: format_address(
            country.code,
            &street_address,
            city.name,
            city.region,
            &postal_code,
        ),
        street_address,
        locality: city.name.to_string(),
        region: city.region.to_string(),
        postal_code,
        country: country.code.to_string(),
    }
}

/// A name as it can appear in an email address: ASCII, lower case.
fn email_part(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'á' => out.push('a'),
            'ä' => out.push_str("ae"),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ó' => out.push('o'),
            'ö' => out.push_str("oe"),
            'ù' | 'û' | 'ú' => out.push('u'),
            'ü' => out.push_str("ue"),
            'ç' => out.push('c'),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

fn birthdate<R: Rng>(rng: &mut R) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(1962, 1, 1).expect("a valid date");
    let day = rng.gen_range(0..365 * 40);
    (first + chrono::Duration::days(day))
        .format("%Y-%m-%d")
        .to_string()
}

/// A new person of a random country, with an email on `domain`.
pub fn person(rng: &mut impl Rng, domain: &str) -> Person {
    let country = COUNTRIES.choose(rng).expect("countries are listed");
    let city = country.cities.choose(rng).expect("cities are listed");
    let given_name = pick(rng, country.given).to_string();
    let family_name = pick(rng, country.family).to_string();
    let (department, titles) = DEPARTMENTS.choose(rng).expect("departments are listed");
    Person {
        email: format!(
            "{}.{}@{domain}",
            email_part(&given_name),
            email_part(&family_name)
        ),
        given_name,
        family_name,
        title: pick(rng, titles).to_string(),
        department: department.to_string(),
        employee_number: format!("{}", rng.gen_range(10_000..100_000u32)),
        phone: phone(rng, country, city),
        address: address(rng, country, city),
        locale: country.locale.to_string(),
        zoneinfo: city.zoneinfo.to_string(),
        birthdate: birthdate(rng),
    }
}

/// One kind of change and how many attributes (diff leaves, as the Cryptr
/// user shape lays them out) it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A new number in the same country: the number and its E.164 form.
    Phone,
    /// A promotion (or a new title) in the same department.
    Title,
    /// A move to another department, with a title there.
    Department,
    /// A new family name (marriage); the email, the login, stays.
    Surname,
    /// A move within the same city: street, postal code, formatted line.
    Address,
}

impl Kind {
    fn cost(self) -> usize {
        match self {
            Kind::Title | Kind::Surname => 1,
            Kind::Phone | Kind::Department => 2,
            Kind::Address => 3,
        }
    }
}

/// Most leaves one derived update touches.
pub const MAX_CHANGED_LEAVES: usize = 4;

/// One to three realistic changes of the same person (a phone number, a
/// title, a department, a surname, an address within the same city): always
/// at least one attribute differs, and no more than [`MAX_CHANGED_LEAVES`]
/// attributes change in all. Name, email, employee number, birthdate, country,
/// locale and time zone stay: it is the same person.
pub fn change(rng: &mut impl Rng, before: &Person) -> Person {
    let mut kinds = [
        Kind::Phone,
        Kind::Title,
        Kind::Department,
        Kind::Surname,
        Kind::Address,
    ];
    kinds.shuffle(rng);
    let wanted = rng.gen_range(1..=3);
    let mut chosen: Vec<Kind> = Vec::new();
    let mut budget = MAX_CHANGED_LEAVES;
    for kind in kinds {
        if chosen.len() == wanted {
            break;
        }
        let clashes = matches!(
            (kind, chosen.as_slice()),
            (Kind::Title, c) | (Kind::Department, c)
                if c.contains(&Kind::Title) || c.contains(&Kind::Department)
        );
        if kind.cost() <= budget && !clashes {
            budget -= kind.cost();
            chosen.push(kind);
        }
    }
    let country = country(&before.address.country);
    let city = country
        .cities
        .iter()
        .find(|c| c.name == before.address.locality)
        .unwrap_or(&country.cities[0]);
    let mut after = before.clone();
    for kind in chosen {
        match kind {
            Kind::Phone => loop {
                let new = phone(rng, country, city);
                if new != before.phone {
                    after.phone = new;
                    break;
                }
            },
            Kind::Title => {
                let titles = DEPARTMENTS
                    .iter()
                    .find(|(d, _)| *d == before.department)
                    .map(|(_, t)| *t)
                    .unwrap_or(DEPARTMENTS[0].1);
                // A promotion when there is a next step, else another title.
                after.title = match titles.iter().position(|t| *t == before.title) {
                    Some(i) if i + 1 < titles.len() => titles[i + 1].to_string(),
                    _ => pick_other(rng, titles, &before.title).to_string(),
                };
            }
            Kind::Department => {
                let others: Vec<&(&str, &[&str])> = DEPARTMENTS
                    .iter()
                    .filter(|(d, _)| *d != before.department)
                    .collect();
                let (department, titles) = others.choose(rng).expect("several departments");
                after.department = department.to_string();
                after.title = pick_other(rng, titles, &before.title).to_string();
            }
            Kind::Surname => {
                after.family_name = pick_other(rng, country.family, &before.family_name).to_string()
            }
            Kind::Address => loop {
                let new = address(rng, country, city);
                if new.street_address != before.address.street_address {
                    after.address = new;
                    break;
                }
            },
        }
    }
    after
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn national_lengths(country: &str) -> &'static [usize] {
        match country {
            "FR" => &[9],
            "US" | "CA" | "GB" => &[10],
            "DE" => &[10, 11],
            other => panic!("no length rule for {other}"),
        }
    }

    #[test]
    fn people_are_consistent_with_their_country() {
        for seed in 0..500 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let p = person(&mut rng, "example.com");
            let c = &p.address.country;
            let n = &p.phone.national_number;
            assert!(
                national_lengths(c).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()),
                "{c} phone {n}"
            );
            assert_eq!(p.phone.e164, format!("+{}{n}", p.phone.country_code));
            let (cc, locale) = match c.as_str() {
                "FR" => (33, "fr-FR"),
                "US" => (1, "en-US"),
                "CA" => (1, "en-CA"),
                "GB" => (44, "en-GB"),
                "DE" => (49, "de-DE"),
                other => panic!("unexpected country {other}"),
            };
            assert_eq!((p.phone.country_code, p.locale.as_str()), (cc, locale));
            let zone_ok = match c.as_str() {
                "FR" => p.zoneinfo == "Europe/Paris",
                "GB" => p.zoneinfo == "Europe/London",
                "DE" => p.zoneinfo == "Europe/Berlin",
                _ => p.zoneinfo.starts_with("America/"),
            };
            assert!(zone_ok, "{c} in {}", p.zoneinfo);
            let a = &p.address;
            let expected = match c.as_str() {
                "US" | "CA" => format!(
                    "{}, {}, {} {}",
                    a.street_address, a.locality, a.region, a.postal_code
                ),
                "GB" => format!("{}, {}, {}", a.street_address, a.locality, a.postal_code),
                _ => format!("{}, {} {}", a.street_address, a.postal_code, a.locality),
            };
            assert_eq!(a.formatted, expected);
            assert!(p.email.ends_with("@example.com") && p.email.is_ascii());
            assert!(chrono::NaiveDate::parse_from_str(&p.birthdate, "%Y-%m-%d").is_ok());
        }
    }

    #[test]
    fn us_addresses_read_street_city_state_zip() {
        assert_eq!(
            format_address("US", "12 Main Street", "Austin", "TX", "78701"),
            "12 Main Street, Austin, TX 78701"
        );
        assert_eq!(
            format_address("GB", "4 High Street", "London", "England", "N1 9GU"),
            "4 High Street, London, N1 9GU"
        );
        assert_eq!(
            format_address("FR", "3 rue Pasteur", "Paris", "Île-de-France", "75002"),
            "3 rue Pasteur, 75002 Paris"
        );
    }

    #[test]
    fn a_change_is_the_same_person_with_one_to_three_real_changes() {
        for seed in 0..2000 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let before = person(&mut rng, "example.com");
            let after = change(&mut rng, &before);
            assert_ne!(before, after, "seed {seed}");
            // Same person.
            assert_eq!(
                (
                    &before.given_name,
                    &before.email,
                    &before.employee_number,
                    &before.birthdate,
                    &before.locale,
                    &before.zoneinfo,
                    &before.address.country,
                    &before.address.locality,
                    before.phone.country_code
                ),
                (
                    &after.given_name,
                    &after.email,
                    &after.employee_number,
                    &after.birthdate,
                    &after.locale,
                    &after.zoneinfo,
                    &after.address.country,
                    &after.address.locality,
                    after.phone.country_code
                ),
                "seed {seed}"
            );
            let changed = [
                before.phone != after.phone,
                before.title != after.title || before.department != after.department,
                before.family_name != after.family_name,
                before.address != after.address,
            ]
            .iter()
            .filter(|c| **c)
            .count();
            assert!((1..=3).contains(&changed), "seed {seed}: {changed} changes");
            assert_eq!(
                after.address.formatted,
                format_address(
                    &after.address.country,
                    &after.address.street_address,
                    &after.address.locality,
                    &after.address.region,
                    &after.address.postal_code
                )
            );
        }
    }
}
