//! Tests of `dsync sign`.
