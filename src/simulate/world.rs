//! The IdP's own view of its directory (people, groups, memberships) and the
//! engine that plays a scenario on it: each step changes the view and yields
//! the admin-level actions, which the planner turns into SCIM requests.
//! Everything is drawn from one seeded generator: same seed, same actions.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::people::{self, Person};
use super::scenario::{Scenario, Step};

/// A user as the IdP holds it.
#[derive(Debug, Clone)]
pub struct User {
    pub index: u32,
    pub person: Person,
    /// The IdP's own id for the user (Okta's `00u...`), sent as `externalId`.
    pub idp_id: String,
    /// The clear-text password Okta sends on create.
    pub password: String,
    pub active: bool,
    pub deleted: bool,
    pub manager: Option<u32>,
}

impl User {
    pub fn key(&self) -> String {
        format!("u{}", self.index)
    }
    pub fn display_name(&self) -> String {
        format!("{} {}", self.person.given_name, self.person.family_name)
    }
}

/// A group as the IdP holds it.
#[derive(Debug, Clone)]
pub struct Group {
    pub index: u32,
    pub name: String,
    pub idp_id: String,
    pub members: BTreeSet<u32>,
    pub deleted: bool,
}

impl Group {
    pub fn key(&self) -> String {
        format!("g{}", self.index)
    }
}

/// One admin-level change, after the view has been changed.
#[derive(Debug, Clone)]
pub enum Action {
    CreateGroup(u32),
    CreateUser(u32),
    /// The user's attributes changed; `before` is how they were.
    UpdateUser {
        user: u32,
        before: Box<User>,
    },
    Deactivate(u32),
    Reactivate(u32),
    DeleteUser(u32),
    AddMembers {
        group: u32,
        users: Vec<u32>,
    },
    RemoveMembers {
        group: u32,
        users: Vec<u32>,
    },
    RenameGroup {
        group: u32,
        before: String,
    },
    DeleteGroup(u32),
}

/// Realistic group names, departments first (people's departments match them).
const GROUP_NAMES: &[&str] = &[
    "Engineering",
    "Sales",
    "Product",
    "Customer Success",
    "Finance",
    "Design",
    "People",
    "Marketing",
    "Legal",
    "Operations",
    "IT",
    "Security",
    "Data",
    "Support",
    "All Staff",
    "Managers",
    "Paris Office",
    "London Office",
    "Berlin Office",
    "New York Office",
    "VPN Users",
    "On-call",
    "Contractors",
    "Interns",
];

/// What a group may be renamed to.
const RENAMES: &[&str] = &[
    "Revenue",
    "Platform",
    "Talent",
    "Growth",
    "Customer Experience",
    "Infrastructure",
    "Go-to-Market",
    "Research",
    "Business Operations",
    "Trust & Safety",
];

/// The view and the generator.
pub struct World {
    pub domain: String,
    pub users: BTreeMap<u32, User>,
    pub groups: BTreeMap<u32, Group>,
    rng: ChaCha8Rng,
    emails: HashSet<String>,
    group_names: HashSet<String>,
    /// The scenario step being played (1-based), for labels.
    pub step: usize,
}

