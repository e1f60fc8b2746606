//! Sign and verify throughput for every scheme, 1 KiB and 1 MiB bodies,
//! through the library API (no process start, no I/O).
//!
//! `cargo bench --bench signature`. Measurement time is kept short because
//! the machines this runs on have 2 shared cores; raise it for steadier figures.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dsync::signature::{SchemeName, Secret, SignParams, Tolerance};

/// A secret every scheme accepts (base64 after `whsec_` for Standard Webhooks).
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TIMESTAMP_MS: i64 = 1_700_000_000_000;

fn body(len: usize) -> Vec<u8> {
    // JSON-looking bytes; the content does not change HMAC cost, only the length.
    let unit = br#"{"code":"dir_sync.user.update.success","email":"ada@example.com"},"#;
    unit.iter().copied().cycle().take(len).collect()
}

fn signature(c: &mut Criterion) {
    let secret = Secret::new(SECRET);
    let params = SignParams {
        timestamp_ms: TIMESTAMP_MS,
        id: Some("msg_bench".to_string()),
    };
    for (label, len) in [("1KiB", 1024), ("1MiB", 1024 * 1024)] {
        let body = body(len);
        let mut sign = c.benchmark_group(format!("sign/{label}"));
        sign.throughput(Throughput::Bytes(len as u64));
        for name in SchemeName::ALL {
            let scheme = name.scheme();
            sign.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
                b.iter(|| scheme.sign(&secret, black_box(body), &params).unwrap())
            });
        }
        sign.finish();

        let mut verify = c.benchmark_group(format!("verify/{label}"));
        verify.throughput(Throughput::Bytes(len as u64));
        for name in SchemeName::ALL {
            let scheme = name.scheme();
            let headers = scheme.sign(&secret, &body, &params).unwrap();
            verify.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
                b.iter(|| {
                    let verdict = scheme.verify(
                        &secret,
                        &headers,
                        black_box(body),
                        TIMESTAMP_MS,
                        Tolerance::Unlimited,
                    );
                    assert!(verdict.is_valid());
                })
            });
        }
        verify.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = signature
}
criterion_main!(benches);
