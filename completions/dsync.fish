# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dsync_global_optspecs
    string join \n color= json q/quiet v/verbose config= h/help V/version
end

function __fish_dsync_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dsync_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dsync_using_subcommand
    set -l cmd (__fish_dsync_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dsync -n "__fish_dsync_needs_command" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_needs_command" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_needs_command" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_needs_command" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_needs_command" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_needs_command" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "listen" -d 'Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "send-test" -d 'Send realistic, signed test events to a URL'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "replay" -d 'Re-deliver captured events to a URL'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "diff" -d 'Show what changed: in one event, or between two JSON documents'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "sign" -d 'Sign a body: print the headers (or a curl command) to send with it'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "verify" -d 'Verify a request\'s signature, and explain why it fails'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "directory" -d 'A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "events" -d 'List, show, export, import and prune the local event store'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "ui" -d 'Serve the inspector: a live web page over the event store (loopback only)'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "init" -d 'Set up dsync.toml interactively (or with flags)'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "config" -d 'Print the effective configuration and where each value comes from'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "check" -d 'Test a webhook receiver: forged, stale, tampered, duplicate, large and concurrent deliveries'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "simulate" -d 'Play an IdP (Okta, Entra ID, Google) against a SCIM directory, deliver to your app, check its state'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c dsync -n "__fish_dsync_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l host -d 'Address to bind [env: DSYNC_HOST] [default: 127.0.0.1]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -s p -l port -d 'Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l path -d 'Only accept this path (others get 404); without it every path is accepted [env: DSYNC_PATH]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l store -d 'Event store folder [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l ui-token -d 'Serve the inspector on a non-loopback --host too; the page and its API then need this token (16+ characters) [env: DSYNC_UI_TOKEN]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l max-body -d 'Largest body kept, in bytes; larger ones get 413 and are recorded without their body' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l respond -d 'Answer with this status instead of 200 (to exercise the sender\'s retries)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l respond-after -d 'Wait this long before answering (simulates a slow receiver)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l forward-to -d 'Forward each request (exact bytes and headers) to this URL and answer with the app\'s answer [env: DSYNC_FORWARD_TO]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l events -d 'Only show events whose code matches this glob (everything is still saved)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l expect -d 'Wait for events whose code matches CODE_OR_GLOB, N times (default 1); repeatable' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l count -d 'Exit 0 after N requests' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l timeout -d 'Exit 124 if expectations are not met within this time' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l idle-timeout -d 'Exit 124 if no request arrives for this long' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l workers -d 'Most threads running the handler (verify, save, forward); started as needed. Slow clients never hold one: requests reach them complete. Default: 32 with --forward-to or --respond-after (a handler waits on them), else one per CPU (a handler never waits: more threads only take turns)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l max-connections -d 'Most connections open at once; past it, idle or slow connections are closed to make room, else new ones get 503' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l header-timeout -d 'Time a client has to send a request\'s head (408 and close past it)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l body-timeout -d 'Time a client has to send a request\'s body once its head is in (408 and close past it)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l write-timeout -d 'Close a connection whose client takes no byte of an answer for this long (it stopped reading)' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l keep-alive-timeout -d 'Close a keep-alive connection after this long without a request' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l any-path -d 'Accept every path even when --path is set'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l no-save -d 'Do not save captures'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l ui -d 'Serve the inspector (a live web page over the store) on the same port, under /_dsync/: that path is then reserved, requests to it are not captured. Loopback only, unless --ui-token'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l fsync -d 'Sync each capture to disk before answering (survives power loss; slower)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l reject-invalid -d 'Answer 401 with a JSON reason when the signature is invalid (default: 200, flagged)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l fail-on-invalid -d 'Exit 1 as soon as a request with an invalid signature arrives (for CI)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l compact -d 'One line per event, without the before/after diff'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand listen" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l url -d 'Where to POST the events [env: DSYNC_URL]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l event -d 'Event code to send (repeatable; see --list). A code not on the list is sent as a bare event, with a warning' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l seed -d 'Seed for the generator (same seed + --now => same bytes)' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l now -d 'Issue time (RFC 3339) [default: now]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l org -d 'Organization domain used for emails and `__domain__`' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l environment -d '`__environment__`' -r -f -a "sandbox\t''
production\t''"
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l provider -d '`data.provider`' -r -f -a "okta\t''
azure\t''
google\t''"
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l set -d 'Override a field of generated events: `data.provider=azure` (a JSON value, else a string)' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l merge -d 'Apply this JSON merge patch (RFC 7396) to generated events, after --set' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l body -d 'Send this file (or - for stdin) as the body, signed as is' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -s H -l header -d 'Extra header `Name: value` (repeatable)' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l expect-status -d 'Expected status: `2xx` or a code; exit 1 when unmet [default: 2xx]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l retry-schedule -d 'Delays before each try when retrying [default: Cryptr\'s 0,5m,10m,20m,1h,2h]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l timeout -d 'Request timeout' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l all -d 'Send every code of --list: the 19 documented ones and the 2 legacy ones'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l list -d 'List the known codes (legacy and announced ones marked) and exit'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l print -d 'Write the body to stdout instead of sending it'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l retry -d 'Retry non-2xx answers (except 410) like Cryptr, re-signing every try'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand send-test" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l store -d 'Replay this event store (filters run in its database) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l url -d 'Where to deliver [env: DSYNC_URL]' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l event -d 'Only events whose code matches this glob (e.g. `dir_sync.user.*`)' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l limit -d 'Stop after this many deliveries' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l since -d 'Only captures received at or after this: RFC 3339 time, or a duration ago (2h, 7d)' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l until -d 'Only captures received before this: RFC 3339 time, or a duration ago' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l order -d 'Delivery order: by capture time, or by the body\'s `issued_at`' -r -f -a "capture\t''
issued_at\t''"
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l concurrency -d 'Deliveries in flight at once' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l rate -d 'At most this many deliveries per second: `50` or `50/s`' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l repeat -d 'Send the whole selection this many times' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l seed -d 'Seed for --shuffle and --duplicate [default: random, printed in the summary]' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l duplicate -d 'Send this fraction (0 to 1) of the events a second time, to test idempotency' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l timeout -d 'Request timeout' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l shuffle -d 'Deliver in a random order (see --seed)'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l verbatim -d 'Resend the captured headers as they were (minus hop-by-hop, Host, Content-Length), unsigned again'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l allow-failures -d 'Do not exit 1 on non-2xx answers'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l strict -d 'A bad file is fatal instead of skipped'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand replay" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l format -d 'Output format (--json is --format json). A patch turns the before snapshot into the after one; an event\'s membership changes are not in it, since the event does not carry the whole member list' -r -f -a "human\t'Coloured lines for people'
json\t'A list of {op, path, old, new}'
patch\t'An RFC 6902 JSON Patch from before to after'
markdown\t'A table for pull-request comments and CI summaries'"
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l key -d 'Identity field of the array at PATH (its full path or its name), e.g. members=id, phone_numbers=value. Default: the first of id, value, email, external_id, externalId, userName, type that is unique on both sides' -r
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l ignore -d 'Do not report changes at paths matching PATTERN (`*` any text, `?` one character), e.g. \'*.updated_at\', \'phone_numbers[*].primary\'. Repeatable' -r
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l max-input -d 'Largest input read from each file or stdin (e.g. 64M, 1G); a larger one is refused rather than read into memory' -r
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l stat -d 'Print only the summary (`3 changed, 1 added, 2 removed; members +3 -1`)'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l ignore-case -d 'Compare strings without case (SCIM attributes that are not case-exact)'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l ordered -d 'Array order matters: report moved elements, and diff arrays without an identity field as a sequence (Myers, minimal). A changed run longer than 4,000 elements is compared position by position instead, so time and memory stay linear'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l exit-zero -d 'Exit 0 even when there are differences (errors still exit 2)'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand diff" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l timestamp -d 'Unix timestamp in seconds to sign with [default: now]' -r
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l id -d 'Message id (standard scheme\'s webhook-id) [default: derived]' -r
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l format -d 'What to print' -r -f -a "headers\t'One `Name: value` line per header'
curl\t'A ready curl command that posts the exact file bytes'"
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l url -d 'Target URL, for --format curl [env: DSYNC_URL]' -r
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l no-sha256-prefix -d 'Cryptr only: write v1 without the sha256. prefix (the same as `--cryptr-layout no-prefix`). Cryptr\'s docs show both forms'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand sign" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand verify" -s H -l header -d 'A received header, `Name: value` (repeatable)' -r
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l capture -d 'A capture: its id in the event store, or a capture file; verifies its headers and exact body' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l at -d 'Verify as of this Unix time in seconds instead of now (for old captures)' -r
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand verify" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand verify" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand verify" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand verify" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -f -a "serve" -d 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -f -a "show" -d 'Groups and their members, and counts'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -f -a "export" -d 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -f -a "reset" -d 'Forget every user, group and undelivered event (the next start activates again)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -f -a "deactivate" -d 'Send dir_sync.deactivate.success and mark the directory inactive'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and not __fish_seen_subcommand_from serve show export reset deactivate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l host -d 'Address to bind' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -s p -l port -d 'Port to bind; 0 takes a free one' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l seed -d 'Reproducible ids: drawn from this seed (with --now; for tests)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l now -d 'Reproducible clock: starts at this RFC 3339 time, 1 ms more per reading (for tests)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l token -d 'Bearer token SCIM clients must send [env: DSYNC_SCIM_TOKEN] [config: directory.token] [default: generated once, saved 0600 in the store folder]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l store -d 'Store folder holding the directory [env: DSYNC_STORE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l org -d 'Organization slug, the events\' __domain__' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l environment -d 'The events\' __environment__' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l provider -d 'The events\' data.provider (Cryptr\'s samples show only okta)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l max-body -d 'Largest SCIM request body in bytes (413 above)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l forward-to -d 'Deliver events to this URL, optionally only some codes: \'URL\' or \'URL dir_sync.user.*,dir_sync.group.all\' (globs; Cryptr\'s all and dir_sync.all work). Repeatable' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l retry-schedule -d 'Delays before each try, comma-separated (Cryptr\'s: 0,5m,10m,20m,1h,2h)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l delivery-concurrency -d 'Deliveries in flight per target' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l delivery-timeout -d 'Time allowed for the app to answer one delivery' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l no-auth -d 'Serve without authentication (anyone who can reach the port can change the directory)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l activate-code -d 'On re-activation (active false → true) send dir_sync.user.activate.success (announced by Cryptr, "not available yet") instead of a new provision'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -l store -d 'Store folder holding the directory [env: DSYNC_STORE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -l store -d 'Store folder holding the directory [env: DSYNC_STORE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -s o -l out -d 'Write to this file instead of stdout' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -l store -d 'Store folder holding the directory [env: DSYNC_STORE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -s y -l yes -d 'Do not ask (required without a terminal)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l store -d 'Store folder holding the directory [env: DSYNC_STORE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l forward-to -d 'Deliver events to this URL, optionally only some codes: \'URL\' or \'URL dir_sync.user.*,dir_sync.group.all\' (globs; Cryptr\'s all and dir_sync.all work). Repeatable' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l retry-schedule -d 'Delays before each try, comma-separated (Cryptr\'s: 0,5m,10m,20m,1h,2h)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l delivery-concurrency -d 'Deliveries in flight per target' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l delivery-timeout -d 'Time allowed for the app to answer one delivery' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l wait -d 'How long to wait for the deliveries before exiting (124 past it)' -r
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from deactivate" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from help" -f -a "show" -d 'Groups and their members, and counts'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from help" -f -a "export" -d 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Forget every user, group and undelivered event (the next start activates again)'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from help" -f -a "deactivate" -d 'Send dir_sync.deactivate.success and mark the directory inactive'
complete -c dsync -n "__fish_dsync_using_subcommand directory; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -l store -d 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -f -a "list" -d 'The captured events, newest first: id, time, code, resource, verification, status, size'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -f -a "show" -d 'One event: headers, the body pretty-printed, and the before/after diff'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -f -a "export" -d 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -f -a "import" -d 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -f -a "prune" -d 'Delete old events: by age, by count, or down to a size'
complete -c dsync -n "__fish_dsync_using_subcommand events; and not __fish_seen_subcommand_from list show export import prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l event -d 'Only events whose code matches this glob (e.g. \'dir_sync.user.*\', \'*.{create,delete}.*\')' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l since -d 'Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l until -d 'Only events received before this: a duration ago or an RFC 3339 time' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l verification -d 'Only events whose signature check came out so' -r -f -a "valid\t''
invalid\t''
unsigned\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l status -d 'Only events dsync answered with this status' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l resource -d 'Only events about this resource: an id, or part of an email or group name' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l search -d 'Only events whose body contains all these words (full-text search)' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l source -d 'Only events from this source' -r -f -a "listen\t''
directory\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l limit -d 'Show at most N events (0: all)' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l before -d 'Only events stored before this row (the `rowid` of the last one shown: the next page)' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l store -d 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l reverse -d 'Oldest first'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -l store -d 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -l body -d 'Print only the body, exactly as received'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l out -d 'Where to write: a file, or - for stdout (ndjson); a folder (files)' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l format -d 'Bundle or folder of files' -r -f -a "ndjson\t'One capture per line (what `replay` and `events import` read)'
files\t'One capture file per event in a folder (the pre-database store format)'"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l event -d 'Only events whose code matches this glob (e.g. \'dir_sync.user.*\', \'*.{create,delete}.*\')' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l since -d 'Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l until -d 'Only events received before this: a duration ago or an RFC 3339 time' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l verification -d 'Only events whose signature check came out so' -r -f -a "valid\t''
invalid\t''
unsigned\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l status -d 'Only events dsync answered with this status' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l resource -d 'Only events about this resource: an id, or part of an email or group name' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l search -d 'Only events whose body contains all these words (full-text search)' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l source -d 'Only events from this source' -r -f -a "listen\t''
directory\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l redact-key -d 'Key for the stand-ins (same key, same stand-ins on any machine) [env: DSYNC_REDACT_KEY] [default: a random key kept in the store as .redact-key]' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l store -d 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l redact -d 'Pseudonymise emails, names, phone numbers and addresses; drop signatures'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -l store -d 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l older-than -d 'Delete events received longer ago than this (e.g. 7d)' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l keep -d 'Keep only the N most recently received events' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l max-size -d 'Delete the oldest events until the store is under this size (e.g. 500MB) [default: store_max_size from the configuration]' -r
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l store -d 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "list" -d 'The captured events, newest first: id, time, code, resource, verification, status, size'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "show" -d 'One event: headers, the body pretty-printed, and the before/after diff'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Delete old events: by age, by count, or down to a size'
complete -c dsync -n "__fish_dsync_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l store -d 'Event store folder [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand ui" -s p -l port -d 'Port to bind; 0 takes a free one' -r
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l host -d 'Address to bind; anything but loopback needs --token' -r
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l token -d 'Serve on a non-loopback address: the page and the API then need this token (`?token=` in the URL printed); 16+ characters' -r
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand ui" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand ui" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand ui" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand ui" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand ui" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand init" -l scheme -d 'Signature scheme [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand init" -l secret -d 'Signing secret to write (Cryptr\'s signature_key)' -r
complete -c dsync -n "__fish_dsync_using_subcommand init" -l port -d 'Port dsync listen binds to [default: 8000]' -r
complete -c dsync -n "__fish_dsync_using_subcommand init" -l path -d 'Path dsync listen accepts [default: /directory-sync]' -r
complete -c dsync -n "__fish_dsync_using_subcommand init" -l forward-to -d 'App URL dsync listen forwards to (empty for none) [default: none]' -r
complete -c dsync -n "__fish_dsync_using_subcommand init" -l store -d 'Event store folder [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand init" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand init" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand init" -s y -l yes -d 'Take the defaults for every question not answered by a flag'
complete -c dsync -n "__fish_dsync_using_subcommand init" -l force -d 'Overwrite an existing dsync.toml'
complete -c dsync -n "__fish_dsync_using_subcommand init" -l generate-secret -d 'Generate a random secret (the default)'
complete -c dsync -n "__fish_dsync_using_subcommand init" -l gitignore -d 'Add .dsync/ to .gitignore (in a git repository) without asking'
complete -c dsync -n "__fish_dsync_using_subcommand init" -l no-gitignore -d 'Leave .gitignore alone'
complete -c dsync -n "__fish_dsync_using_subcommand init" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand init" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand init" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand init" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand config" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand config" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand config" -l show-secret -d 'Show the secret instead of masking it'
complete -c dsync -n "__fish_dsync_using_subcommand config" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand config" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand config" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand config" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand config" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand check" -l only -d 'Only run the cases whose name matches one of these globs (repeatable)' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l skip -d 'Leave out the cases whose name matches one of these globs (repeatable)' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l timeout -d 'Time an answer may take before the case fails' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l large-users -d 'Members in the large-event case (5,000 is about 0.43 MB; 12,000 passes 1 MB)' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -s H -l header -d 'Extra header `Name: value` on every request (an auth or tunnel header; repeatable)' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l junit -d 'Write a JUnit XML report to FILE (for CI test views)' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand check" -l state-cmd -d 'Command that prints the app\'s state as JSON (dsync.app-state.v1); enables the stateful cases' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l state-timeout -d 'Time --state-cmd may take' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l state-wait -d 'How long the app\'s state may take to match after the last delivery (an app that queues its work)' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand check" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand check" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand check" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand check" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand check" -l list -d 'List the cases (name, level, expectation) and exit'
complete -c dsync -n "__fish_dsync_using_subcommand check" -l strict -d 'Recommended cases count as required: a warning fails the run'
complete -c dsync -n "__fish_dsync_using_subcommand check" -l print-schema -d 'Print the JSON Schema of the --json report and exit'
complete -c dsync -n "__fish_dsync_using_subcommand check" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand check" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand check" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand check" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand check" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l idp -d 'The identity provider to play' -r -f -a "okta\t'Okta, an OIN catalog app [1]'
okta-aiw\t'Okta, an App Integration Wizard (custom) app: PUT for every change [1]'
entra\t'Microsoft Entra ID, default non-gallery SCIM app [2][3][4]'
entra-2020\t'Microsoft Entra ID with the `aadOptscim062020` feature flag [2]'
google\t'Google Workspace: a stated guess, Google documents no wire shapes [10][11]'"
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l users -d 'Users created by the scenario\'s onboarding' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l groups -d 'Groups created by the scenario\'s onboarding' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l steps -d 'Size of the scenario\'s own part (joiners, movers, leavers, churn steps...)' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l seed -d 'Seed: same seed, same people and SCIM requests (and the same chaos choices)' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l now -d 'Reproducible directory: its clock starts at this time (RFC 3339) and its ids come from --seed, so the same --seed and --now commit byte-identical events (SCIM requests then go one at a time unless --concurrency is given)' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l org -d 'The organization\'s domain (emails, and the events\' __domain__)' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l url -d 'The app\'s webhook URL the directory delivers to [env: DSYNC_URL]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l scim-url -d 'Drive this SCIM server (base URL, e.g. http://127.0.0.1:8001/scim/v2) instead of an in-process directory' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l token -d 'Bearer token for --scim-url [env: DSYNC_SCIM_TOKEN]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l concurrency -d 'SCIM requests in flight at once (one resource\'s requests never overlap) [default: 8; 1 with --now]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l rate -d 'SCIM requests per second at most' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l timeout -d 'Timeout of one SCIM request' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l state -d 'The in-process directory\'s state folder [default: a temporary one, removed at the end]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l store -d 'Event store folder for the directory\'s events [env: DSYNC_STORE] [default: .dsync]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l duplicate -d 'Chaos: re-deliver this share of events (0.0 to 1.0)' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l reorder-window -d 'Chaos: deliver out of order within windows of N events' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l retry-schedule -d 'Delays between delivery tries [default: 0,200ms,500ms,1s,2s: compressed for a simulation]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l settle-timeout -d 'How long to wait for every delivery to settle after the last SCIM request' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l state-out -d 'Write the directory\'s final state (the `directory export` format) to FILE' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l check-cmd -d 'Once deliveries settled, run CMD (sh -c); compare the JSON it prints with the directory\'s state' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l check-timeout -d 'How long --check-cmd may run' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l secret -d 'Signing secret (Cryptr\'s signature_key; whsec_... for standard) [env: DSYNC_SECRET]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l secret-file -d 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l scheme -d 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]' -r -f -a "cryptr\t'Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)'
standard\t'Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature'
stripe\t'Stripe: `Stripe-Signature: t=<s>,v1=<hex>`'
workos\t'WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`'"
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l tolerance -d 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l cryptr-layout -d 'Cryptr\'s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]' -r
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l list -d 'List the built-in scenarios and IdP personas, and exit'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l print -d 'Print the planned SCIM requests as NDJSON; send nothing'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l no-save -d 'Do not save the directory\'s events to the event store'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l fail-first -d 'Chaos: make the first attempt of every delivery look failed, so it is retried'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l no-tolerance -d 'Do not check the timestamp at all'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dsync -n "__fish_dsync_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand completions" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand completions" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand completions" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand completions" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand completions" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand completions" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand completions" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand man" -l color -d 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dsync -n "__fish_dsync_using_subcommand man" -l config -d 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]' -r -F
complete -c dsync -n "__fish_dsync_using_subcommand man" -l json -d 'Machine-readable output: stdout carries only JSON (NDJSON for streams)'
complete -c dsync -n "__fish_dsync_using_subcommand man" -s q -l quiet -d 'Print less on stderr (errors and warnings only)'
complete -c dsync -n "__fish_dsync_using_subcommand man" -s v -l verbose -d 'Print more on stderr (repeat for more)'
complete -c dsync -n "__fish_dsync_using_subcommand man" -s h -l help -d 'Print help'
complete -c dsync -n "__fish_dsync_using_subcommand man" -s V -l version -d 'Print version'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "listen" -d 'Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "send-test" -d 'Send realistic, signed test events to a URL'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "replay" -d 'Re-deliver captured events to a URL'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "diff" -d 'Show what changed: in one event, or between two JSON documents'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "sign" -d 'Sign a body: print the headers (or a curl command) to send with it'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "verify" -d 'Verify a request\'s signature, and explain why it fails'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "directory" -d 'A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "events" -d 'List, show, export, import and prune the local event store'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "ui" -d 'Serve the inspector: a live web page over the event store (loopback only)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "init" -d 'Set up dsync.toml interactively (or with flags)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "config" -d 'Print the effective configuration and where each value comes from'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "check" -d 'Test a webhook receiver: forged, stale, tampered, duplicate, large and concurrent deliveries'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "simulate" -d 'Play an IdP (Okta, Entra ID, Google) against a SCIM directory, deliver to your app, check its state'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "completions" -d 'Print shell completions'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and not __fish_seen_subcommand_from listen send-test replay diff sign verify directory events ui init config check simulate completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from directory" -f -a "serve" -d 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from directory" -f -a "show" -d 'Groups and their members, and counts'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from directory" -f -a "export" -d 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from directory" -f -a "reset" -d 'Forget every user, group and undelivered event (the next start activates again)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from directory" -f -a "deactivate" -d 'Send dir_sync.deactivate.success and mark the directory inactive'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "list" -d 'The captured events, newest first: id, time, code, resource, verification, status, size'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "show" -d 'One event: headers, the body pretty-printed, and the before/after diff'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "export" -d 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "import" -d 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)'
complete -c dsync -n "__fish_dsync_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "prune" -d 'Delete old events: by age, by count, or down to a size'
