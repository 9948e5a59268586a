//! The kit every integration test crate shares (issue 19 §6): the fixed clocks ([`clock`]),
//! the token signers ([`sign`]), the command-line runner ([`cli`]), the fixture files
//! ([`data`]) and bounded waits ([`deadline`]), one copy each instead of one per test file.

// Each `tests/*.rs` is a crate of its own that compiles this module and uses only part of it;
// what one crate leaves unused another uses, so unused items here are not dead code.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod cli;
pub mod clock;
pub mod data;
pub mod deadline;
pub mod postgres;
pub mod sign;

/// This machine's address on a non-loopback interface, if it has one (a UDP "connect" only
/// picks the route; nothing is sent).
pub fn lan_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}
