//! Tests of `dsync replay`.
