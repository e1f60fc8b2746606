//! A receiver that answers every request `200` with an empty body as fast as
//! it can, for benchmarks (`benches/replay-compare.sh`): it must never be the
//! bottleneck. One thread per keep-alive connection, a minimal HTTP/1.1
//! reader (request line, headers, Content-Length body). Prints its URL on one
//! line when ready.
//! Usage: cargo run --release --example noop_receiver

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";

fn serve(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(()); // the client closed the connection
        }
        let mut length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.trim().eq_ignore_ascii_case("close");
                }
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        writer.write_all(OK)?;
        if close {
            return Ok(());
        }
    }
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    // The readiness signal: the URL, printed once the socket is listening.
    println!("http://{}/", listener.local_addr().expect("local address"));
    std::io::stdout().flush().expect("stdout");
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream));
    }
}
