// The Express quickstart receiver for Cryptr Directory Sync webhooks, extended
// the way an app really needs it: it verifies the signature, keeps its own copy
// of the users and groups, and prints that copy as JSON on GET /app-state, so
//
//   dsync simulate lifecycle --url http://127.0.0.1:3000/directory-sync --secret "$DSYNC_SECRET" \
//     --check-cmd 'curl -s http://127.0.0.1:3000/app-state'
//
// checks that the app ends with exactly the directory the IdP holds.
//
// Run: npm install && DSYNC_SECRET=... PORT=3000 node server.js
// IGNORE_REMOVALS=1 makes it skip dir_sync.group.users_removed.success (a bug to catch).

const crypto = require("crypto");
const express = require("express");

const SECRET = process.env.DSYNC_SECRET || "";
const PORT = Number(process.env.PORT || 3000);
const TOLERANCE_S = 300;

// The app's own state: users and groups by the id the webhooks carry.
const users = new Map(); // id -> the user's attributes (email, active, profile, ...)
const groups = new Map(); // id -> { name, external_id, members: Set of user ids }
const seen = new Set(); // idempotency keys of applied events

// cryptr-signature: t=<unix s>,v1=sha256.<hex HMAC-SHA256(secret, "<t>." + raw body)>
function verified(req) {
  const header = req.get("cryptr-signature") || "";
  const parts = Object.fromEntries(
    header.split(",").map((p) => p.trim().split("=", 2)).filter((p) => p.length === 2)
  );
  const t = Number(parts.t);
  if (!SECRET || !parts.v1 || !Number.isFinite(t)) return false;
  if (Math.abs(Date.now() / 1000 - t) > TOLERANCE_S) return false;
  const expected = crypto.createHmac("sha256", SECRET).update(`${parts.t}.`).update(req.body).digest();
  const given = Buffer.from(parts.v1.replace(/^sha256\./, ""), "hex");
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

// Deep-merge `changes` into `target`; keys only in `previous` are removed.
function merge(target, changes, previous) {
  for (const [key, value] of Object.entries(changes || {})) {
    const isObject = value && typeof value === "object" && !Array.isArray(value);
    if (isObject && target[key] && typeof target[key] === "object" && !Array.isArray(target[key])) {
      merge(target[key], value, (previous || {})[key]);
    } else {
      target[key] = value;
    }
  }
  for (const key of Object.keys(previous || {})) {
    if (!(key in (changes || {}))) delete target[key];
  }
}

function apply(event) {
  const resource = (event.data && event.data.resource) || {};
  const id = resource.id;
  const changes = resource.changes || {};
  // No event id travels: derive an idempotency key (duplicates and retries arrive twice).
  const key = [event.webhook_id, event.code, event.issued_at, id].join("|");
  if (seen.has(key)) return;
  seen.add(key);
  switch (event.code) {
    case "dir_sync.user.provision.success":
    case "dir_sync.user.activate.success":
      users.set(id, { ...changes.new_values });
      break;
    case "dir_sync.user.update.success":
      if (users.has(id)) merge(users.get(id), changes.new_values, changes.previous_values);
      break;
    case "dir_sync.user.deprovision.success":
      users.delete(id);
      break;
    case "dir_sync.group.provision.success":
      groups.set(id, { ...changes.new_values, members: new Set() });
      break;
    case "dir_sync.group.update.success":
      if (groups.has(id)) merge(groups.get(id), changes.new_values, changes.previous_values);
      break;
    case "dir_sync.group.deprovision.success":
      groups.delete(id);
      break;
    case "dir_sync.group.users_added.success":
      for (const u of changes.added_users || []) groups.get(id)?.members.add(u.id);
      break;
    case "dir_sync.group.users_removed.success":
      if (process.env.IGNORE_REMOVALS) break;
      for (const u of changes.removed_users || []) groups.get(id)?.members.delete(u.id);
      break;
    default:
      break; // activation, deactivation, unknown codes: nothing to keep
  }
}

// The app's view in the dsync.app-state.v1 format: memberships of users the
// app no longer holds are not listed. `updated_at` is left out: an app keeps
// its own timestamps (only what the app prints is compared).
function appState() {
  const out = { format: "dsync.app-state.v1", users: {}, groups: {} };
  for (const [id, { updated_at, ...user }] of users) out.users[id] = { ...user, groups: [] };
  for (const [id, group] of groups) {
    const { updated_at, ...kept } = group;
    const members = [...group.members].filter((m) => users.has(m)).sort();
    out.groups[id] = { ...kept, members };
    for (const m of members) out.users[m].groups.push(id);
  }
  for (const user of Object.values(out.users)) user.groups.sort();
  return out;
}

const app = express();
app.post("/directory-sync", express.raw({ type: "*/*", limit: "5mb" }), (req, res) => {
  if (!verified(req)) return res.status(401).json({ error: "invalid signature" });
  const event = JSON.parse(req.body.toString("utf8"));
  apply(event);
  console.log(event.code, event.data && event.data.resource ? event.data.resource.id : "");
  res.json({ received: true });
});
app.get("/app-state", (req, res) => res.json(appState()));

const server = app.listen(PORT, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/directory-sync`);
});
