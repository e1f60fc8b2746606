//! The event envelope, the code catalogue and the realistic generator
//! (owned by `dsync send-test`).
