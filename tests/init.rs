//! Tests of `dsync init`.
