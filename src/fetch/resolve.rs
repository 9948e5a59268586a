//! Name lookups for the fetch: the system resolver (`getaddrinfo`, as reqwest's default), with
//! its failure wrapped in [`NameNotResolved`] so a failed lookup is known by its type.

use super::NameNotResolved;
use std::net::ToSocketAddrs;

/// Resolves through the system resolver on the client's own thread: a fetch makes one request
/// at a time, and the fetch's deadline bounds the wait from outside.
pub(super) struct SystemResolver;

impl reqwest::dns::Resolve for SystemResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        // Port 0: reqwest puts the URL's port (or the scheme's) in its place.
        let result = (name.as_str(), 0)
            .to_socket_addrs()
            .map(|addrs| Box::new(addrs) as reqwest::dns::Addrs)
            .map_err(|e| Box::new(NameNotResolved(e)) as Box<dyn std::error::Error + Send + Sync>);
        Box::pin(std::future::ready(result))
    }
}
