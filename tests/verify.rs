//! Tests of `dsync verify`.
