
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dsync' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dsync'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dsync' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI')
            [CompletionResult]::new('send-test', 'send-test', [CompletionResultType]::ParameterValue, 'Send realistic, signed test events to a URL')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-deliver captured events to a URL')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed: in one event, or between two JSON documents')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a body: print the headers (or a curl command) to send with it')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a request''s signature, and explain why it fails')
            [CompletionResult]::new('directory', 'directory', [CompletionResultType]::ParameterValue, 'A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List, show, export, import and prune the local event store')
            [CompletionResult]::new('ui', 'ui', [CompletionResultType]::ParameterValue, 'Serve the inspector: a live web page over the event store (loopback only)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up dsync.toml interactively (or with flags)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value comes from')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Test a webhook receiver: forged, stale, tampered, duplicate, large and concurrent deliveries')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Play an IdP (Okta, Entra ID, Google) against a SCIM directory, deliver to your app, check its state')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dsync;listen' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind [env: DSYNC_HOST] [default: 127.0.0.1]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only accept this path (others get 404); without it every path is accepted [env: DSYNC_PATH]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--ui-token', '--ui-token', [CompletionResultType]::ParameterName, 'Serve the inspector on a non-loopback --host too; the page and its API then need this token (16+ characters) [env: DSYNC_UI_TOKEN]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body kept, in bytes; larger ones get 413 and are recorded without their body')
            [CompletionResult]::new('--respond', '--respond', [CompletionResultType]::ParameterName, 'Answer with this status instead of 200 (to exercise the sender''s retries)')
            [CompletionResult]::new('--respond-after', '--respond-after', [CompletionResultType]::ParameterName, 'Wait this long before answering (simulates a slow receiver)')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Forward each request (exact bytes and headers) to this URL and answer with the app''s answer [env: DSYNC_FORWARD_TO]')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Only show events whose code matches this glob (everything is still saved)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Wait for events whose code matches CODE_OR_GLOB, N times (default 1); repeatable')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit 0 after N requests')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit 124 if expectations are not met within this time')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Exit 124 if no request arrives for this long')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Most threads running the handler (verify, save, forward); started as needed. Slow clients never hold one: requests reach them complete. Default: 32 with --forward-to or --respond-after (a handler waits on them), else one per CPU (a handler never waits: more threads only take turns)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Most connections open at once; past it, idle or slow connections are closed to make room, else new ones get 503')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s head (408 and close past it)')
            [CompletionResult]::new('--body-timeout', '--body-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s body once its head is in (408 and close past it)')
            [CompletionResult]::new('--write-timeout', '--write-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose client takes no byte of an answer for this long (it stopped reading)')
            [CompletionResult]::new('--keep-alive-timeout', '--keep-alive-timeout', [CompletionResultType]::ParameterName, 'Close a keep-alive connection after this long without a request')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--any-path', '--any-path', [CompletionResultType]::ParameterName, 'Accept every path even when --path is set')
            [CompletionResult]::new('--no-save', '--no-save', [CompletionResultType]::ParameterName, 'Do not save captures')
            [CompletionResult]::new('--ui', '--ui', [CompletionResultType]::ParameterName, 'Serve the inspector (a live web page over the store) on the same port, under /_dsync/: that path is then reserved, requests to it are not captured. Loopback only, unless --ui-token')
            [CompletionResult]::new('--fsync', '--fsync', [CompletionResultType]::ParameterName, 'Sync each capture to disk before answering (survives power loss; slower)')
            [CompletionResult]::new('--reject-invalid', '--reject-invalid', [CompletionResultType]::ParameterName, 'Answer 401 with a JSON reason when the signature is invalid (default: 200, flagged)')
            [CompletionResult]::new('--fail-on-invalid', '--fail-on-invalid', [CompletionResultType]::ParameterName, 'Exit 1 as soon as a request with an invalid signature arrives (for CI)')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'One line per event, without the before/after diff')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;send-test' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Where to POST the events [env: DSYNC_URL]')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Event code to send (repeatable; see --list). A code not on the list is sent as a bare event, with a warning')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the generator (same seed + --now => same bytes)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Issue time (RFC 3339) [default: now]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization domain used for emails and `__domain__`')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, '`__environment__`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, '`data.provider`')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a field of generated events: `data.provider=azure` (a JSON value, else a string)')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'Apply this JSON merge patch (RFC 7396) to generated events, after --set')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Send this file (or - for stdin) as the body, signed as is')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header `Name: value` (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header `Name: value` (repeatable)')
            [CompletionResult]::new('--expect-status', '--expect-status', [CompletionResultType]::ParameterName, 'Expected status: `2xx` or a code; exit 1 when unmet [default: 2xx]')
            [CompletionResult]::new('--retry-schedule', '--retry-schedule', [CompletionResultType]::ParameterName, 'Delays before each try when retrying [default: Cryptr''s 0,5m,10m,20m,1h,2h]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Request timeout')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Send every code of --list: the 19 documented ones and the 2 legacy ones')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the known codes (legacy and announced ones marked) and exit')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Write the body to stdout instead of sending it')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Retry non-2xx answers (except 410) like Cryptr, re-signing every try')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;replay' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Replay this event store (filters run in its database) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Where to deliver [env: DSYNC_URL]')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Only events whose code matches this glob (e.g. `dir_sync.user.*`)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Stop after this many deliveries')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only captures received at or after this: RFC 3339 time, or a duration ago (2h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only captures received before this: RFC 3339 time, or a duration ago')
            [CompletionResult]::new('--order', '--order', [CompletionResultType]::ParameterName, 'Delivery order: by capture time, or by the body''s `issued_at`')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Deliveries in flight at once')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most this many deliveries per second: `50` or `50/s`')
            [CompletionResult]::new('--repeat', '--repeat', [CompletionResultType]::ParameterName, 'Send the whole selection this many times')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for --shuffle and --duplicate [default: random, printed in the summary]')
            [CompletionResult]::new('--duplicate', '--duplicate', [CompletionResultType]::ParameterName, 'Send this fraction (0 to 1) of the events a second time, to test idempotency')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Request timeout')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--shuffle', '--shuffle', [CompletionResultType]::ParameterName, 'Deliver in a random order (see --seed)')
            [CompletionResult]::new('--verbatim', '--verbatim', [CompletionResultType]::ParameterName, 'Resend the captured headers as they were (minus hop-by-hop, Host, Content-Length), unsigned again')
            [CompletionResult]::new('--allow-failures', '--allow-failures', [CompletionResultType]::ParameterName, 'Do not exit 1 on non-2xx answers')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'A bad file is fatal instead of skipped')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (--json is --format json). A patch turns the before snapshot into the after one; an event''s membership changes are not in it, since the event does not carry the whole member list')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Identity field of the array at PATH (its full path or its name), e.g. members=id, phone_numbers=value. Default: the first of id, value, email, external_id, externalId, userName, type that is unique on both sides')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not report changes at paths matching PATTERN (`*` any text, `?` one character), e.g. ''*.updated_at'', ''phone_numbers[*].primary''. Repeatable')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read from each file or stdin (e.g. 64M, 1G); a larger one is refused rather than read into memory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--stat', '--stat', [CompletionResultType]::ParameterName, 'Print only the summary (`3 changed, 1 added, 2 removed; members +3 -1`)')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Compare strings without case (SCIM attributes that are not case-exact)')
            [CompletionResult]::new('--ordered', '--ordered', [CompletionResultType]::ParameterName, 'Array order matters: report moved elements, and diff arrays without an identity field as a sequence (Myers, minimal). A changed run longer than 4,000 elements is compared position by position instead, so time and memory stay linear')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 even when there are differences (errors still exit 2)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;sign' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Unix timestamp in seconds to sign with [default: now]')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Message id (standard scheme''s webhook-id) [default: derived]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Target URL, for --format curl [env: DSYNC_URL]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--no-sha256-prefix', '--no-sha256-prefix', [CompletionResultType]::ParameterName, 'Cryptr only: write v1 without the sha256. prefix (the same as `--cryptr-layout no-prefix`). Cryptr''s docs show both forms')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;verify' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A received header, `Name: value` (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A received header, `Name: value` (repeatable)')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'A capture: its id in the event store, or a capture file; verifies its headers and exact body')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Verify as of this Unix time in seconds instead of now (for old captures)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;directory' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Groups and their members, and counts')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Forget every user, group and undelivered event (the next start activates again)')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Send dir_sync.deactivate.success and mark the directory inactive')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dsync;directory;serve' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port to bind; 0 takes a free one')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to bind; 0 takes a free one')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Reproducible ids: drawn from this seed (with --now; for tests)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Reproducible clock: starts at this RFC 3339 time, 1 ms more per reading (for tests)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token SCIM clients must send [env: DSYNC_SCIM_TOKEN] [config: directory.token] [default: generated once, saved 0600 in the store folder]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store folder holding the directory [env: DSYNC_STORE]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization slug, the events'' __domain__')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The events'' __environment__')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The events'' data.provider (Cryptr''s samples show only okta)')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest SCIM request body in bytes (413 above)')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Deliver events to this URL, optionally only some codes: ''URL'' or ''URL dir_sync.user.*,dir_sync.group.all'' (globs; Cryptr''s all and dir_sync.all work). Repeatable')
            [CompletionResult]::new('--retry-schedule', '--retry-schedule', [CompletionResultType]::ParameterName, 'Delays before each try, comma-separated (Cryptr''s: 0,5m,10m,20m,1h,2h)')
            [CompletionResult]::new('--delivery-concurrency', '--delivery-concurrency', [CompletionResultType]::ParameterName, 'Deliveries in flight per target')
            [CompletionResult]::new('--delivery-timeout', '--delivery-timeout', [CompletionResultType]::ParameterName, 'Time allowed for the app to answer one delivery')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--no-auth', '--no-auth', [CompletionResultType]::ParameterName, 'Serve without authentication (anyone who can reach the port can change the directory)')
            [CompletionResult]::new('--activate-code', '--activate-code', [CompletionResultType]::ParameterName, 'On re-activation (active false → true) send dir_sync.user.activate.success (announced by Cryptr, "not available yet") instead of a new provision')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;directory;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store folder holding the directory [env: DSYNC_STORE]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;directory;export' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store folder holding the directory [env: DSYNC_STORE]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;directory;reset' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store folder holding the directory [env: DSYNC_STORE]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (required without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;directory;deactivate' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store folder holding the directory [env: DSYNC_STORE]')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Deliver events to this URL, optionally only some codes: ''URL'' or ''URL dir_sync.user.*,dir_sync.group.all'' (globs; Cryptr''s all and dir_sync.all work). Repeatable')
            [CompletionResult]::new('--retry-schedule', '--retry-schedule', [CompletionResultType]::ParameterName, 'Delays before each try, comma-separated (Cryptr''s: 0,5m,10m,20m,1h,2h)')
            [CompletionResult]::new('--delivery-concurrency', '--delivery-concurrency', [CompletionResultType]::ParameterName, 'Deliveries in flight per target')
            [CompletionResult]::new('--delivery-timeout', '--delivery-timeout', [CompletionResultType]::ParameterName, 'Time allowed for the app to answer one delivery')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for the deliveries before exiting (124 past it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;directory;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Groups and their members, and counts')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Forget every user, group and undelivered event (the next start activates again)')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Send dir_sync.deactivate.success and mark the directory inactive')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dsync;directory;help;serve' {
            break
        }
        'dsync;directory;help;show' {
            break
        }
        'dsync;directory;help;export' {
            break
        }
        'dsync;directory;help;reset' {
            break
        }
        'dsync;directory;help;deactivate' {
            break
        }
        'dsync;directory;help;help' {
            break
        }
        'dsync;events' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The captured events, newest first: id, time, code, resource, verification, status, size')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One event: headers, the body pretty-printed, and the before/after diff')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old events: by age, by count, or down to a size')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dsync;events;list' {
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Only events whose code matches this glob (e.g. ''dir_sync.user.*'', ''*.{create,delete}.*'')')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events received before this: a duration ago or an RFC 3339 time')
            [CompletionResult]::new('--verification', '--verification', [CompletionResultType]::ParameterName, 'Only events whose signature check came out so')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only events dsync answered with this status')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only events about this resource: an id, or part of an email or group name')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only events whose body contains all these words (full-text search)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only events from this source')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N events (0: all)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Only events stored before this row (the `rowid` of the last one shown: the next page)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Oldest first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;events;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Print only the body, exactly as received')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;events;export' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write: a file, or - for stdout (ndjson); a folder (files)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Bundle or folder of files')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Only events whose code matches this glob (e.g. ''dir_sync.user.*'', ''*.{create,delete}.*'')')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events received before this: a duration ago or an RFC 3339 time')
            [CompletionResult]::new('--verification', '--verification', [CompletionResultType]::ParameterName, 'Only events whose signature check came out so')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only events dsync answered with this status')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only events about this resource: an id, or part of an email or group name')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only events whose body contains all these words (full-text search)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only events from this source')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Key for the stand-ins (same key, same stand-ins on any machine) [env: DSYNC_REDACT_KEY] [default: a random key kept in the store as .redact-key]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Pseudonymise emails, names, phone numbers and addresses; drop signatures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;events;import' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;events;prune' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Delete events received longer ago than this (e.g. 7d)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep only the N most recently received events')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Delete the oldest events until the store is under this size (e.g. 500MB) [default: store_max_size from the configuration]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;events;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The captured events, newest first: id, time, code, resource, verification, status, size')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One event: headers, the body pretty-printed, and the before/after diff')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old events: by age, by count, or down to a size')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dsync;events;help;list' {
            break
        }
        'dsync;events;help;show' {
            break
        }
        'dsync;events;help;export' {
            break
        }
        'dsync;events;help;import' {
            break
        }
        'dsync;events;help;prune' {
            break
        }
        'dsync;events;help;help' {
            break
        }
        'dsync;ui' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port to bind; 0 takes a free one')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to bind; 0 takes a free one')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind; anything but loopback needs --token')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Serve on a non-loopback address: the page and the API then need this token (`?token=` in the URL printed); 16+ characters')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;init' {
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [default: cryptr]')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret to write (Cryptr''s signature_key)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port dsync listen binds to [default: 8000]')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Path dsync listen accepts [default: /directory-sync]')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'App URL dsync listen forwards to (empty for none) [default: none]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder [default: .dsync]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Take the defaults for every question not answered by a flag')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Take the defaults for every question not answered by a flag')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing dsync.toml')
            [CompletionResult]::new('--generate-secret', '--generate-secret', [CompletionResultType]::ParameterName, 'Generate a random secret (the default)')
            [CompletionResult]::new('--gitignore', '--gitignore', [CompletionResultType]::ParameterName, 'Add .dsync/ to .gitignore (in a git repository) without asking')
            [CompletionResult]::new('--no-gitignore', '--no-gitignore', [CompletionResultType]::ParameterName, 'Leave .gitignore alone')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;config' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--show-secret', '--show-secret', [CompletionResultType]::ParameterName, 'Show the secret instead of masking it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;check' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only run the cases whose name matches one of these globs (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Leave out the cases whose name matches one of these globs (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time an answer may take before the case fails')
            [CompletionResult]::new('--large-users', '--large-users', [CompletionResultType]::ParameterName, 'Members in the large-event case (5,000 is about 0.43 MB; 12,000 passes 1 MB)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header `Name: value` on every request (an auth or tunnel header; repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header `Name: value` on every request (an auth or tunnel header; repeatable)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report to FILE (for CI test views)')
            [CompletionResult]::new('--state-cmd', '--state-cmd', [CompletionResultType]::ParameterName, 'Command that prints the app''s state as JSON (dsync.app-state.v1); enables the stateful cases')
            [CompletionResult]::new('--state-timeout', '--state-timeout', [CompletionResultType]::ParameterName, 'Time --state-cmd may take')
            [CompletionResult]::new('--state-wait', '--state-wait', [CompletionResultType]::ParameterName, 'How long the app''s state may take to match after the last delivery (an app that queues its work)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the cases (name, level, expectation) and exit')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Recommended cases count as required: a warning fails the run')
            [CompletionResult]::new('--print-schema', '--print-schema', [CompletionResultType]::ParameterName, 'Print the JSON Schema of the --json report and exit')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;simulate' {
            [CompletionResult]::new('--idp', '--idp', [CompletionResultType]::ParameterName, 'The identity provider to play')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Users created by the scenario''s onboarding')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Groups created by the scenario''s onboarding')
            [CompletionResult]::new('--steps', '--steps', [CompletionResultType]::ParameterName, 'Size of the scenario''s own part (joiners, movers, leavers, churn steps...)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed: same seed, same people and SCIM requests (and the same chaos choices)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Reproducible directory: its clock starts at this time (RFC 3339) and its ids come from --seed, so the same --seed and --now commit byte-identical events (SCIM requests then go one at a time unless --concurrency is given)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The organization''s domain (emails, and the events'' __domain__)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The app''s webhook URL the directory delivers to [env: DSYNC_URL]')
            [CompletionResult]::new('--scim-url', '--scim-url', [CompletionResultType]::ParameterName, 'Drive this SCIM server (base URL, e.g. http://127.0.0.1:8001/scim/v2) instead of an in-process directory')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for --scim-url [env: DSYNC_SCIM_TOKEN]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'SCIM requests in flight at once (one resource''s requests never overlap) [default: 8; 1 with --now]')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'SCIM requests per second at most')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of one SCIM request')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The in-process directory''s state folder [default: a temporary one, removed at the end]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Event store folder for the directory''s events [env: DSYNC_STORE] [default: .dsync]')
            [CompletionResult]::new('--duplicate', '--duplicate', [CompletionResultType]::ParameterName, 'Chaos: re-deliver this share of events (0.0 to 1.0)')
            [CompletionResult]::new('--reorder-window', '--reorder-window', [CompletionResultType]::ParameterName, 'Chaos: deliver out of order within windows of N events')
            [CompletionResult]::new('--retry-schedule', '--retry-schedule', [CompletionResultType]::ParameterName, 'Delays between delivery tries [default: 0,200ms,500ms,1s,2s: compressed for a simulation]')
            [CompletionResult]::new('--settle-timeout', '--settle-timeout', [CompletionResultType]::ParameterName, 'How long to wait for every delivery to settle after the last SCIM request')
            [CompletionResult]::new('--state-out', '--state-out', [CompletionResultType]::ParameterName, 'Write the directory''s final state (the `directory export` format) to FILE')
            [CompletionResult]::new('--check-cmd', '--check-cmd', [CompletionResultType]::ParameterName, 'Once deliveries settled, run CMD (sh -c); compare the JSON it prints with the directory''s state')
            [CompletionResult]::new('--check-timeout', '--check-timeout', [CompletionResultType]::ParameterName, 'How long --check-cmd may run')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret (Cryptr''s signature_key; whsec_... for standard) [env: DSYNC_SECRET]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [env: DSYNC_SCHEME] [default: cryptr]')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE] [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the past), workos 3m both ways as the workos Python SDK]')
            [CompletionResult]::new('--cryptr-layout', '--cryptr-layout', [CompletionResultType]::ParameterName, 'Cryptr''s signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the built-in scenarios and IdP personas, and exit')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the planned SCIM requests as NDJSON; send nothing')
            [CompletionResult]::new('--no-save', '--no-save', [CompletionResultType]::ParameterName, 'Do not save the directory''s events to the event store')
            [CompletionResult]::new('--fail-first', '--fail-first', [CompletionResultType]::ParameterName, 'Chaos: make the first attempt of every delivery look failed, so it is retried')
            [CompletionResult]::new('--no-tolerance', '--no-tolerance', [CompletionResultType]::ParameterName, 'Do not check the timestamp at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: stdout carries only JSON (NDJSON for streams)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors and warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dsync;help' {
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI')
            [CompletionResult]::new('send-test', 'send-test', [CompletionResultType]::ParameterValue, 'Send realistic, signed test events to a URL')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-deliver captured events to a URL')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed: in one event, or between two JSON documents')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a body: print the headers (or a curl command) to send with it')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a request''s signature, and explain why it fails')
            [CompletionResult]::new('directory', 'directory', [CompletionResultType]::ParameterValue, 'A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List, show, export, import and prune the local event store')
            [CompletionResult]::new('ui', 'ui', [CompletionResultType]::ParameterValue, 'Serve the inspector: a live web page over the event store (loopback only)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up dsync.toml interactively (or with flags)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value comes from')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Test a webhook receiver: forged, stale, tampered, duplicate, large and concurrent deliveries')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Play an IdP (Okta, Entra ID, Google) against a SCIM directory, deliver to your app, check its state')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dsync;help;listen' {
            break
        }
        'dsync;help;send-test' {
            break
        }
        'dsync;help;replay' {
            break
        }
        'dsync;help;diff' {
            break
        }
        'dsync;help;sign' {
            break
        }
        'dsync;help;verify' {
            break
        }
        'dsync;help;directory' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Groups and their members, and counts')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Forget every user, group and undelivered event (the next start activates again)')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Send dir_sync.deactivate.success and mark the directory inactive')
            break
        }
        'dsync;help;directory;serve' {
            break
        }
        'dsync;help;directory;show' {
            break
        }
        'dsync;help;directory;export' {
            break
        }
        'dsync;help;directory;reset' {
            break
        }
        'dsync;help;directory;deactivate' {
            break
        }
        'dsync;help;events' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The captured events, newest first: id, time, code, resource, verification, status, size')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One event: headers, the body pretty-printed, and the before/after diff')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write captures as an NDJSON bundle, or one file per capture (optionally redacted)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old events: by age, by count, or down to a size')
            break
        }
        'dsync;help;events;list' {
            break
        }
        'dsync;help;events;show' {
            break
        }
        'dsync;help;events;export' {
            break
        }
        'dsync;help;events;import' {
            break
        }
        'dsync;help;events;prune' {
            break
        }
        'dsync;help;ui' {
            break
        }
        'dsync;help;init' {
            break
        }
        'dsync;help;config' {
            break
        }
        'dsync;help;check' {
            break
        }
        'dsync;help;simulate' {
            break
        }
        'dsync;help;completions' {
            break
        }
        'dsync;help;man' {
            break
        }
        'dsync;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
