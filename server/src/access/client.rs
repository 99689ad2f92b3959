//! Who the client is: the socket's peer, or, when that peer is a configured reverse proxy, the
//! address the proxies say they forwarded for.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client's address. When `peer` is one of the `trusted` proxies, `X-Forwarded-For` is
/// read from the right (the hop nearest to us first): trusted proxies are skipped and the
/// first address that is not one is the client. A header that cannot be read, or names only
/// trusted proxies, leaves the last trusted hop; an untrusted peer's header is ignored.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    // A console bound to `[::]` sees IPv4 proxies as `::ffff:a.b.c.d`.
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    // Split the raw bytes: a client can put a non-ASCII byte in its part of the header, and a
    // whole-line `to_str` would then drop the hops the proxy appended after it.
    let hops: Vec<&[u8]> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .collect();
    for hop in hops.iter().rev() {
        match std::str::from_utf8(hop).ok().and_then(parse_hop) {
            Some(ip) if is_trusted(&ip.to_canonical()) => client = ip.to_canonical(),
            Some(ip) => return ip.to_canonical(),
            // An unreadable hop: what lies beyond it cannot be trusted either.
            None => return client,
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_a_trusted_peer_is_believed_and_the_rightmost_untrusted_hop_wins() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let h = headers(&["198.51.100.1, 192.0.2.7", "10.0.0.4"]);
        assert_eq!(
            client_ip(stranger, &h, &proxies),
            stranger,
            "spoofed header ignored"
        );
        assert_eq!(
            client_ip(proxy, &h, &proxies),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &proxies), proxy);
        assert_eq!(client_ip(proxy, &headers(&["garbage"]), &proxies), proxy);
        assert_eq!(
            client_ip(
                proxy,
                &headers(&["[2001:db8::1]:443", "192.0.2.8:5000"]),
                &proxies
            ),
            "192.0.2.8".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_ip(proxy, &h, &[]),
            proxy,
            "no trusted proxies: the peer"
        );
        let mapped: IpAddr = "::ffff:10.0.0.5".parse().unwrap();
        assert_eq!(
            client_ip(mapped, &h, &proxies),
            "192.0.2.7".parse::<IpAddr>().unwrap(),
            "an IPv4 proxy seen through an IPv6 socket"
        );
        let mut odd = HeaderMap::new();
        odd.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"\xff-spoof, 192.0.2.9").unwrap(),
        );
        assert_eq!(
            client_ip(proxy, &odd, &proxies),
            "192.0.2.9".parse::<IpAddr>().unwrap()
        );
    }
}
