//! Tests of `dsync events`.