impl World {
    pub fn new(seed: u64, domain: &str) -> World {
        World {
            domain: domain.to_string(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            rng: ChaCha8Rng::seed_from_u64(seed),
            emails: HashSet::new(),
            group_names: HashSet::new(),
            step: 0,
        }
    }

    /// Play every step, handing each action to `sink` with the view as it is
    /// right after the action.
    pub fn play(&mut self, scenario: &Scenario, sink: &mut dyn FnMut(&World, &Action)) {
        for (i, step) in scenario.steps.iter().enumerate() {
            self.step = i + 1;
            self.play_step(step, sink);
        }
    }

    fn play_step(&mut self, step: &Step, sink: &mut dyn FnMut(&World, &Action)) {
        match step {
            Step::Onboard { users, groups } => {
                for _ in 0..*groups {
                    let name = self.fresh_group_name();
                    self.create_group(name, sink);
                }
                let mut new = Vec::new();
                for _ in 0..*users {
                    new.push(self.create_user(sink));
                }
                self.fill_groups(&new, &[], sink);
            }
            Step::Join { count, groups } => {
                let mut new = Vec::new();
                for _ in 0..*count {
                    new.push(self.create_user(sink));
                }
                self.fill_groups(&new, groups, sink);
            }
            Step::Update { count } => {
                for user in self.pick_users(*count, |u| u.active) {
                    self.update_user(user, sink);
                }
            }
            Step::Move { count } => {
                for user in self.pick_users(*count, |u| u.active) {
                    self.move_user(user, sink);
                }
            }
            Step::Leave { count, delete } => {
                let leavers = self.pick_users(*count, |u| u.active);
                for &user in &leavers {
                    self.deactivate(user, sink);
                }
                if *delete {
                    for &user in &leavers {
                        self.delete_user(user, sink);
                    }
                }
            }
            Step::Rehire { count } => {
                for user in self.pick_users(*count, |u| !u.active && !u.deleted) {
                    self.users.get_mut(&user).expect("picked").active = true;
                    sink(self, &Action::Reactivate(user));
                }
            }
            Step::RenameGroup { count, group, to } => {
                if let Some(name) = group {
                    if let Some(g) = self.group_named(name) {
                        let to = to.clone().unwrap_or_else(|| self.fresh_rename());
                        self.rename_group(g, to, sink);
                    }
                } else {
                    for g in self.pick_groups(count.unwrap_or(1)) {
                        let to = self.fresh_rename();
                        self.rename_group(g, to, sink);
                    }
                }
            }
            Step::AddMembers { count, group } => {
                if let Some(g) = self.group_or_random(group.as_deref()) {
                    let members = self.groups[&g].members.clone();
                    let users =
                        self.pick_users(*count, |u| u.active && !members.contains(&u.index));
                    self.add_members(g, users, sink);
                }
            }
            Step::RemoveMembers { count, group } => {
                if let Some(g) = self.group_or_random(group.as_deref()) {
                    let mut members: Vec<u32> = self.groups[&g].members.iter().copied().collect();
                    members.shuffle(&mut self.rng);
                    members.truncate(*count as usize);
                    members.sort_unstable();
                    self.remove_members(g, members, sink);
                }
            }
            Step::Offboard { group } => {
                let g = match group {
                    Some(name) => self.group_named(name),
                    None => self
                        .live_groups()
                        .into_iter()
                        .max_by_key(|g| (self.groups[g].members.len(), std::cmp::Reverse(*g))),
                };
                if let Some(g) = g {
                    let leavers: Vec<u32> = self.groups[&g]
                        .members
                        .iter()
                        .copied()
                        .filter(|u| self.users[u].active)
                        .collect();
                    for &user in &leavers {
                        self.deactivate(user, sink);
                    }
                    for &user in &leavers {
                        self.delete_user(user, sink);
                    }
                    self.groups.get_mut(&g).expect("live").deleted = true;
                    sink(self, &Action::DeleteGroup(g));
                }
            }
            Step::DeleteGroup { group } => {
                if let Some(g) = self.group_or_random(group.as_deref()) {
                    self.groups.get_mut(&g).expect("live").deleted = true;
                    sink(self, &Action::DeleteGroup(g));
                }
            }
            Step::Churn { steps } => {
                for _ in 0..*steps {
                    let step = self.churn_step();
                    self.play_step(&step, sink);
                }
            }
        }
    }

    /// One step of the weighted mix.
    fn churn_step(&mut self) -> Step {
        let roll = self.rng.gen_range(0..100);
        match roll {
            0..=19 => Step::Join {
                count: 1,
                groups: vec![],
            },
            20..=49 => Step::Update { count: 1 },
            50..=61 => Step::Move { count: 1 },
            62..=71 => Step::AddMembers {
                count: self.rng.gen_range(1..4),
                group: None,
            },
            72..=79 => Step::RemoveMembers {
                count: 1,
                group: None,
            },
            80..=89 => Step::Leave {
                count: 1,
                delete: self.rng.gen_bool(0.5),
            },
            90..=94 => Step::Rehire { count: 1 },
            _ => Step::RenameGroup {
                count: Some(1),
                group: None,
                to: None,
            },
        }
    }

    fn create_group(&mut self, name: String, sink: &mut dyn FnMut(&World, &Action)) -> u32 {
        let index = self.groups.len() as u32 + 1;
        let idp_id = format!("00g{}", self.base62(17));
        self.group_names.insert(name.to_lowercase());
        self.groups.insert(
            index,
            Group {
                index,
                name,
                idp_id,
                members: BTreeSet::new(),
                deleted: false,
            },
        );
        sink(self, &Action::CreateGroup(index));
        index
    }

    fn create_user(&mut self, sink: &mut dyn FnMut(&World, &Action)) -> u32 {
        let index = self.users.len() as u32 + 1;
        let mut person = people::person(&mut self.rng, &self.domain);
        person.email = self.unique_email(&person.email, None);
        self.emails.insert(person.email.to_lowercase());
        let idp_id = format!("00u{}", self.base62(17));
        let password = self.base62(16);
        let manager = self.pick_manager(index, &person.department);
        self.users.insert(
            index,
            User {
                index,
                person,
                idp_id,
                password,
                active: true,
                deleted: false,
                manager,
            },
        );
        sink(self, &Action::CreateUser(index));
        index
    }

    fn update_user(&mut self, user: u32, sink: &mut dyn FnMut(&World, &Action)) {
        let before = self.users[&user].clone();
        let mut after = people::change(&mut self.rng, &before.person);
        // A surname change may bring a new address; keep userName unique.
        after.email = self.unique_email(&after.email, Some(&before.person.email));
        self.rekey_email(&before.person.email, &after.email);
        self.users.get_mut(&user).expect("picked").person = after;
        sink(
            self,
            &Action::UpdateUser {
                user,
                before: Box::new(before),
            },
        );
    }

    fn move_user(&mut self, user: u32, sink: &mut dyn FnMut(&World, &Action)) {
        let before = self.users[&user].clone();
        // A new role: the title and department of a freshly drawn person.
        let role = people::person(&mut self.rng, &self.domain);
        let manager = self.pick_manager(user, &role.department);
        {
            let u = self.users.get_mut(&user).expect("picked");
            u.person.title = role.title;
            u.person.department = role.department;
            u.manager = manager.or(u.manager);
        }
        sink(
            self,
            &Action::UpdateUser {
                user,
                before: Box::new(before),
            },
        );
        // The group move: out of one of their groups, into one they are not in.
        let mine: Vec<u32> = self
            .live_groups()
            .into_iter()
            .filter(|g| self.groups[g].members.contains(&user))
            .collect();
        let others: Vec<u32> = self
            .live_groups()
            .into_iter()
            .filter(|g| !self.groups[g].members.contains(&user))
            .collect();
        if let Some(&from) = mine.choose(&mut self.rng) {
            self.remove_members(from, vec![user], sink);
        }
        if let Some(&to) = others.choose(&mut self.rng) {
            self.add_members(to, vec![user], sink);
        }
    }

    fn deactivate(&mut self, user: u32, sink: &mut dyn FnMut(&World, &Action)) {
        self.users.get_mut(&user).expect("picked").active = false;
        sink(self, &Action::Deactivate(user));
    }

    fn delete_user(&mut self, user: u32, sink: &mut dyn FnMut(&World, &Action)) {
        let u = self.users.get_mut(&user).expect("picked");
        u.deleted = true;
        u.active = false;
        // A deleted user is no longer anyone's member on the IdP side.
        for g in self.groups.values_mut() {
            g.members.remove(&user);
        }
        sink(self, &Action::DeleteUser(user));
    }

    fn rename_group(&mut self, group: u32, to: String, sink: &mut dyn FnMut(&World, &Action)) {
        let g = self.groups.get_mut(&group).expect("live");
        if g.name == to {
            return;
        }
        let before = std::mem::replace(&mut g.name, to.clone());
        self.group_names.insert(to.to_lowercase());
        sink(self, &Action::RenameGroup { group, before });
    }

    fn add_members(&mut self, group: u32, users: Vec<u32>, sink: &mut dyn FnMut(&World, &Action)) {
        let g = self.groups.get_mut(&group).expect("live");
        let users: Vec<u32> = users.into_iter().filter(|u| g.members.insert(*u)).collect();
        if !users.is_empty() {
            sink(self, &Action::AddMembers { group, users });
        }
    }

    fn remove_members(
        &mut self,
        group: u32,
        users: Vec<u32>,
        sink: &mut dyn FnMut(&World, &Action),
    ) {
        let g = self.groups.get_mut(&group).expect("live");
        let users: Vec<u32> = users.into_iter().filter(|u| g.members.remove(u)).collect();
        if !users.is_empty() {
            sink(self, &Action::RemoveMembers { group, users });
        }
    }

    /// Put new users in groups: the named ones, else their department's
    /// group (a random one when there is none), and now and then one more.
    fn fill_groups(
        &mut self,
        users: &[u32],
        named: &[String],
        sink: &mut dyn FnMut(&World, &Action),
    ) {
        let live = self.live_groups();
        if live.is_empty() {
            return;
        }
        let mut adds: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        let named: Vec<u32> = named.iter().filter_map(|n| self.group_named(n)).collect();
        for &user in users {
            let mut targets = named.clone();
            if targets.is_empty() {
                let dept = self.users[&user].person.department.clone();
                let home = self
                    .group_named(&dept)
                    .unwrap_or_else(|| *live.choose(&mut self.rng).expect("not empty"));
                targets.push(home);
                if live.len() > 1 && self.rng.gen_bool(0.3) {
                    targets.push(*live.choose(&mut self.rng).expect("not empty"));
                }
            }
            for g in targets {
                adds.entry(g).or_default().push(user);
            }
        }
        for (g, mut users) in adds {
            users.sort_unstable();
            users.dedup();
            self.add_members(g, users, sink);
        }
    }

    pub fn live_groups(&self) -> Vec<u32> {
        self.groups
            .values()
            .filter(|g| !g.deleted)
            .map(|g| g.index)
            .collect()
    }

    fn group_named(&self, name: &str) -> Option<u32> {
        self.groups
            .values()
            .find(|g| !g.deleted && g.name.eq_ignore_ascii_case(name))
            .map(|g| g.index)
    }

    fn group_or_random(&mut self, name: Option<&str>) -> Option<u32> {
        match name {
            Some(n) => self.group_named(n),
            None => self.live_groups().choose(&mut self.rng).copied(),
        }
    }

    /// Up to `count` distinct users matching `keep`, in index order.
    fn pick_users(&mut self, count: u32, keep: impl Fn(&User) -> bool) -> Vec<u32> {
        let candidates: Vec<u32> = self
            .users
            .values()
            .filter(|u| !u.deleted && keep(u))
            .map(|u| u.index)
            .collect();
        let mut picked: Vec<u32> = candidates
            .choose_multiple(&mut self.rng, count as usize)
            .copied()
            .collect();
        picked.sort_unstable();
        picked
    }

    fn pick_groups(&mut self, count: u32) -> Vec<u32> {
        let mut picked: Vec<u32> = self
            .live_groups()
            .choose_multiple(&mut self.rng, count as usize)
            .copied()
            .collect();
        picked.sort_unstable();
        picked
    }

    /// A manager: an active user of the same department (else anyone active), not the user.
    fn pick_manager(&mut self, user: u32, department: &str) -> Option<u32> {
        let same: Vec<u32> = self
            .users
            .values()
            .filter(|u| u.active && u.index != user && u.person.department == department)
            .map(|u| u.index)
            .collect();
        if let Some(&m) = same.choose(&mut self.rng) {
            return Some(m);
        }
        let any: Vec<u32> = self
            .users
            .values()
            .filter(|u| u.active && u.index != user)
            .map(|u| u.index)
            .collect();
        any.choose(&mut self.rng).copied()
    }

    fn fresh_group_name(&mut self) -> String {
        let n = self.groups.len();
        let base = GROUP_NAMES[n % GROUP_NAMES.len()];
        let name = if n < GROUP_NAMES.len() {
            base.to_string()
        } else {
            format!("{base} {}", n / GROUP_NAMES.len() + 1)
        };
        self.unique_group_name(name)
    }

    fn fresh_rename(&mut self) -> String {
        let base = RENAMES
            .choose(&mut self.rng)
            .expect("not empty")
            .to_string();
        self.unique_group_name(base)
    }

    fn unique_group_name(&self, base: String) -> String {
        if !self.group_names.contains(&base.to_lowercase()) {
            return base;
        }
        (2..)
            .map(|k| format!("{base} {k}"))
            .find(|n| !self.group_names.contains(&n.to_lowercase()))
            .expect("some suffix is free")
    }

    /// `email` if no other user has it, else `local2@domain`, `local3@...`.
    fn unique_email(&self, email: &str, own: Option<&str>) -> String {
        let free = |e: &str| {
            !self.emails.contains(&e.to_lowercase())
                || own.is_some_and(|o| o.eq_ignore_ascii_case(e))
        };
        if free(email) {
            return email.to_string();
        }
        let (local, domain) = email.split_once('@').unwrap_or((email, &self.domain));
        (2..)
            .map(|k| format!("{local}{k}@{domain}"))
            .find(|e| free(e))
            .expect("some suffix is free")
    }

    fn rekey_email(&mut self, before: &str, after: &str) {
        if !before.eq_ignore_ascii_case(after) {
            self.emails.remove(&before.to_lowercase());
            self.emails.insert(after.to_lowercase());
        }
    }

    fn base62(&mut self, len: usize) -> String {
        const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..len)
            .map(|_| B62[self.rng.gen_range(0..62)] as char)
            .collect()
    }
}
