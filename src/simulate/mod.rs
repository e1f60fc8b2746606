//! `dsync simulate`: IdP personas playing lifecycle scenarios over SCIM.
//!
//! - [`persona`]: how each IdP sends SCIM, in one table, with sources;
//! - [`scenario`]: the built-in scenarios and TOML scenario files;
//! - [`world`]: the IdP's own view, changed step by step (seeded);
//! - [`plan`]: actions → the exact SCIM requests of a persona;
//! - [`driver`]: sends them, filling in the ids the server returns;
//! - [`report`]: the summary and the `--json` report.

pub mod driver;
pub mod events;
pub mod inprocess;
pub mod persona;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod world;

use crate::event::people;

/// Plan a scenario for a persona: the requests, in the order the IdP sends them.
pub fn plan(
    scenario: &scenario::Scenario,
    idp: persona::Idp,
    seed: u64,
    domain: &str,
) -> Vec<plan::Request> {
    let mut planner = plan::Planner::new(idp.style());
    let mut world = world::World::new(seed, domain);
    world.play(scenario, &mut |w, action| planner.plan(w, action));
    planner.requests
}
