//! The client's network address, for rate limits, login throttling and the
//! audit trail. Behind a reverse proxy the TCP peer is the proxy: the
//! address the proxy forwards is believed only when the peer is one of the
//! configured `trusted_proxies`, otherwise anyone could choose their own
//! address by sending the header.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The header the trusted proxies write (configuration `forwarded_header`).
/// Only one is read: a client could send the other one, and a proxy that
/// does not strip it would pass it through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, Traefik…).
    #[default]
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1` (RFC 7239).
    Forwarded,
}

impl ForwardedHeader {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
        }
    }
}

/// The reverse proxies whose forwarded address is believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardedHeader,
}

impl TrustedProxies {
    /// From CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`) or single addresses.
    pub fn parse(cidrs: &[String], header: ForwardedHeader) -> Result<Self, String> {
        let networks = cidrs
            .iter()
            .map(|raw| {
                let raw = raw.trim();
                raw.parse::<IpNet>()
                    .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("trusted_proxies: {raw:?} is neither a CIDR block nor an address"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { networks, header })
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.networks.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the right-most address of the forwarded chain
    /// that is not a trusted proxy, walking back from the TCP peer; the peer
    /// itself when it is not trusted.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_chain(headers, self.header);
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(address) if self.trusts(*address) => client = *address,
                Some(address) => return *address,
                // A trusted proxy wrote something that is not an address
                // (`unknown`, an obfuscated name): go no further than it.
                None => return client,
            }
        }
        client
    }
}

/// Every hop named by the header, in order, over all its lines.
fn forwarded_chain(headers: &HeaderMap, header: ForwardedHeader) -> Vec<Option<IpAddr>> {
    let mut chain = Vec::new();
    for value in headers.get_all(header.name()) {
        let Ok(text) = value.to_str() else {
            chain.push(None);
            continue;
        };
        for element in text.split(',') {
            let node = match header {
                ForwardedHeader::XForwardedFor => Some(element),
                ForwardedHeader::Forwarded => element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then_some(value)
                }),
            };
            chain.push(node.and_then(parse_node));
        }
    }
    chain
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`,
/// `2001:db8::1`, `[2001:db8::1]:4711`, possibly in double quotes.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let node = raw.trim().trim_matches('"');
    let address = if let Some(rest) = node.strip_prefix('[') {
        rest.split_once(']')?.0.parse().ok()?
    } else if let Ok(address) = node.parse::<IpAddr>() {
        address
    } else {
        let (host, port) = node.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)?
    };
    Some(address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: &'static str, values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(name, HeaderValue::from_static(v));
        }
        map
    }

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    fn proxies(cidrs: &[&str], header: ForwardedHeader) -> TrustedProxies {
        let cidrs: Vec<String> = cidrs.iter().map(|c| (*c).to_owned()).collect();
        TrustedProxies::parse(&cidrs, header).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        let forged = headers("x-forwarded-for", &["198.51.100.1"]);
        assert_eq!(none.client_address(ip("203.0.113.9"), &forged), ip("203.0.113.9"));
        let other = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        assert_eq!(other.client_address(ip("203.0.113.9"), &forged), ip("203.0.113.9"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "192.0.2.7"], ForwardedHeader::XForwardedFor);
        // The client forged the first entry; the proxies appended the rest.
        let h = headers("x-forwarded-for", &["198.51.100.1, 203.0.113.5", "192.0.2.7"]);
        assert_eq!(p.client_address(ip("10.1.2.3"), &h), ip("203.0.113.5"));
        let ported = headers("x-forwarded-for", &["203.0.113.5:51000"]);
        assert_eq!(p.client_address(ip("10.1.2.3"), &ported), ip("203.0.113.5"));
        let all_trusted = headers("x-forwarded-for", &["10.9.9.9"]);
        assert_eq!(p.client_address(ip("10.1.2.3"), &all_trusted), ip("10.9.9.9"));
        let garbage = headers("x-forwarded-for", &["203.0.113.5, unknown"]);
        assert_eq!(p.client_address(ip("10.1.2.3"), &garbage), ip("10.1.2.3"));
        assert_eq!(p.client_address(ip("10.1.2.3"), &HeaderMap::new()), ip("10.1.2.3"));
        let mapped = ip("::ffff:10.1.2.3");
        let h = headers("x-forwarded-for", &["203.0.113.5"]);
        assert_eq!(p.client_address(mapped, &h), ip("203.0.113.5"));
    }

    #[test]
    fn forwarded_is_read_only_when_configured() {
        let p = proxies(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        let mut h = headers(
            "forwarded",
            &["for=198.51.100.1;proto=https, for=\"[2001:db8::17]:4711\";by=10.0.0.1"],
        );
        h.append("x-forwarded-for", HeaderValue::from_static("192.0.2.99"));
        assert_eq!(p.client_address(ip("10.0.0.1"), &h), ip("2001:db8::17"));
        let xff = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        assert_eq!(xff.client_address(ip("10.0.0.1"), &h), ip("192.0.2.99"));
    }

    #[test]
    fn bad_configuration_is_refused() {
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()], ForwardedHeader::default()).is_err());
        assert!(TrustedProxies::parse(&["proxy.local".into()], ForwardedHeader::default()).is_err());
        assert_eq!(ForwardedHeader::parse("Forwarded"), Some(ForwardedHeader::Forwarded));
        assert_eq!(ForwardedHeader::parse("x-real-ip"), None);
    }
}
