
use builtin;
use str;

set edit:completion:arg-completer[dsync] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dsync'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dsync'= {
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand listen 'Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI'
            cand send-test 'Send realistic, signed test events to a URL'
            cand replay 'Re-deliver captured events to a URL'
            cand diff 'Show what changed: in one event, or between two JSON documents'
            cand sign 'Sign a body: print the headers (or a curl command) to send with it'
            cand verify 'Verify a request''s signature, and explain why it fails'
            cand directory 'A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out'
            cand events 'List, show, export, import and prune the local event store'
            cand ui 'Serve the inspector: a live web page over the event store (loopback only)'
            cand init 'Set up dsync.toml interactively (or with flags)'
            cand config 'Print the effective configuration and where each value comes from'
            cand check 'Test a webhook receiver: forged, stale, tampered, duplicate, large and concurrent deliveries'
            cand simulate 'Play an IdP (Okta, Entra ID, Google) against a SCIM directory, deliver to your app, check its state'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dsync;listen'= {
            cand --host 'Address to bind [env: DSYNC_HOST] [default: 127.0.0.1]'
            cand -p 'Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]'
            cand --port 'Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]'
            cand --path 'Only accept this path (others get 404); without it every path is accepted [env: DSYNC_PATH]'
            cand --store 'Event store folder [env: DSYNC_STORE] [default: .dsync]'
            cand --ui-token 'Serve the inspector on a non-loopback --host too; the page and its API then need this token (16+ characters) [env: DSYNC_UI_TOKEN]'
            cand --max-body 'Largest body kept, in bytes; larger ones get 413 and are recorded without their body'
            cand --respond 'Answer with this status instead of 200 (to exercise the sender''s retries)'
            cand --respond-after 'Wait this long before answering (simulates a slow receiver)'
            cand --forward-to 'Forward each request (exact bytes and headers) to this URL and answer with the app''s answer [env: DSYNC_FORWARD_TO]'
            cand --events 'Only show events whose code matches this glob (everything is still saved)'
            cand --expect 'Wait for events whose code matches CODE_OR_GLOB, N times (default 1); repeatable'
            cand --count 'Exit 0 after N requests'
            cand --timeout 'Exit 124 if expectations are not met within this time'
            cand --idle-timeout 'Exit 124 if no request arrives for this long'
            cand --workers 'Most threads running the handler (verify, save, forward); started as needed. Slow clients never hold one: requests reach them complete. Default: 32 with --forward-to or --respond-after (a handler waits on them), else one per CPU (a handler never waits: more threads only take turns)'
            cand --max-connections 'Most connections open at once; past it, idle or slow connections are closed to make room, else new ones get 503'
            cand --header-timeout 'Time a client has to send a request''s head (408 and close past it)'
            cand --body-timeout 'Time a client has to send a request''s body once its head is in (408 and close past it)'
            cand --write-timeout 'Close a connection whose client takes no byte of an answer for this long (it stopped reading)'
            cand --keep-alive-timeout 'Close a keep-alive connection after this long without a request'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --any-path 'Accept every path even when --path is set'
            cand --no-save 'Do not save captures'
            cand --ui 'Serve the inspector (a live web page over the store) on the same port, under /_dsync/: that path is then reserved, requests to it are not captured. Loopback only, unless --ui-token'
            cand --fsync 'Sync each capture to disk before answering (survives power loss; slower)'
            cand --reject-invalid 'Answer 401 with a JSON reason when the signature is invalid (default: 200, flagged)'
            cand --fail-on-invalid 'Exit 1 as soon as a request with an invalid signature arrives (for CI)'
            cand --compact 'One line per event, without the before/after diff'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;send-test'= {
            cand --url 'Where to POST the events [env: DSYNC_URL]'
            cand --event 'Event code to send (repeatable; see --list). A code not on the list is sent as a bare event, with a warning'
            cand --seed 'Seed for the generator (same seed + --now => same bytes)'
            cand --now 'Issue time (RFC 3339) [default: now]'
            cand --org 'Organization domain used for emails and `__domain__`'
            cand --environment '`__environment__`'
            cand --provider '`data.provider`'
            cand --set 'Override a field of generated events: `data.provider=azure` (a JSON value, else a string)'
            cand --merge 'Apply this JSON merge patch (RFC 7396) to generated events, after --set'
            cand --body 'Send this file (or - for stdin) as the body, signed as is'
            cand -H 'Extra header `Name: value` (repeatable)'
            cand --header 'Extra header `Name: value` (repeatable)'
            cand --expect-status 'Expected status: `2xx` or a code; exit 1 when unmet [default: 2xx]'
            cand --retry-schedule 'Delays before each try when retrying [default: Cryptr''s 0,5m,10m,20m,1h,2h]'
            cand --timeout 'Request timeout'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --all 'Send every code of --list: the 19 documented ones and the 2 legacy ones'
            cand --list 'List the known codes (legacy and announced ones marked) and exit'
            cand --print 'Write the body to stdout instead of sending it'
            cand --retry 'Retry non-2xx answers (except 410) like Cryptr, re-signing every try'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;replay'= {
            cand --store 'Replay this event store (filters run in its database) [env: DSYNC_STORE] [default: .dsync]'
            cand --url 'Where to deliver [env: DSYNC_URL]'
            cand --event 'Only events whose code matches this glob (e.g. `dir_sync.user.*`)'
            cand --limit 'Stop after this many deliveries'
            cand --since 'Only captures received at or after this: RFC 3339 time, or a duration ago (2h, 7d)'
            cand --until 'Only captures received before this: RFC 3339 time, or a duration ago'
            cand --order 'Delivery order: by capture time, or by the body''s `issued_at`'
            cand --concurrency 'Deliveries in flight at once'
            cand --rate 'At most this many deliveries per second: `50` or `50/s`'
            cand --repeat 'Send the whole selection this many times'
            cand --seed 'Seed for --shuffle and --duplicate [default: random, printed in the summary]'
            cand --duplicate 'Send this fraction (0 to 1) of the events a second time, to test idempotency'
            cand --timeout 'Request timeout'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --shuffle 'Deliver in a random order (see --seed)'
            cand --verbatim 'Resend the captured headers as they were (minus hop-by-hop, Host, Content-Length), unsigned again'
            cand --allow-failures 'Do not exit 1 on non-2xx answers'
            cand --strict 'A bad file is fatal instead of skipped'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;diff'= {
            cand --format 'Output format (--json is --format json). A patch turns the before snapshot into the after one; an event''s membership changes are not in it, since the event does not carry the whole member list'
            cand --key 'Identity field of the array at PATH (its full path or its name), e.g. members=id, phone_numbers=value. Default: the first of id, value, email, external_id, externalId, userName, type that is unique on both sides'
            cand --ignore 'Do not report changes at paths matching PATTERN (`*` any text, `?` one character), e.g. ''*.updated_at'', ''phone_numbers[*].primary''. Repeatable'
            cand --max-input 'Largest input read from each file or stdin (e.g. 64M, 1G); a larger one is refused rather than read into memory'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --stat 'Print only the summary (`3 changed, 1 added, 2 removed; members +3 -1`)'
            cand --ignore-case 'Compare strings without case (SCIM attributes that are not case-exact)'
            cand --ordered 'Array order matters: report moved elements, and diff arrays without an identity field as a sequence (Myers, minimal). A changed run longer than 4,000 elements is compared position by position instead, so time and memory stay linear'
            cand --exit-zero 'Exit 0 even when there are differences (errors still exit 2)'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;sign'= {
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --timestamp 'Unix timestamp in seconds to sign with [default: now]'
            cand --id 'Message id (standard scheme''s webhook-id) [default: derived]'
            cand --format 'What to print'
            cand --url 'Target URL, for --format curl [env: DSYNC_URL]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --no-sha256-prefix 'Cryptr only: write v1 without the sha256. prefix (the same as `--cryptr-layout no-prefix`). Cryptr''s docs show both forms'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;verify'= {
            cand -H 'A received header, `Name: value` (repeatable)'
            cand --header 'A received header, `Name: value` (repeatable)'
            cand --capture 'A capture: its id in the event store, or a capture file; verifies its headers and exact body'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --at 'Verify as of this Unix time in seconds instead of now (for old captures)'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;directory'= {
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events'
            cand show 'Groups and their members, and counts'
            cand export 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`'
            cand reset 'Forget every user, group and undelivered event (the next start activates again)'
            cand deactivate 'Send dir_sync.deactivate.success and mark the directory inactive'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dsync;directory;serve'= {
            cand --host 'Address to bind'
            cand -p 'Port to bind; 0 takes a free one'
            cand --port 'Port to bind; 0 takes a free one'
            cand --seed 'Reproducible ids: drawn from this seed (with --now; for tests)'
            cand --now 'Reproducible clock: starts at this RFC 3339 time, 1 ms more per reading (for tests)'
            cand --token 'Bearer token SCIM clients must send [env: DSYNC_SCIM_TOKEN] [config: directory.token] [default: generated once, saved 0600 in the store folder]'
            cand --store 'Store folder holding the directory [env: DSYNC_STORE]'
            cand --org 'Organization slug, the events'' __domain__'
            cand --environment 'The events'' __environment__'
            cand --provider 'The events'' data.provider (Cryptr''s samples show only okta)'
            cand --max-body 'Largest SCIM request body in bytes (413 above)'
            cand --forward-to 'Deliver events to this URL, optionally only some codes: ''URL'' or ''URL dir_sync.user.*,dir_sync.group.all'' (globs; Cryptr''s all and dir_sync.all work). Repeatable'
            cand --retry-schedule 'Delays before each try, comma-separated (Cryptr''s: 0,5m,10m,20m,1h,2h)'
            cand --delivery-concurrency 'Deliveries in flight per target'
            cand --delivery-timeout 'Time allowed for the app to answer one delivery'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --no-auth 'Serve without authentication (anyone who can reach the port can change the directory)'
            cand --activate-code 'On re-activation (active false → true) send dir_sync.user.activate.success (announced by Cryptr, "not available yet") instead of a new provision'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;directory;show'= {
            cand --store 'Store folder holding the directory [env: DSYNC_STORE]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;directory;export'= {
            cand --store 'Store folder holding the directory [env: DSYNC_STORE]'
            cand -o 'Write to this file instead of stdout'
            cand --out 'Write to this file instead of stdout'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;directory;reset'= {
            cand --store 'Store folder holding the directory [env: DSYNC_STORE]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand -y 'Do not ask (required without a terminal)'
            cand --yes 'Do not ask (required without a terminal)'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;directory;deactivate'= {
            cand --store 'Store folder holding the directory [env: DSYNC_STORE]'
            cand --forward-to 'Deliver events to this URL, optionally only some codes: ''URL'' or ''URL dir_sync.user.*,dir_sync.group.all'' (globs; Cryptr''s all and dir_sync.all work). Repeatable'
            cand --retry-schedule 'Delays before each try, comma-separated (Cryptr''s: 0,5m,10m,20m,1h,2h)'
            cand --delivery-concurrency 'Deliveries in flight per target'
            cand --delivery-timeout 'Time allowed for the app to answer one delivery'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --wait 'How long to wait for the deliveries before exiting (124 past it)'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;directory;help'= {
            cand serve 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events'
            cand show 'Groups and their members, and counts'
            cand export 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`'
            cand reset 'Forget every user, group and undelivered event (the next start activates again)'
            cand deactivate 'Send dir_sync.deactivate.success and mark the directory inactive'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dsync;directory;help;serve'= {
        }
        &'dsync;directory;help;show'= {
        }
        &'dsync;directory;help;export'= {
        }
        &'dsync;directory;help;reset'= {
        }
        &'dsync;directory;help;deactivate'= {
        }
        &'dsync;directory;help;help'= {
        }
        &'dsync;events'= {
            cand --store 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'The captured events, newest first: id, time, code, resource, verification, status, size'
            cand show 'One event: headers, the body pretty-printed, and the before/after diff'
            cand export 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)'
            cand import 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)'
            cand prune 'Delete old events: by age, by count, or down to a size'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dsync;events;list'= {
            cand --event 'Only events whose code matches this glob (e.g. ''dir_sync.user.*'', ''*.{create,delete}.*'')'
            cand --since 'Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time'
            cand --until 'Only events received before this: a duration ago or an RFC 3339 time'
            cand --verification 'Only events whose signature check came out so'
            cand --status 'Only events dsync answered with this status'
            cand --resource 'Only events about this resource: an id, or part of an email or group name'
            cand --search 'Only events whose body contains all these words (full-text search)'
            cand --source 'Only events from this source'
            cand --limit 'Show at most N events (0: all)'
            cand --before 'Only events stored before this row (the `rowid` of the last one shown: the next page)'
            cand --store 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --reverse 'Oldest first'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;events;show'= {
            cand --store 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --body 'Print only the body, exactly as received'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;events;export'= {
            cand --out 'Where to write: a file, or - for stdout (ndjson); a folder (files)'
            cand --format 'Bundle or folder of files'
            cand --event 'Only events whose code matches this glob (e.g. ''dir_sync.user.*'', ''*.{create,delete}.*'')'
            cand --since 'Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time'
            cand --until 'Only events received before this: a duration ago or an RFC 3339 time'
            cand --verification 'Only events whose signature check came out so'
            cand --status 'Only events dsync answered with this status'
            cand --resource 'Only events about this resource: an id, or part of an email or group name'
            cand --search 'Only events whose body contains all these words (full-text search)'
            cand --source 'Only events from this source'
            cand --redact-key 'Key for the stand-ins (same key, same stand-ins on any machine) [env: DSYNC_REDACT_KEY] [default: a random key kept in the store as .redact-key]'
            cand --store 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --redact 'Pseudonymise emails, names, phone numbers and addresses; drop signatures'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;events;import'= {
            cand --store 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;events;prune'= {
            cand --older-than 'Delete events received longer ago than this (e.g. 7d)'
            cand --keep 'Keep only the N most recently received events'
            cand --max-size 'Delete the oldest events until the store is under this size (e.g. 500MB) [default: store_max_size from the configuration]'
            cand --store 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;events;help'= {
            cand list 'The captured events, newest first: id, time, code, resource, verification, status, size'
            cand show 'One event: headers, the body pretty-printed, and the before/after diff'
            cand export 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)'
            cand import 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)'
            cand prune 'Delete old events: by age, by count, or down to a size'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dsync;events;help;list'= {
        }
        &'dsync;events;help;show'= {
        }
        &'dsync;events;help;export'= {
        }
        &'dsync;events;help;import'= {
        }
        &'dsync;events;help;prune'= {
        }
        &'dsync;events;help;help'= {
        }
        &'dsync;ui'= {
            cand --store 'Event store folder [env: DSYNC_STORE] [default: .dsync]'
            cand -p 'Port to bind; 0 takes a free one'
            cand --port 'Port to bind; 0 takes a free one'
            cand --host 'Address to bind; anything but loopback needs --token'
            cand --token 'Serve on a non-loopback address: the page and the API then need this token (`?token=` in the URL printed); 16+ characters'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;init'= {
            cand --scheme 'Signature scheme [default: cryptr]'
            cand --secret 'Signing secret to write (Cryptr''s signature_key)'
            cand --port 'Port dsync listen binds to [default: 8000]'
            cand --path 'Path dsync listen accepts [default: /directory-sync]'
            cand --forward-to 'App URL dsync listen forwards to (empty for none) [default: none]'
            cand --store 'Event store folder [default: .dsync]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand -y 'Take the defaults for every question not answered by a flag'
            cand --yes 'Take the defaults for every question not answered by a flag'
            cand --force 'Overwrite an existing dsync.toml'
            cand --generate-secret 'Generate a random secret (the default)'
            cand --gitignore 'Add .dsync/ to .gitignore (in a git repository) without asking'
            cand --no-gitignore 'Leave .gitignore alone'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;config'= {
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --show-secret 'Show the secret instead of masking it'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;check'= {
            cand --only 'Only run the cases whose name matches one of these globs (repeatable)'
            cand --skip 'Leave out the cases whose name matches one of these globs (repeatable)'
            cand --timeout 'Time an answer may take before the case fails'
            cand --large-users 'Members in the large-event case (5,000 is about 0.43 MB; 12,000 passes 1 MB)'
            cand -H 'Extra header `Name: value` on every request (an auth or tunnel header; repeatable)'
            cand --header 'Extra header `Name: value` on every request (an auth or tunnel header; repeatable)'
            cand --junit 'Write a JUnit XML report to FILE (for CI test views)'
            cand --state-cmd 'Command that prints the app''s state as JSON (dsync.app-state.v1); enables the stateful cases'
            cand --state-timeout 'Time --state-cmd may take'
            cand --state-wait 'How long the app''s state may take to match after the last delivery (an app that queues its work)'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --list 'List the cases (name, level, expectation) and exit'
            cand --strict 'Recommended cases count as required: a warning fails the run'
            cand --print-schema 'Print the JSON Schema of the --json report and exit'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;simulate'= {
            cand --idp 'The identity provider to play'
            cand --users 'Users created by the scenario''s onboarding'
            cand --groups 'Groups created by the scenario''s onboarding'
            cand --steps 'Size of the scenario''s own part (joiners, movers, leavers, churn steps...)'
            cand --seed 'Seed: same seed, same people and SCIM requests (and the same chaos choices)'
            cand --now 'Reproducible directory: its clock starts at this time (RFC 3339) and its ids come from --seed, so the same --seed and --now commit byte-identical events (SCIM requests then go one at a time unless --concurrency is given)'
            cand --org 'The organization''s domain (emails, and the events'' __domain__)'
            cand --url 'The app''s webhook URL the directory delivers to [env: DSYNC_URL]'
            cand --scim-url 'Drive this SCIM server (base URL, e.g. http://127.0.0.1:8001/scim/v2) instead of an in-process directory'
            cand --token 'Bearer token for --scim-url [env: DSYNC_SCIM_TOKEN]'
            cand --concurrency 'SCIM requests in flight at once (one resource''s requests never overlap) [default: 8; 1 with --now]'
            cand --rate 'SCIM requests per second at most'
            cand --timeout 'Timeout of one SCIM request'
            cand --state 'The in-process directory''s state folder [default: a temporary one, removed at the end]'
            cand --store 'Event store folder for the directory''s events [env: DSYNC_STORE] [default: .dsync]'
            cand --duplicate 'Chaos: re-deliver this share of events (0.0 to 1.0)'
            cand --reorder-window 'Chaos: deliver out of order within windows of N events'
            cand --retry-schedule 'Delays between delivery tries [default: 0,200ms,500ms,1s,2s: compressed for a simulation]'
            cand --settle-timeout 'How long to wait for every delivery to settle after the last SCIM request'
            cand --state-out 'Write the directory''s final state (the `directory export` format) to FILE'
            cand --check-cmd 'Once deliveries settled, run CMD (sh -c); compare the JSON it prints with the directory''s state'
            cand --check-timeout 'How long --check-cmd may run'
            cand --secret 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]'
            cand --secret-file 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]'
            cand --scheme 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]'
            cand --tolerance 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]'
            cand --cryptr-layout 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]'
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --list 'List the built-in scenarios and IdP personas, and exit'
            cand --print 'Print the planned SCIM requests as NDJSON; send nothing'
            cand --no-save 'Do not save the directory''s events to the event store'
            cand --fail-first 'Chaos: make the first attempt of every delivery look failed, so it is retried'
            cand --no-tolerance 'Do not check the timestamp at all'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;completions'= {
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;man'= {
            cand --color 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal'
            cand --config 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]'
            cand --json 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
            cand -q 'Print less on stderr (errors and warnings only)'
            cand --quiet 'Print less on stderr (errors and warnings only)'
            cand -v 'Print more on stderr (repeat for more)'
            cand --verbose 'Print more on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dsync;help'= {
            cand listen 'Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI'
            cand send-test 'Send realistic, signed test events to a URL'
            cand replay 'Re-deliver captured events to a URL'
            cand diff 'Show what changed: in one event, or between two JSON documents'
            cand sign 'Sign a body: print the headers (or a curl command) to send with it'
            cand verify 'Verify a request''s signature, and explain why it fails'
            cand directory 'A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out'
            cand events 'List, show, export, import and prune the local event store'
            cand ui 'Serve the inspector: a live web page over the event store (loopback only)'
            cand init 'Set up dsync.toml interactively (or with flags)'
            cand config 'Print the effective configuration and where each value comes from'
            cand check 'Test a webhook receiver: forged, stale, tampered, duplicate, large and concurrent deliveries'
            cand simulate 'Play an IdP (Okta, Entra ID, Google) against a SCIM directory, deliver to your app, check its state'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dsync;help;listen'= {
        }
        &'dsync;help;send-test'= {
        }
        &'dsync;help;replay'= {
        }
        &'dsync;help;diff'= {
        }
        &'dsync;help;sign'= {
        }
        &'dsync;help;verify'= {
        }
        &'dsync;help;directory'= {
            cand serve 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events'
            cand show 'Groups and their members, and counts'
            cand export 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`'
            cand reset 'Forget every user, group and undelivered event (the next start activates again)'
            cand deactivate 'Send dir_sync.deactivate.success and mark the directory inactive'
        }
        &'dsync;help;directory;serve'= {
        }
        &'dsync;help;directory;show'= {
        }
        &'dsync;help;directory;export'= {
        }
        &'dsync;help;directory;reset'= {
        }
        &'dsync;help;directory;deactivate'= {
        }
        &'dsync;help;events'= {
            cand list 'The captured events, newest first: id, time, code, resource, verification, status, size'
            cand show 'One event: headers, the body pretty-printed, and the before/after diff'
            cand export 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)'
            cand import 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)'
            cand prune 'Delete old events: by age, by count, or down to a size'
        }
        &'dsync;help;events;list'= {
        }
        &'dsync;help;events;show'= {
        }
        &'dsync;help;events;export'= {
        }
        &'dsync;help;events;import'= {
        }
        &'dsync;help;events;prune'= {
        }
        &'dsync;help;ui'= {
        }
        &'dsync;help;init'= {
        }
        &'dsync;help;config'= {
        }
        &'dsync;help;check'= {
        }
        &'dsync;help;simulate'= {
        }
        &'dsync;help;completions'= {
        }
        &'dsync;help;man'= {
        }
        &'dsync;help;help'= {
        }
    ]
    $completions[$command]
}
