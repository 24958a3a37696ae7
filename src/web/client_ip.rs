//! The address a request comes from. Behind a reverse proxy the peer is the
//! proxy, and the client's address is in `X-Forwarded-For`, which anyone can
//! also write: it is believed only when the peer is one of the configured
//! proxies (`BAZAAR_TRUSTED_PROXIES`), read from the right, skipping the
//! proxies' own entries. Rate limits, the sign-in lockout and the audit log
//! all use this one address (`web::input::check` puts it in the request's
//! extensions as [`ClientIp`]).

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client's address, in the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The proxies whose `X-Forwarded-For` is believed.
pub type TrustedProxies = Arc<[IpNet]>;

/// `peer` itself, unless it is a trusted proxy: then the right-most address
/// in `X-Forwarded-For` that is not a trusted proxy (or the left-most, when
/// every hop is one). An entry that is not an address ends the walk there.
pub fn client_ip(peer: IpAddr, proxies: &[IpNet], headers: &HeaderMap) -> IpAddr {
    let trusted = |ip: &IpAddr| proxies.iter().any(|net| net.contains(ip));
    if !trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted(&ip) => client = ip,
            Ok(ip) => return ip,
            Err(_) => break,
        }
    }
    client
}

/// Parses `BAZAAR_TRUSTED_PROXIES`: addresses or networks, comma-separated.
pub fn parse_proxies(list: &str) -> anyhow::Result<Vec<IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| anyhow::anyhow!("not an address or network: {s}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxies = parse_proxies("10.0.0.0/8, 192.168.1.5").unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let stranger: IpAddr = "198.51.100.9".parse().unwrap();
        // A stranger's own header is ignored.
        assert_eq!(client_ip(stranger, &proxies, &headers("1.2.3.4")), stranger);
        // Through one proxy, and through two, with a forged entry on the left.
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        assert_eq!(client_ip(proxy, &proxies, &headers("203.0.113.7")), client);
        assert_eq!(client_ip(proxy, &proxies, &headers("1.2.3.4, 203.0.113.7, 192.168.1.5")), client);
        // No header: the proxy itself.
        assert_eq!(client_ip(proxy, &proxies, &HeaderMap::new()), proxy);
        assert!(parse_proxies("10.0.0.0/8,nonsense").is_err());
    }
}
