//! Scenarios: what the IT admin does on the IdP side, as a list of steps.
//! The built-ins are listed by `dsync simulate --list`; a TOML file gives a
//! custom sequence (see `examples/scenario.toml`).

use serde::Deserialize;

use crate::error::{Error, Result};

/// One thing the admin does. Counts pick people at random (seeded) among
/// those the step applies to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Step {
    /// Create `groups` groups and `users` users, and put every user in their
    /// department's group (and sometimes one more).
    Onboard {
        users: u32,
        #[serde(default)]
        groups: u32,
    },
    /// New hires: create `count` users and add them to groups.
    Join {
        count: u32,
        /// Group names to add them to (default: their department's group).
        #[serde(default)]
        groups: Vec<String>,
    },
    /// Realistic changes of existing people (a phone number, a title, a surname, an address).
    Update { count: u32 },
    /// Movers: title, department and manager change, and a move from one group to another.
    Move { count: u32 },
    /// Leavers: deactivate `count` users; with `delete`, later delete them.
    Leave {
        count: u32,
        #[serde(default)]
        delete: bool,
    },
    /// Re-activate `count` deactivated (not deleted) users.
    Rehire { count: u32 },
    /// Rename `count` groups, or the group named `group` to `to`.
    RenameGroup {
        #[serde(default)]
        count: Option<u32>,
        #[serde(default)]
        group: Option<String>,
        #[serde(default)]
        to: Option<String>,
    },
    /// Add `count` random users to the group `group` (default: a random group).
    AddMembers {
        count: u32,
        #[serde(default)]
        group: Option<String>,
    },
    /// Remove `count` random members from the group `group` (default: a random group).
    RemoveMembers {
        count: u32,
        #[serde(default)]
        group: Option<String>,
    },
    /// Bulk offboarding: every member of one group (default: the largest)
    /// is deactivated and deleted, then the group itself.
    Offboard {
        #[serde(default)]
        group: Option<String>,
    },
    /// Delete one group (default: a random one).
    DeleteGroup {
        #[serde(default)]
        group: Option<String>,
    },
    /// `steps` random steps of a weighted mix (joiners, updates, movers,
    /// membership changes, leavers, rehires, renames).
    Churn { steps: u32 },
}

/// A scenario: a name and its steps.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

/// Sizes given on the command line for the built-ins.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub users: u32,
    pub groups: u32,
    pub steps: u32,
}

/// The built-in scenarios: name and what it does.
pub const BUILT_INS: &[(&str, &str)] = &[
    (
        "onboarding",
        "N users and G groups created, every user added to their department's group",
    ),
    (
        "joiner",
        "onboarding, then S new hires created and added to groups",
    ),
    (
        "mover",
        "onboarding, then S people change title, department and manager and move group",
    ),
    (
        "leaver",
        "onboarding, then S people deactivated, later deleted (where the IdP deletes)",
    ),
    ("rename-group", "onboarding, then S group renames"),
    (
        "offboarding",
        "onboarding, then every member of the largest group deactivated and deleted, then the group",
    ),
    (
        "churn",
        "onboarding, then S steps of a weighted random mix of joiners, updates, movers, leavers",
    ),
    (
        "lifecycle",
        "all of them in a realistic order: onboarding, joiners, updates, movers, renames, leavers, rehires, offboarding, churn",
    ),
];

/// A built-in scenario by name.
pub fn built_in(name: &str, sizes: Sizes) -> Option<Scenario> {
    let Sizes {
        users,
        groups,
        steps,
    } = sizes;
    let onboard = Step::Onboard { users, groups };
    let few = steps.max(1);
    let mut list = vec![onboard];
    match name {
        "onboarding" => {}
        "joiner" => list.push(Step::Join {
            count: few,
            groups: vec![],
        }),
        "mover" => list.push(Step::Move { count: few }),
        "leaver" => list.push(Step::Leave {
            count: few,
            delete: true,
        }),
        "rename-group" => list.push(Step::RenameGroup {
            count: Some(few),
            group: None,
            to: None,
        }),
        "offboarding" => list.push(Step::Offboard { group: None }),
        "churn" => list.push(Step::Churn { steps: few }),
        "lifecycle" => list.extend([
            Step::Join {
                count: few.div_ceil(2),
                groups: vec![],
            },
            Step::Update { count: few },
            Step::Move {
                count: few.div_ceil(2),
            },
            Step::RenameGroup {
                count: Some(1),
                group: None,
                to: None,
            },
            Step::AddMembers {
                count: few.div_ceil(2),
                group: None,
            },
            Step::RemoveMembers {
                count: few.div_ceil(3),
                group: None,
            },
            Step::Leave {
                count: few.div_ceil(3),
                delete: false,
            },
            Step::Rehire { count: 1 },
            Step::Leave {
                count: few.div_ceil(3),
                delete: true,
            },
            Step::Offboard { group: None },
            Step::Churn { steps: few },
        ]),
        _ => return None,
    }
    let description = BUILT_INS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| d.to_string())
        .unwrap_or_default();
    Some(Scenario {
        name: name.to_string(),
        description,
        steps: list,
    })
}

/// Parse a scenario file (TOML).
pub fn parse_file(text: &str, label: &str) -> Result<Scenario> {
    let scenario: Scenario = toml::from_str(text)
        .map_err(|e| Error::usage(format!("scenario file {label} is not valid: {e}")))?;
    if scenario.steps.is_empty() {
        return Err(Error::usage(format!(
            "scenario file {label} has no [[step]]"
        )));
    }
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_scenario_file_parses() {
        let text = include_str!("../../examples/scenario.toml");
        let s = parse_file(text, "examples/scenario.toml").unwrap();
        assert_eq!(s.name, "quarter");
        assert!(matches!(
            s.steps[0],
            Step::Onboard {
                users: 40,
                groups: 5
            }
        ));
        assert!(s.steps.len() >= 8, "{:?}", s.steps);
    }

    #[test]
    fn unknown_keys_and_actions_are_errors() {
        let bad = "name = \"x\"\n[[step]]\naction = \"onboard\"\nusers = 3\nsize = 4\n";
        assert!(parse_file(bad, "bad").is_err());
        let bad = "name = \"x\"\n[[step]]\naction = \"teleport\"\n";
        let err = parse_file(bad, "bad").unwrap_err().to_string();
        assert!(err.contains("teleport"), "{err}");
    }

    #[test]
    fn every_listed_built_in_exists() {
        let sizes = Sizes {
            users: 3,
            groups: 2,
            steps: 2,
        };
        for (name, _) in BUILT_INS {
            assert!(built_in(name, sizes).is_some(), "{name}");
        }
        assert!(built_in("nope", sizes).is_none());
    }
}
