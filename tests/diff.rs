//! Tests of `dsync diff`.
