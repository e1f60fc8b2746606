//! Tests of `dsync listen`.
