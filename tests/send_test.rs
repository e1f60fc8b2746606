//! Tests of `dsync send-test`.
