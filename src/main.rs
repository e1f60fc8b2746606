//! The `dsync` binary: everything lives in the library; this only hands over.
fn main() -> std::process::ExitCode {
    dsync::main_entry()
}
